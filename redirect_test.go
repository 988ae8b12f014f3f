package ginclerk_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCustomClientFollowsNoRedirect: a client given with WithHTTPClient
// follows redirects by default, but ginclerk must not — the secret key goes
// only to the configured API URL and keys come only from there. A 3xx is a
// failed fetch, and the application's client is left as it was.
func TestCustomClientFollowsNoRedirect(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	elsewhere := ginclerktest.NewServer(t, key)
	var gotAuth []string
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = append(gotAuth, r.Header.Get("Authorization"))
		http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(redirector.Close)
	client := &http.Client{} // follows up to 10 redirects
	ck, err := ginclerk.New(quiet(), ginclerk.WithClock(fixedClock), ginclerk.WithAPIURL(redirector.URL),
		ginclerk.WithSecretKey(elsewhere.SecretKey), ginclerk.WithHTTPClient(client))
	require.NoError(t, err)
	t.Cleanup(func() { _ = ck.Close() })

	var s seen
	w := do(router(&s, ck.RequireAuth()), get(mint(t, key)))
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.Equal(t, ginclerk.ReasonJWKRemoteFailedToLoad, w.Header().Get("X-Clerk-Auth-Reason"))
	assert.Equal(t, []string{"Bearer " + elsewhere.SecretKey}, gotAuth, "one request, to the configured URL")
	assert.Zero(t, elsewhere.Fetches(), "the redirect was not followed")
	assert.Nil(t, client.CheckRedirect, "the application's client is not modified")
	st := ck.KeyStats()
	assert.Equal(t, uint64(1), st.Failures)
	assert.ErrorIs(t, st.LastError, ginclerk.ErrKeysUnavailable, "LastError is the public *Error")
}
