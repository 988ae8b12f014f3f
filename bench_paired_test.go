package ginclerk_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/ginclerk/ginclerk/internal/benchkit"
)

// The Paired benchmarks carry the time targets of `make bench`: each
// alternates small batches of the path under test with its baseline
// inside one benchmark (benchkit.Paired) and reports the ratio as a
// metric, x-bare or x-floor, so that load from other processes weighs on
// both sides alike.

// serve returns a function serving a fresh GET / with auth through r, as
// run does.
func serve(r http.Handler, auth string) func() {
	return func() { r.ServeHTTP(httptest.NewRecorder(), request(auth)) }
}

// BenchmarkPairedWarm: a token seen before against the bare route, same
// request and recorder.
func BenchmarkPairedWarm(b *testing.B) {
	e := newBenchEnv(b)
	bare, warm := engine(nil), engine(e.clerk(b).WithAuth())
	check(b, warm, e.token, http.StatusNoContent)
	benchkit.Paired(b, "x-bare", serve(bare, bearer(e.token)), serve(warm, bearer(e.token)))
}

// BenchmarkPairedParallelWarm is BenchmarkPairedWarm from every P.
func BenchmarkPairedParallelWarm(b *testing.B) {
	e := newBenchEnv(b)
	bare, warm := engine(nil), engine(e.clerk(b).WithAuth())
	check(b, warm, e.token, http.StatusNoContent)
	benchkit.PairedParallel(b, "x-bare", serve(bare, bearer(e.token)), serve(warm, bearer(e.token)))
}

// BenchmarkPairedColdToken: a token verified with the cache off against
// the floor.
func BenchmarkPairedColdToken(b *testing.B) {
	e := newBenchEnv(b)
	floor, cold := engine(benchkit.Floor(&e.key.Private.PublicKey)), engine(e.clerk(b, ginclerk.WithTokenCacheBytes(0)).WithAuth())
	check(b, cold, e.token, http.StatusNoContent)
	benchkit.Paired(b, "x-floor", serve(floor, bearer(e.token)), serve(cold, bearer(e.token)))
}

// BenchmarkPairedFirstSight: distinct tokens, each a miss of the cache (as
// in BenchmarkFirstSight), against the floor verifying the same tokens in
// the same order, so that both sides read the same request stream.
func BenchmarkPairedFirstSight(b *testing.B) {
	e := newBenchEnv(b)
	const tokens = 32
	auths := make([]string, tokens)
	for i := range auths {
		auths[i] = bearer(e.key.Mint(b, append(benchClaims(time.Now()), ginclerktest.Set("jti", strings.Repeat("p", i+1)))...))
	}
	r := engine(e.clerk(b, ginclerk.WithTokenCacheBytes(16<<10)).WithAuth())
	for _, auth := range auths {
		check(b, r, strings.TrimPrefix(auth, "Bearer "), http.StatusNoContent)
	}
	floor := engine(benchkit.Floor(&e.key.Private.PublicKey))
	benchkit.Paired(b, "x-floor", cycle(floor, auths), cycle(r, auths))
}

// cycle returns a function serving a fresh GET / through r with each of
// auths in turn.
func cycle(r http.Handler, auths []string) func() {
	i := 0
	return func() {
		r.ServeHTTP(httptest.NewRecorder(), request(auths[i%len(auths)]))
		i++
	}
}
