package ginclerk_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/require"
)

func init() { gin.SetMode(gin.TestMode) }

// testNow is the fixed clock every test token and instance shares.
var testNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return testNow }

// pemClerk returns an instance verifying with key's PEM and the fixed clock.
func pemClerk(t *testing.T, key *ginclerktest.Key, opts ...ginclerk.Option) *ginclerk.Clerk {
	t.Helper()
	opts = append(append(key.Options(), ginclerk.WithClock(fixedClock), quiet()), opts...)
	ck, err := ginclerk.New(opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = ck.Close() })
	return ck
}

// apiClerk returns an instance fetching keys from srv with the fixed clock.
func apiClerk(t *testing.T, srv *ginclerktest.Server, opts ...ginclerk.Option) *ginclerk.Clerk {
	t.Helper()
	opts = append(append(srv.Options(), ginclerk.WithClock(fixedClock), quiet()), opts...)
	ck, err := ginclerk.New(opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = ck.Close() })
	return ck
}

// quiet discards the instance's logs; tests that assert on logs pass their
// own WithLogger after it.
func quiet() ginclerk.Option { return ginclerk.WithLogger(slog.New(slog.DiscardHandler)) }

// mint returns a token from key valid at testNow, with opts applied.
func mint(t *testing.T, key *ginclerktest.Key, opts ...ginclerktest.Claim) string {
	t.Helper()
	return key.Mint(t, append([]ginclerktest.Claim{ginclerktest.At(testNow)}, opts...)...)
}

// seen is what the test route saw of the request's Auth.
type seen struct {
	ran     bool
	auth    *ginclerk.Auth
	ctxAuth *ginclerk.Auth
}

// router builds gin.New() with middlewares and a GET / route that records
// the Auth it sees and answers 200 {"user": …}, and the same POST /.
func router(s *seen, middlewares ...gin.HandlerFunc) *gin.Engine {
	r := gin.New()
	r.Use(middlewares...)
	record := func(c *gin.Context) {
		s.ran = true
		s.auth = ginclerk.GetAuth(c)
		s.ctxAuth = ginclerk.AuthFromContext(c.Request.Context())
		c.JSON(http.StatusOK, gin.H{"user": s.auth.UserID})
	}
	r.GET("/", record)
	r.POST("/", record)
	return r
}

// do sends req through r and returns the recorded response.
func do(r http.Handler, req *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

// get builds GET / with an optional bearer token.
func get(token string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// jsonBody decodes the recorded JSON object body.
func jsonBody(t *testing.T, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var body map[string]any
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &body), "body %q", w.Body.String())
	return body
}

// requireGoroutinesBackTo fails unless the goroutine count comes back to
// before: a leak. It polls by hand, since assert.Eventually runs its
// condition on a goroutine of its own, which would count.
func requireGoroutinesBackTo(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second) // a bound on a leak, not a speed requirement
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		t.Fatalf("goroutines: before %d, now %d\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}
