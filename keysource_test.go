package ginclerk_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// uniqueSecret is a secret key no other test uses: instances with the same
// (API URL, version, secret) share one key cache, configured by whichever
// came first, so a test that injects its own HTTP client needs its own scope.
func uniqueSecret(t *testing.T) string {
	return "sk_test_" + strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
}

// recordingTransport answers every request with a JWKS of key and records
// the requests, so that tests see where and how ginclerk fetches without a
// network.
type recordingTransport struct {
	key  *ginclerktest.Key
	mu   sync.Mutex
	reqs []*http.Request
}

func (rt *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.reqs = append(rt.reqs, r.Clone(context.Background()))
	rt.mu.Unlock()
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(bytes.NewReader(ginclerktest.JWKS(rt.key))),
		Request:    r,
	}, nil
}

func (rt *recordingTransport) requests() []*http.Request {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]*http.Request(nil), rt.reqs...)
}

// TestJWKSRequest pins the Backend API request Clerk's SDKs make: GET
// {api}/{version}/jwks with the secret as a bearer token, defaulting to
// https://api.clerk.com and v1.
func TestJWKSRequest(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	tests := []struct {
		name string
		opts []ginclerk.Option
		url  string
	}{
		{"defaults", nil, "https://api.clerk.com/v1/jwks"},
		{"API URL and version", []ginclerk.Option{ginclerk.WithAPIURL("https://clerk.internal.example"), ginclerk.WithAPIVersion("v2")},
			"https://clerk.internal.example/v2/jwks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rt := &recordingTransport{key: key}
			secret := uniqueSecret(t)
			ck := pemlessClerk(t, append([]ginclerk.Option{ginclerk.WithSecretKey(secret),
				ginclerk.WithHTTPClient(&http.Client{Transport: rt})}, tt.opts...)...)
			var s seen
			for range 3 {
				do(router(&s, ck.RequireAuth()), get(mint(t, key)))
				require.True(t, s.auth.IsSignedIn(), "reason %q: %s", s.auth.Reason, s.auth.Message)
			}
			reqs := rt.requests()
			require.Len(t, reqs, 1, "one fetch for many requests")
			assert.Equal(t, http.MethodGet, reqs[0].Method)
			assert.Equal(t, tt.url, reqs[0].URL.String())
			assert.Equal(t, "Bearer "+secret, reqs[0].Header.Get("Authorization"))
		})
	}
}

// pemlessClerk is New with the fixed clock and quiet logs, without a PEM key.
func pemlessClerk(t *testing.T, opts ...ginclerk.Option) *ginclerk.Clerk {
	t.Helper()
	ck, err := ginclerk.New(append([]ginclerk.Option{ginclerk.WithClock(fixedClock), quiet()}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = ck.Close() })
	return ck
}

// TestPEMBeforeJWKS: with both a PEM key and a secret key, the PEM key is
// used and Clerk is never asked (PEM first, then the Backend API), from options
// and from the environment alike. Not parallel: t.Setenv.
func TestPEMBeforeJWKS(t *testing.T) {
	clearEnv(t)
	pemKey := ginclerktest.SharedKey(t, 2)
	jwksKey := ginclerktest.SharedKey(t, 3)
	srv := ginclerktest.NewServer(t, jwksKey)

	ck := apiClerk(t, srv, pemKey.Options()...)
	assert.Equal(t, http.StatusOK, strictStatus(ck, mint(t, pemKey)))
	assert.Equal(t, http.StatusUnauthorized, strictStatus(ck, mint(t, jwksKey)), "the JWKS is not consulted")
	assert.Zero(t, srv.Fetches())

	t.Setenv("CLERK_JWT_KEY", pemKey.PublicKeyPEM())
	t.Setenv("CLERK_SECRET_KEY", srv.SecretKey)
	t.Setenv("CLERK_API_URL", srv.URL)
	var s seen
	do(router(&s, ginclerk.WithAuth()), get(pemKey.Mint(t)))
	assert.True(t, s.auth.IsSignedIn(), "package-level, PEM from the environment: %s", s.auth.Reason)
	do(router(&s, ginclerk.WithAuth()), get(jwksKey.Mint(t)))
	assert.False(t, s.auth.IsSignedIn())
	assert.Zero(t, srv.Fetches())
}

// TestAPIVersionFromEnvironment: CLERK_API_VERSION moves the JWKS endpoint
// of the package-level middlewares. Not parallel: t.Setenv.
func TestAPIVersionFromEnvironment(t *testing.T) {
	clearEnv(t)
	key := ginclerktest.DefaultKey(t)
	srv := ginclerktest.NewServer(t, key)
	srv.SetAPIVersion("v9")
	t.Setenv("CLERK_SECRET_KEY", srv.SecretKey)
	t.Setenv("CLERK_API_URL", srv.URL)
	t.Setenv("CLERK_API_VERSION", "v9")
	var s seen
	do(router(&s, ginclerk.WithAuth()), get(key.Mint(t)))
	assert.True(t, s.auth.IsSignedIn(), "reason %q", s.auth.Reason)
	assert.Equal(t, 1, srv.Fetches())
}

