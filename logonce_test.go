package ginclerk_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countLines returns how many of lines contain substr.
func countLines(lines []string, substr string) int {
	n := 0
	for _, l := range lines {
		if strings.Contains(l, substr) {
			n++
		}
	}
	return n
}

const wiringHint = "no ginclerk.ErrorHandler ran before it"

// TestWiringHintOncePerMiddleware: a strict middleware that aborts with no
// ErrorHandler before it says so once per middleware, however many requests
// it rejects; with ErrorHandler first it says nothing.
func TestWiringHintOncePerMiddleware(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	spy := newLogSpy()
	ck := pemClerk(t, key, ginclerk.WithLogger(spy.logger()))
	var s seen
	bare := router(&s, ck.RequireAuth())
	other := router(&s, ck.RequireAuth())
	for range 3 {
		w := do(bare, get("not-a-token"))
		require.Equal(t, http.StatusUnauthorized, w.Code)
		assert.Empty(t, w.Body.String(), "what the hint is about")
	}
	lines := spy.take()
	require.Equal(t, 1, countLines(lines, wiringHint), "%q", lines)
	assert.Equal(t, 1, countLines(lines, "RequireAuth aborted"))
	assert.Equal(t, 1, countLines(lines, "ginclerk.ErrorHandler(), …"), "it says where ErrorHandler goes")
	do(other, get(""))
	do(other, get(""))
	assert.Equal(t, 1, countLines(spy.take(), wiringHint), "a second middleware hints once too")

	wired := router(&s, ginclerk.ErrorHandler(), ck.RequireAuth(), ginclerk.RequireOrg())
	for range 2 {
		w := do(wired, get(""))
		require.Equal(t, http.StatusUnauthorized, w.Code)
		assert.Contains(t, w.Body.String(), ginclerk.ReasonSessionTokenAndUATMissing)
	}
	assert.Zero(t, countLines(spy.take(), wiringHint), "ErrorHandler ran first: no hint")
}

// TestRejectionLoggedOnce: a request rejected by a global WithAuth and a
// group's RequireAuth of the same instance is logged once, not once per
// middleware.
func TestRejectionLoggedOnce(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	spy := newLogSpy()
	ck := pemClerk(t, key, ginclerk.WithLogger(spy.logger()))
	r := gin.New()
	r.Use(ginclerk.ErrorHandler(), ck.WithAuth())
	r.Group("/api", ck.RequireAuth()).GET("/me", func(c *gin.Context) { c.Status(http.StatusOK) })
	for range 2 {
		req := get(mint(t, key, ginclerktest.ExpiresIn(-10*time.Minute)))
		req.URL.Path = "/api/me"
		require.Equal(t, http.StatusUnauthorized, do(r, req).Code)
	}
	assert.Equal(t, 2, countLines(spy.take(), "request not authenticated"), "one line per request")
}

// TestPackageLevelMisconfiguredLogsOnce: with no key source in the
// environment, the package-level middlewares log the problem once when the
// routes are set up, and each rejected request once — not once per
// middleware. Not parallel: it sets the environment and slog's default.
func TestPackageLevelMisconfiguredLogsOnce(t *testing.T) {
	clearEnv(t)
	// A version no other test uses, so that this environment's default
	// instance is created here.
	t.Setenv("CLERK_API_VERSION", "v-log-once")
	spy := newLogSpy()
	useDefaultLogger(t, spy.logger())

	r := gin.New()
	r.Use(ginclerk.ErrorHandler(), ginclerk.WithAuth())
	r.Group("/api", ginclerk.RequireAuth()).GET("/me", func(c *gin.Context) { c.Status(http.StatusOK) })
	assert.Equal(t, 1, countLines(spy.take(), "without a usable configuration"), "one line at set-up")
	for range 2 {
		req := get("")
		req.URL.Path = "/api/me"
		require.Equal(t, http.StatusInternalServerError, do(r, req).Code)
	}
	lines := spy.take()
	assert.Equal(t, 2, countLines(lines, "request not authenticated"), "one line per request: %q", lines)
	assert.Zero(t, countLines(lines, "without a usable configuration"))
}
