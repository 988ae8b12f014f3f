package bench

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk/internal/benchkit"
)

// fixture is shared by every benchmark: one key, one token.
var fixture = sync.OnceValues(func() (*Fixture, error) { return NewFixture(time.Hour) })

// benchTarget serves a fresh GET / with the fixture's bearer token through
// the named target b.N times, as BenchmarkBareRoute and friends do in the
// root module, after checking once that the request is let through.
func benchTarget(b *testing.B, name string) {
	serve := server(b, name)
	b.ReportAllocs()
	for b.Loop() {
		serve()
	}
}

// server returns a function serving one fresh GET / with the fixture's
// bearer token through the named target, after checking once that the
// request is let through. The middleware is closed with b.
func server(b *testing.B, name string) func() {
	f, err := fixture()
	if err != nil {
		b.Fatal(err)
	}
	mw, closeMW, err := Middleware(name, f)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(closeMW)
	r := Engine(mw)
	auth := "Bearer " + f.Token // the harness's cost, paid once
	serve := func(w http.ResponseWriter) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Authorization", auth)
		r.ServeHTTP(w, req)
	}
	w := httptest.NewRecorder()
	serve(w)
	if w.Code != http.StatusNoContent {
		b.Fatalf("%s: status %d, want 204", name, w.Code)
	}
	return func() { serve(httptest.NewRecorder()) }
}

// The Paired benchmarks carry the time targets of `make bench-compare`:
// each alternates small batches of two targets within one benchmark and
// reports the ratio as a metric (benchkit.Paired).
func BenchmarkPairedColdVsFloor(b *testing.B) {
	benchkit.Paired(b, "x-floor", server(b, "floor"), server(b, "ginclerk-cold"))
}

func BenchmarkPairedColdVsClerkSDK(b *testing.B) {
	benchkit.Paired(b, "x-clerksdk", server(b, "clerk-sdk-go"), server(b, "ginclerk-cold"))
}

func BenchmarkPairedWarmVsBare(b *testing.B) {
	benchkit.Paired(b, "x-bare", server(b, "bare"), server(b, "ginclerk-warm"))
}

func BenchmarkBareRoute(b *testing.B)    { benchTarget(b, "bare") }
func BenchmarkFloor(b *testing.B)        { benchTarget(b, "floor") }
func BenchmarkGinclerkCold(b *testing.B) { benchTarget(b, "ginclerk-cold") }
func BenchmarkGinclerkWarm(b *testing.B) { benchTarget(b, "ginclerk-warm") }

// BenchmarkClerkSDK is clerk-sdk-go's RequireHeaderAuthorization with its
// JWKS cache warm.
func BenchmarkClerkSDK(b *testing.B) { benchTarget(b, "clerk-sdk-go") }

// BenchmarkClerkSDKVerify is clerk-sdk-go's jwt.Verify with a pre-parsed
// JWK: the SDK at its fastest.
func BenchmarkClerkSDKVerify(b *testing.B) { benchTarget(b, "clerk-sdk-go-verify") }
func BenchmarkJWX(b *testing.B)            { benchTarget(b, "jwx") }

// TestTargetsAgree runs every target once on the valid token and on a
// forged one: the comparison is only fair between middlewares that all
// accept the first and refuse the second.
func TestTargetsAgree(t *testing.T) {
	f, err := fixture()
	if err != nil {
		t.Fatal(err)
	}
	forged := f.Token[:len(f.Token)-4] + "AAAA"
	for _, name := range Targets {
		t.Run(name, func(t *testing.T) {
			mw, closeMW, err := Middleware(name, f)
			if err != nil {
				t.Fatal(err)
			}
			defer closeMW()
			r := Engine(mw)
			for token, want := range map[string]int{f.Token: http.StatusNoContent, forged: http.StatusUnauthorized} {
				if name == "bare" {
					want = http.StatusNoContent
				}
				w := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodGet, "/", nil)
				req.Header.Set("Authorization", "Bearer "+token)
				r.ServeHTTP(w, req)
				if w.Code != want {
					t.Errorf("status %d, want %d", w.Code, want)
				}
			}
		})
	}
}

func init() { gin.SetMode(gin.ReleaseMode) }
