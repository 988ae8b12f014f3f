package ginclerktest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk/ginclerktest"
)

// response is what one request to the fake Backend API got.
type response struct {
	status int
	ctype  string
	body   []byte
}

// get requests path from s with the given Authorization header ("" for
// none), bounded by timeout.
func get(t *testing.T, s *ginclerktest.Server, method, path, authz string, timeout time.Duration) (response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, s.URL+path, nil)
	require.NoError(t, err)
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	res, err := s.Client().Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header.Get("Content-Type"), body}, err
}

func bearer(s *ginclerktest.Server) string { return "Bearer " + s.SecretKey }

// kids decodes a JWKS body into its kids.
func kids(t *testing.T, body []byte) []string {
	t.Helper()
	var set struct {
		Keys []jwk `json:"keys"`
	}
	require.NoError(t, json.Unmarshal(body, &set), "%.200s", body)
	out := []string{}
	for _, k := range set.Keys {
		out = append(out, k.KID)
	}
	return out
}

// errorCode decodes a Clerk-style error body.
func errorCode(t *testing.T, body []byte) string {
	t.Helper()
	var e struct {
		Errors []struct{ Message, Code string } `json:"errors"`
	}
	require.NoError(t, json.Unmarshal(body, &e), "%s", body)
	require.Len(t, e.Errors, 1)
	assert.NotEmpty(t, e.Errors[0].Message)
	return e.Errors[0].Code
}

func TestServerAuthentication(t *testing.T) {
	t.Parallel()
	s := ginclerktest.NewServer(t)
	assert.Regexp(t, `^sk_test_[0-9a-f]{32}$`, s.SecretKey)
	assert.True(t, strings.HasPrefix(s.URL, "http://127.0.0.1:"), s.URL)
	tests := []struct {
		name, method, path, authz string
		status                    int
		code                      string // error code, or "" for the key set
		counted                   bool
	}{
		{"right secret", http.MethodGet, "/v1/jwks", bearer(s), http.StatusOK, "", true},
		{"no header", http.MethodGet, "/v1/jwks", "", http.StatusUnauthorized, "authentication_invalid", true},
		{"wrong secret", http.MethodGet, "/v1/jwks", "Bearer sk_test_wrong", http.StatusUnauthorized, "authentication_invalid", true},
		{"secret without scheme", http.MethodGet, "/v1/jwks", s.SecretKey, http.StatusUnauthorized, "authentication_invalid", true},
		{"secret with a suffix", http.MethodGet, "/v1/jwks", bearer(s) + "x", http.StatusUnauthorized, "authentication_invalid", true},
		{"other version", http.MethodGet, "/v2/jwks", bearer(s), http.StatusNotFound, "resource_not_found", false},
		{"other path", http.MethodGet, "/v1/users", bearer(s), http.StatusNotFound, "resource_not_found", false},
		{"post", http.MethodPost, "/v1/jwks", bearer(s), http.StatusMethodNotAllowed, "method_not_allowed", true},
	}
	// Sequential: each row checks the fetch counter.
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.Fetches()
			res, err := get(t, s, tt.method, tt.path, tt.authz, 5*time.Second)
			require.NoError(t, err)
			assert.Equal(t, tt.status, res.status)
			assert.Equal(t, "application/json", res.ctype)
			if tt.code == "" {
				assert.Equal(t, []string{"ins_test_1"}, kids(t, res.body))
				assert.JSONEq(t, string(ginclerktest.JWKS(ginclerktest.DefaultKey(t))), string(res.body))
			} else {
				assert.Equal(t, tt.code, errorCode(t, res.body))
				assert.NotContains(t, string(res.body), s.SecretKey)
			}
			want := before
			if tt.counted {
				want++
			}
			assert.Equal(t, want, s.Fetches())
		})
	}
}

func TestServerSecretsDiffer(t *testing.T) {
	t.Parallel()
	a, b := ginclerktest.NewServer(t), ginclerktest.NewServer(t)
	assert.NotEqual(t, a.SecretKey, b.SecretKey)
	res, err := get(t, a, http.MethodGet, "/v1/jwks", bearer(b), 5*time.Second)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, res.status)
}

func TestServerKeysAndRotation(t *testing.T) {
	t.Parallel()
	k1, k2 := ginclerktest.SharedKey(t, 0), ginclerktest.SharedKey(t, 1)
	s := ginclerktest.NewServer(t, k1, k2)
	fetch := func() response {
		res, err := get(t, s, http.MethodGet, "/v1/jwks", bearer(s), 5*time.Second)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, res.status)
		return res
	}
	assert.Equal(t, []string{"ins_test_1", "ins_test_2"}, kids(t, fetch().body))

	s.SetKeys(k2, k1.WithKID("ins_new"))
	assert.Equal(t, []string{"ins_test_2", "ins_new"}, kids(t, fetch().body))

	s.SetKeys()
	assert.Equal(t, []string{}, kids(t, fetch().body))

	s.SetJWKS([]byte(`{"keys":[{"kty":"EC","kid":"x"}]}`))
	assert.Equal(t, `{"keys":[{"kty":"EC","kid":"x"}]}`, string(fetch().body))
	s.SetJWKS(nil)
	assert.Equal(t, []string{}, kids(t, fetch().body), "SetJWKS(nil) serves the keys again")

	s.SetJWKS([]byte{})
	assert.Empty(t, fetch().body, "an empty body is served as such")

	s.SetJWKS([]byte(`{}`))
	s.SetKeys(k1)
	assert.Equal(t, []string{"ins_test_1"}, kids(t, fetch().body), "SetKeys undoes SetJWKS")
	assert.Equal(t, 7, s.Fetches())
}

func TestServerAPIVersion(t *testing.T) {
	t.Parallel()
	s := ginclerktest.NewServer(t)
	s.SetAPIVersion("v2")
	res, err := get(t, s, http.MethodGet, "/v2/jwks", bearer(s), 5*time.Second)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.status)
	res, err = get(t, s, http.MethodGet, "/v1/jwks", bearer(s), 5*time.Second)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, res.status)
	assert.Equal(t, 1, s.Fetches())
}

func TestServerConcurrent(t *testing.T) {
	t.Parallel()
	s := ginclerktest.NewServer(t)
	k1, k2 := ginclerktest.SharedKey(t, 0), ginclerktest.SharedKey(t, 1)
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Go(func() {
			switch i % 4 {
			case 0:
				s.SetKeys(k1, k2)
			case 1:
				s.Fail(ginclerktest.Fault500)
			case 2:
				s.Fail(ginclerktest.FaultNone)
			}
			res, err := get(t, s, http.MethodGet, "/v1/jwks", bearer(s), 5*time.Second)
			if assert.NoError(t, err) {
				assert.Contains(t, []int{http.StatusOK, http.StatusInternalServerError}, res.status)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 32, s.Fetches())
}
