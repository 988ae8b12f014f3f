package keys

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Faults the fake Backend API can simulate.
const (
	faultNone    = ""
	faultRefused = "refused" // connection refused: the client dials a closed port
	fault500     = "500"
	faultHang    = "hang" // no answer until the client gives up
	faultGarbage = "garbage"
	faultHuge    = "huge" // a 50 MiB body, streamed
	faultEmpty   = "empty"
	fault401     = "401"
	fault403     = "403"
)

// fakeClerk is a Backend API serving /v1/jwks in Clerk's wire format. It
// checks the bearer secret, counts requests and simulates faults.
type fakeClerk struct {
	srv      *httptest.Server
	deadAddr string // a closed listener's address: dialling it is refused
	fetches  atomic.Int64
	quit     chan struct{}

	mu      sync.Mutex
	bodies  map[string][]byte // secret → body served
	fault   string
	delay   time.Duration
	gate    chan struct{} // when set, requests wait for it to close: a fetch provably in flight
	lastReq http.Header
}

const testSecret = "sk_test_fakesecretvalue"

func newFakeClerk(t testing.TB) *fakeClerk {
	t.Helper()
	f := &fakeClerk{bodies: map[string][]byte{}, quit: make(chan struct{})}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	// Not a listener opened and closed here: its ephemeral port could be
	// handed to a server of a concurrent test (or test binary) before the
	// refused dial, which would then reach that server instead. Servers
	// bind ephemeral ports, never port 1.
	f.deadAddr = "127.0.0.1:1"
	t.Cleanup(func() { close(f.quit); f.srv.Close() })
	return f
}

// serveKeys sets the JWKS answered to secret.
func (f *fakeClerk) serveKeys(t testing.TB, secret string, keys ...jwkJSON) {
	body := jwksBody(t, keys...)
	f.mu.Lock()
	f.bodies[secret] = body
	f.mu.Unlock()
}

func (f *fakeClerk) setFault(fault string) {
	f.mu.Lock()
	f.fault = fault
	f.mu.Unlock()
}

func (f *fakeClerk) setDelay(d time.Duration) {
	f.mu.Lock()
	f.delay = d
	f.mu.Unlock()
}

// hold makes requests wait until the returned function is called.
func (f *fakeClerk) hold() (release func()) {
	gate := make(chan struct{})
	f.mu.Lock()
	f.gate = gate
	f.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			f.mu.Lock()
			f.gate = nil
			f.mu.Unlock()
			close(gate)
		})
	}
}

func (f *fakeClerk) serve(w http.ResponseWriter, r *http.Request) {
	f.fetches.Add(1)
	f.mu.Lock()
	fault, delay, gate := f.fault, f.delay, f.gate
	f.lastReq = r.Header.Clone()
	body, known := f.bodies[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-r.Context().Done():
			return
		case <-f.quit:
			return
		}
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case r.URL.Path != "/v1/jwks" || r.Method != http.MethodGet:
		http.NotFound(w, r)
	case fault == fault401 || !known:
		http.Error(w, `{"errors":[{"code":"authentication_invalid"}]}`, http.StatusUnauthorized)
	case fault == fault403:
		http.Error(w, `{"errors":[]}`, http.StatusForbidden)
	case fault == fault500:
		http.Error(w, "oops", http.StatusInternalServerError)
	case fault == faultHang:
		select {
		case <-r.Context().Done():
		case <-f.quit:
		}
	case fault == faultGarbage:
		_, _ = w.Write([]byte(`{"keys":[{"kty":"RSA",`))
	case fault == faultEmpty:
		_, _ = w.Write([]byte(`{"keys":[]}`))
	case fault == faultHuge:
		chunk := bytes.Repeat([]byte{' '}, 64<<10)
		_, _ = w.Write([]byte(`{"keys":[`))
		for range (50 << 20) / len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return // the client stopped reading at the cap
			}
		}
	default:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}
}

// client dials the fake server, or the dead address while the fault is
// faultRefused, so one cache URL can see a real connection refusal.
func (f *fakeClerk) client() *http.Client {
	tr := &http.Transport{
		// Every fetch dials, so a switch to faultRefused takes effect at once.
		DisableKeepAlives: true,
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			f.mu.Lock()
			addr := f.srv.Listener.Addr().String()
			if f.fault == faultRefused {
				addr = f.deadAddr
			}
			f.mu.Unlock()
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}
	return &http.Client{Transport: tr}
}

// fakeClock is the injected clock; it only moves when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
