package ginclerk_test

// Hot-path benchmarks, run by `make bench`, which prints each
// median as a ratio to two in-run baselines: BenchmarkBareRoute (Gin with
// one route and no middleware) and BenchmarkFloor (the least a correct
// RS256 middleware can do with the standard library). Every benchmark
// sends the same kind of request through gin.Engine.ServeHTTP with a fresh
// httptest.ResponseRecorder, in release mode, with a ~500-byte Clerk v2
// payload verified networklessly (WithJWTKey) against the real clock.

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/ginclerk/ginclerk/internal/benchkit"
)

// benchClaims shape the token every benchmark verifies.
func benchClaims(now time.Time) []ginclerktest.Claim { return benchkit.SessionClaims(now, time.Hour) }

// benchEnv is what every benchmark shares: the key, a valid token, and a
// Clerk instance factory.
type benchEnv struct {
	key   *ginclerktest.Key
	token string
}

func newBenchEnv(b *testing.B) benchEnv {
	b.Helper()
	gin.SetMode(gin.ReleaseMode)
	b.Cleanup(func() { gin.SetMode(gin.TestMode) })
	key := ginclerktest.DefaultKey(b)
	return benchEnv{key: key, token: key.Mint(b, benchClaims(time.Now())...)}
}

func (e benchEnv) clerk(b *testing.B, opts ...ginclerk.Option) *ginclerk.Clerk {
	b.Helper()
	opts = append(append(e.key.Options(), ginclerk.WithLogger(slog.New(slog.DiscardHandler))), opts...)
	ck, err := ginclerk.New(opts...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = ck.Close() })
	return ck
}

// engine is gin.New() with the middleware (if any) and GET / answering 204.
func engine(mw gin.HandlerFunc) *gin.Engine {
	r := gin.New()
	if mw != nil {
		r.Use(mw)
	}
	r.GET("/", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	return r
}

// request returns GET / with the given Authorization value ("" for none).
func request(authorization string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return req
}

// bearer is the Authorization value for token, built once per benchmark
// rather than once per request: the concatenation is the harness's cost,
// not the middleware's.
func bearer(token string) string {
	if token == "" {
		return ""
	}
	return "Bearer " + token
}

// run serves a fresh GET / carrying token through r b.N times, as a server
// does (a new *http.Request and a new recorder per request), after
// checking the status once.
func run(b *testing.B, r http.Handler, token string, want int) {
	b.Helper()
	check(b, r, token, want)
	auth := bearer(token)
	b.ReportAllocs()
	for b.Loop() {
		r.ServeHTTP(httptest.NewRecorder(), request(auth))
	}
}

// runParallel is run under b.RunParallel.
func runParallel(b *testing.B, r http.Handler, token string, want int) {
	b.Helper()
	check(b, r, token, want)
	auth := bearer(token)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r.ServeHTTP(httptest.NewRecorder(), request(auth))
		}
	})
}

func check(b *testing.B, r http.Handler, token string, want int) {
	b.Helper()
	w := httptest.NewRecorder()
	r.ServeHTTP(w, request(bearer(token)))
	if w.Code != want {
		b.Fatalf("status %d, want %d (reason %q)", w.Code, want, w.Header().Get("X-Clerk-Auth-Reason"))
	}
	// WithAuth answers 204 whatever the verdict: a token it signed out
	// would make the benchmark time a rejection, not a verification.
	if want == http.StatusNoContent && token != "" {
		if status := w.Header().Get("X-Clerk-Auth-Status"); status != "" {
			b.Fatalf("the token is not signed in: %s (reason %q)", status, w.Header().Get("X-Clerk-Auth-Reason"))
		}
	}
}

// BenchmarkBareRoute is the first baseline: Gin and the recorder alone.
func BenchmarkBareRoute(b *testing.B) {
	e := newBenchEnv(b)
	run(b, engine(nil), e.token, http.StatusNoContent)
}

// BenchmarkParallelBare is the baseline of BenchmarkParallelWarm.
func BenchmarkParallelBare(b *testing.B) {
	e := newBenchEnv(b)
	runParallel(b, engine(nil), e.token, http.StatusNoContent)
}

// BenchmarkFloor is the second baseline: the cheapest middleware that
// verifies an RS256 token with the standard library — split, base64,
// SHA-256, rsa.VerifyPKCS1v15, json.Unmarshal into a small struct, an exp
// check. It checks neither the header nor anything Clerk-specific.
func BenchmarkFloor(b *testing.B) {
	e := newBenchEnv(b)
	run(b, engine(benchkit.Floor(&e.key.Private.PublicKey)), e.token, http.StatusNoContent)
}

// BenchmarkColdToken is a token's first sight: the cache disabled.
func BenchmarkColdToken(b *testing.B) {
	e := newBenchEnv(b)
	ck := e.clerk(b, ginclerk.WithTokenCacheBytes(0))
	run(b, engine(ck.WithAuth()), e.token, http.StatusNoContent)
}

