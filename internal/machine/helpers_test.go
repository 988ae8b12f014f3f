package machine_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/machine"
	"github.com/stretchr/testify/require"
)

// t0 is the fixed start of the injected clock.
var t0 = time.Date(2026, 5, 12, 10, 0, 0, 0, time.UTC)

// clock is an injectable clock tests advance by hand: nanoseconds since t0.
type clock struct{ offset atomic.Int64 }

func newClock() *clock { return &clock{} }

func (c *clock) Now() time.Time          { return t0.Add(time.Duration(c.offset.Load())) }
func (c *clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// inProcess is a RoundTripper that hands requests to the fake Backend API's
// handler directly: Clerk's wire format without sockets, so tests that make
// thousands of calls stay fast and leave no connections behind.
type inProcess struct{ h http.Handler }

func (p inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// gate holds every request until opened; entered is closed at the first.
type gate struct {
	next    http.RoundTripper
	open    chan struct{}
	entered chan struct{}
	once    sync.Once
}

func newGate(next http.RoundTripper) *gate {
	return &gate{next: next, open: make(chan struct{}), entered: make(chan struct{})}
}

func (g *gate) RoundTrip(r *http.Request) (*http.Response, error) {
	g.once.Do(func() { close(g.entered) })
	select {
	case <-g.open:
		return g.next.RoundTrip(r)
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
}

// fixture is a fake Backend API and a Verifier talking to it in process.
type fixture struct {
	srv   *ginclerktest.Server
	clock *clock
	v     *machine.Verifier
}

// newFixture starts a fake Backend API and a Verifier on it; edit adjusts
// the Config (whose HTTPClient is the in-process one) before New.
func newFixture(t testing.TB, edit func(*machine.Config, *ginclerktest.Server)) *fixture {
	t.Helper()
	srv := ginclerktest.NewServer(t)
	f := &fixture{srv: srv, clock: newClock()}
	cfg := machine.Config{
		APIURL:     srv.URL,
		SecretKey:  srv.SecretKey,
		HTTPClient: &http.Client{Transport: inProcess{srv.Config.Handler}},
		Logger:     slog.New(slog.DiscardHandler),
		Now:        f.clock.Now,
		CacheTTL:   machine.DefaultCacheTTL,
	}
	if edit != nil {
		edit(&cfg, srv)
	}
	f.v = machine.New(cfg)
	t.Cleanup(f.v.Close)
	return f
}

// verify calls Verify with a bounded context: a hang fails the test
// instead of stalling the suite.
func (f *fixture) verify(t testing.TB, token string) (*machine.Credential, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return f.v.Verify(ctx, token)
}

// requireReason asserts err is a *clerkerr.Error with reason.
func requireReason(t testing.TB, err error, reason string) {
	t.Helper()
	var ce *clerkerr.Error
	require.True(t, errors.As(err, &ce), "want a *clerkerr.Error, got %v", err)
	require.Equal(t, reason, ce.Reason, "message: %s", ce.Message)
}

// calls sums the verify requests the fake Backend API received.
func calls(s *ginclerktest.Server) int {
	c := s.VerifyCalls()
	return c.APIKeys + c.M2MTokens + c.OAuthTokens
}