// TestKeyCacheScope: instances share a key cache only when API URL,
// version and secret key all match. Were the version or the secret left
// out of the scope, the second instance would be served the first one's
// keys instead of its own answer from Clerk.
func TestKeyCacheScope(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	srv := ginclerktest.NewServer(t, key) // serves /v1/jwks to its own secret only
	v1 := apiClerk(t, srv)
	require.Equal(t, http.StatusOK, strictStatus(v1, mint(t, key)))

	same := apiClerk(t, srv)
	assert.Equal(t, http.StatusOK, strictStatus(same, mint(t, key)))
	assert.Equal(t, 1, srv.Fetches(), "same scope: one fetch")

	otherVersion := apiClerk(t, srv, ginclerk.WithAPIVersion("v2"))
	var s seen
	w := do(router(&s, otherVersion.RequireAuth()), get(mint(t, key)))
	assert.Equal(t, http.StatusServiceUnavailable, w.Code, "another version has its own cache (and no /v2/jwks here)")
	assert.Equal(t, ginclerk.ReasonJWKRemoteFailedToLoad, w.Header().Get("X-Clerk-Auth-Reason"))

	otherSecret := apiClerk(t, srv, ginclerk.WithSecretKey(uniqueSecret(t)))
	w = do(router(&s, otherSecret.RequireAuth()), get(mint(t, key)))
	assert.Equal(t, http.StatusInternalServerError, w.Code, "another secret has its own cache (and Clerk refuses it)")
	assert.Equal(t, ginclerk.ReasonSecretKeyInvalid, w.Header().Get("X-Clerk-Auth-Reason"))
}

// refusedAddr is an address nothing listens on: servers under test bind
// ephemeral ports, never port 1, so dialling it is refused at once.
const refusedAddr = "127.0.0.1:1"

// switchableClient dials srv, or refusedAddr while refuse is set. Keep-alives
// are off so that every fetch dials.
func switchableClient(srv *ginclerktest.Server, refuse *atomic.Bool) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DisableKeepAlives: true,
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			addr := srv.Listener.Addr().String()
			if refuse.Load() {
				addr = refusedAddr
			}
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}}
}

// TestKeysConnectionRefused is a Backend API that refuses connections, through
// the middleware: on a cold cache a prompt 503 jwk-remote-failed-to-load;
// after a good fetch, valid tokens keep passing on the stale keys and the
// refresh recovers when Clerk is reachable again.
func TestKeysConnectionRefused(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)

	t.Run("cold", func(t *testing.T) {
		t.Parallel()
		srv := ginclerktest.NewServer(t, key)
		var refuse atomic.Bool
		refuse.Store(true)
		ck := apiClerk(t, srv, ginclerk.WithHTTPClient(switchableClient(srv, &refuse)), ginclerk.WithFetchTimeout(hangBound))
		var s seen
		w := do(router(&s, ginclerk.ErrorHandler(), ck.RequireAuth()), get(mint(t, key)))
		assert.Equal(t, http.StatusServiceUnavailable, w.Code)
		body := jsonBody(t, w)
		assert.Equal(t, ginclerk.ReasonJWKRemoteFailedToLoad, body["reason"])
		assert.Contains(t, body["error"], "unreachable", "refused at once, not timed out")
		assert.Zero(t, srv.Fetches())
	})

	t.Run("after a good fetch", func(t *testing.T) {
		t.Parallel()
		clk := newClock()
		srv := ginclerktest.NewServer(t, key)
		var refuse atomic.Bool
		ck := apiClerk(t, srv, ginclerk.WithClock(clk.Now), ginclerk.WithTokenCacheBytes(0), ginclerk.WithFetchTimeout(hangBound),
			ginclerk.WithHTTPClient(switchableClient(srv, &refuse)))
		require.Equal(t, http.StatusOK, strictStatus(ck, key.Mint(t, ginclerktest.At(clk.Now()))))

		refuse.Store(true)
		for _, step := range []time.Duration{6 * time.Minute, time.Hour, 20 * time.Hour} {
			clk.Advance(step)
			require.Equal(t, http.StatusOK, strictStatus(ck, key.Mint(t, ginclerktest.At(clk.Now()))),
				"stale keys keep serving %v into the outage", step)
		}
		require.Eventually(t, func() bool { return ck.KeyStats().ConsecutiveFailures > 0 }, hangBound, time.Millisecond,
			"the background refreshes fail")
		assert.Equal(t, 1, srv.Fetches(), "no refused dial reached the server")

		refuse.Store(false)
		requireRecovery(t, ck, key, clk)
	})
}