// BenchmarkFirstSight is a token's first sight with the cache on: distinct
// tokens cycling through a cache too small to keep any of them, so every
// request pays the lookup, the miss and the insert on top of verification.
func BenchmarkFirstSight(b *testing.B) {
	e := newBenchEnv(b)
	runFirstSight(b, e, benchClaims(time.Now()))
}

// runFirstSight serves distinct tokens with claims, cycling through a
// cache that holds a few: every lookup misses.
func runFirstSight(b *testing.B, e benchEnv, claims []ginclerktest.Claim) {
	b.Helper()
	const tokens = 32 // ≫ the few a 16 KiB cache holds: every lookup misses
	auths := make([]string, tokens)
	for i := range auths {
		auths[i] = bearer(e.key.Mint(b, append(slices.Clip(claims), ginclerktest.Set("jti", "first-sight-"+strconv.Itoa(i)))...))
	}
	r := engine(e.clerk(b, ginclerk.WithTokenCacheBytes(16<<10)).WithAuth())
	for _, auth := range auths {
		check(b, r, strings.TrimPrefix(auth, "Bearer "), http.StatusNoContent)
	}
	next := cycle(r, auths)
	b.ReportAllocs()
	for b.Loop() {
		next()
	}
}

// BenchmarkWarmToken is the common case: a token seen before.
func BenchmarkWarmToken(b *testing.B) {
	e := newBenchEnv(b)
	ck := e.clerk(b)
	run(b, engine(ck.WithAuth()), e.token, http.StatusNoContent)
}

// BenchmarkWarmAPIKey is the common machine case: an API key verified
// before, answered from the machine-credential cache, on a route that
// accepts sessions and API keys. The fake Backend API only ever sees the
// first request.
func BenchmarkWarmAPIKey(b *testing.B) {
	e := newBenchEnv(b)
	srv := ginclerktest.NewServer(b, e.key)
	token := srv.AddAPIKey(ginclerktest.MachineCredential{Name: "bench", Scopes: []string{"read"}})
	ck := e.clerk(b, ginclerk.WithSecretKey(srv.SecretKey), ginclerk.WithAPIURL(srv.URL),
		ginclerk.WithHTTPClient(srv.Client()), ginclerk.WithMachineTokenCacheTTL(time.Hour))
	run(b, engine(ck.WithAuth(ginclerk.WithAcceptsToken(ginclerk.SessionToken, ginclerk.APIKey))), token, http.StatusNoContent)
	if calls := srv.VerifyCalls().APIKeys; calls != 1 {
		b.Fatalf("%d Backend API calls, want 1", calls)
	}
}

// BenchmarkParallelWarm hits one cached token from every P: the cache must
// not serialize them.
func BenchmarkParallelWarm(b *testing.B) {
	e := newBenchEnv(b)
	ck := e.clerk(b)
	runParallel(b, engine(ck.WithAuth()), e.token, http.StatusNoContent)
}

// BenchmarkExpiredToken replays an expired genuine token to the strict
// middleware. Expired tokens are never cached, so this pays the RSA check.
func BenchmarkExpiredToken(b *testing.B) {
	e := newBenchEnv(b)
	ck := e.clerk(b)
	token := e.key.Mint(b, append(benchClaims(time.Now()), ginclerktest.ExpiresIn(-time.Minute))...)
	run(b, engine(ck.RequireAuth()), token, http.StatusUnauthorized)
}

// BenchmarkForgedReplay replays one forged token to the strict middleware:
// after the first, the negative cache answers without RSA.
func BenchmarkForgedReplay(b *testing.B) {
	e := newBenchEnv(b)
	ck := e.clerk(b)
	run(b, engine(ck.RequireAuth()), forged(b, e), http.StatusUnauthorized)
}

// BenchmarkForgedNoCache is BenchmarkForgedReplay with the cache disabled:
// every replay costs an RSA check.
func BenchmarkForgedNoCache(b *testing.B) {
	e := newBenchEnv(b)
	ck := e.clerk(b, ginclerk.WithTokenCacheBytes(0))
	run(b, engine(ck.RequireAuth()), forged(b, e), http.StatusUnauthorized)
}

// BenchmarkMissingToken is a request with no token to the strict middleware.
func BenchmarkMissingToken(b *testing.B) {
	e := newBenchEnv(b)
	ck := e.clerk(b)
	run(b, engine(ck.RequireAuth()), "", http.StatusUnauthorized)
}

// forged returns e.token with its signature replaced by another key's.
func forged(b *testing.B, e benchEnv) string {
	other := ginclerktest.SharedKey(b, 1).WithKID(e.key.KID).Mint(b, benchClaims(time.Now())...)
	return e.token[:strings.LastIndexByte(e.token, '.')] + other[strings.LastIndexByte(other, '.'):]
}
