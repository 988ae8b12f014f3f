package ginclerktest

import (
	"crypto/subtle"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ginclerk/ginclerk"
)

// Server is a fake Clerk Backend API: an httptest.Server on 127.0.0.1 that
// serves GET /<version>/jwks and the machine-credential verify endpoints
// (see AddAPIKey) in Clerk's wire format to requests carrying
// "Authorization: Bearer <SecretKey>", and answers 404 everywhere else. It is
// safe for concurrent use and closes itself when the test ends.
type Server struct {
	// Server is the running httptest server: URL, Client (which trusts
	// it), CloseClientConnections….
	*httptest.Server

	// SecretKey is the secret key the server accepts: "sk_test_" followed by
	// random hex, different for every server. Never log it, as you would
	// never log a real one.
	SecretKey string
	// MachineSecretKey is a machine secret key ("ak_" followed by random
	// hex) that the M2M token verify endpoint accepts besides SecretKey, as
	// Clerk's does. Never log it either.
	MachineSecretKey string

	fetches atomic.Int64
	closing chan struct{} // closed by Close to release hanging handlers
	once    sync.Once

	mu      sync.Mutex
	version string
	keys    []*Key
	raw     []byte // when non-nil, served verbatim instead of keys
	fault   Fault
	machine machineCredentials // guarded by mu
}

// NewServer starts a fake Backend API serving keys, or DefaultKey(t) when
// none are given, at /v1/jwks. The server is closed by t.Cleanup.
func NewServer(t testing.TB, keys ...*Key) *Server {
	t.Helper()
	if len(keys) == 0 {
		keys = []*Key{DefaultKey(t)}
	}
	s := &Server{
		SecretKey:        "sk_test_" + randomHex(16),
		MachineSecretKey: "ak_" + randomHex(16),
		closing:          make(chan struct{}),
		version:          "v1",
		keys:             slices.Clone(keys),
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	t.Cleanup(s.Close)
	return s
}

// Options returns the ginclerk options that make a Clerk instance fetch its
// keys from s, and use nothing the environment says: WithAPIURL(s.URL),
// WithSecretKey(s.SecretKey), WithHTTPClient(s.Client()) and
// WithoutEnvironment().
func (s *Server) Options() []ginclerk.Option {
	return []ginclerk.Option{
		ginclerk.WithAPIURL(s.URL),
		ginclerk.WithSecretKey(s.SecretKey),
		ginclerk.WithHTTPClient(s.Client()),
		ginclerk.WithoutEnvironment(),
	}
}

// Fetches returns how many JWKS requests the server has received, whatever
// their outcome (wrong secret and injected faults included). Requests to
// other paths do not count.
func (s *Server) Fetches() int { return int(s.fetches.Load()) }

// SetKeys replaces the served key set, as Clerk's does when keys rotate.
// It also undoes SetJWKS. An empty call serves {"keys":[]}.
func (s *Server) SetKeys(keys ...*Key) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys, s.raw = slices.Clone(keys), nil
}

// SetJWKS makes the server answer JWKS requests with 200 and body, verbatim
// (an empty non-nil body included), for tests of malformed key sets: a key
// with kty "EC", alg "RS512", a 1024-bit modulus, a missing kid….
// SetJWKS(nil) or SetKeys goes back to serving keys. Faults still apply.
func (s *Server) SetJWKS(body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raw = nil
	if body != nil {
		s.raw = slices.Clone(body)
	}
}

// SetAPIVersion moves the JWKS endpoint to /<version>/jwks, to test
// ginclerk.WithAPIVersion. Default: "v1".
func (s *Server) SetAPIVersion(version string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version = version
}

// Fail injects f into every later JWKS request, until Fail(FaultNone).
func (s *Server) Fail(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// Close releases requests blocked by FaultHang, then shuts the server down
// and waits for its handlers to return. It is safe to call more than once;
// NewServer registers it with t.Cleanup.
func (s *Server) Close() {
	s.once.Do(func() { close(s.closing) })
	s.Server.Close()
}

// authorized reports whether r carries the server's secret key, in
// constant time because this is how secrets are compared.
func (s *Server) authorized(r *http.Request) bool {
	want := "Bearer " + s.SecretKey
	return subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte(want)) == 1
}
