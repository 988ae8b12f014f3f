package ginclerktest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk/ginclerktest"
)

// post sends a verify request as Clerk's SDKs do and decodes the answer.
func post(t *testing.T, s *ginclerktest.Server, path, authz string, body map[string]string) (int, map[string]any) {
	t.Helper()
	data, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+path, bytes.NewReader(data))
	require.NoError(t, err)
	req.Header.Set("Authorization", authz)
	req.Header.Set("Content-Type", "application/json")
	client := *s.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return res.StatusCode, m
}

func TestVerifyEndpointsWireFormat(t *testing.T) {
	t.Parallel()
	s := ginclerktest.NewServer(t)
	exp := time.UnixMilli(1753746916590)
	ak := s.AddAPIKey(ginclerktest.MachineCredential{ID: "ak_id", Name: "ci", Subject: "org_1",
		Scopes: []string{"read"}, Claims: map[string]any{"a": 1.0}, ExpiresAt: exp})
	mt := s.AddM2MToken(ginclerktest.MachineCredential{})
	oat := s.AddOAuthToken(ginclerktest.MachineCredential{Audience: []string{"https://api.example.com"}})
	require.Regexp(t, `^ak_[0-9a-f]{48}$`, ak)
	require.Regexp(t, `^mt_[0-9a-f]{48}$`, mt)
	require.Regexp(t, `^oat_[0-9a-f]{48}$`, oat)

	status, got := post(t, s, "/api_keys/verify", bearer(s), map[string]string{"secret": ak})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, map[string]any{"object": "api_key", "id": "ak_id", "type": "api_key", "name": "ci",
		"subject": "org_1", "scopes": []any{"read"}, "claims": map[string]any{"a": 1.0}, "revoked": false,
		"revocation_reason": nil, "expired": false, "expiration": 1753746916590.0, "created_by": nil,
		"description": nil, "last_used_at": nil, "created_at": 1753743316590.0, "updated_at": 1753743316590.0}, got)

	status, got = post(t, s, "/m2m_tokens/verify", "Bearer "+s.MachineSecretKey, map[string]string{"token": mt})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "machine_to_machine_token", got["object"])
	assert.Equal(t, ginclerktest.DefaultMachineID, got["subject"])
	assert.Equal(t, []any{}, got["scopes"])
	assert.Nil(t, got["claims"])
	assert.Nil(t, got["expiration"])

	status, got = post(t, s, "/oauth_applications/access_tokens/verify", bearer(s), map[string]string{"access_token": oat})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "clerk_idp_oauth_access_token", got["object"])
	assert.Equal(t, ginclerktest.DefaultClientID, got["client_id"])
	assert.Equal(t, ginclerktest.DefaultUserID, got["subject"])
	assert.Equal(t, []any{"https://api.example.com"}, got["aud"])

	assert.Equal(t, ginclerktest.VerifyCalls{APIKeys: 1, M2MTokens: 1, OAuthTokens: 1}, s.VerifyCalls())
}

func TestVerifyEndpointsRefuse(t *testing.T) {
	t.Parallel()
	s := ginclerktest.NewServer(t)
	ak := s.AddAPIKey(ginclerktest.MachineCredential{})
	tests := []struct {
		name, path, authz, field, token string
		status                          int
	}{
		{"unknown", "/api_keys/verify", bearer(s), "secret", "ak_unknown", http.StatusNotFound},
		{"another kind's endpoint", "/m2m_tokens/verify", bearer(s), "token", ak, http.StatusNotFound},
		{"wrong secret key", "/api_keys/verify", "Bearer sk_test_wrong", "secret", ak, http.StatusUnauthorized},
		{"machine secret key outside M2M", "/api_keys/verify", "Bearer " + s.MachineSecretKey, "secret", ak,
			http.StatusUnauthorized},
		{"wrong body member", "/api_keys/verify", bearer(s), "token", ak, http.StatusUnprocessableEntity},
		{"versioned path", "/v1/api_keys/verify", bearer(s), "secret", ak, http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, _ := post(t, s, tc.path, tc.authz, map[string]string{tc.field: tc.token})
			assert.Equal(t, tc.status, status)
		})
	}
}

func TestRevoke(t *testing.T) {
	t.Parallel()
	s := ginclerktest.NewServer(t)
	ak := s.AddAPIKey(ginclerktest.MachineCredential{})
	s.Revoke(ak)
	s.Revoke("ak_unknown") // ignored
	status, got := post(t, s, "/api_keys/verify", bearer(s), map[string]string{"secret": ak})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, true, got["revoked"])
	assert.Equal(t, "revoked by test", got["revocation_reason"])
}

func TestFailVerify(t *testing.T) {
	t.Parallel()
	s := ginclerktest.NewServer(t)
	ak := s.AddAPIKey(ginclerktest.MachineCredential{})
	for _, tc := range []struct {
		fault  ginclerktest.Fault
		status int
	}{
		{ginclerktest.Fault500, http.StatusInternalServerError},
		{ginclerktest.Fault429, http.StatusTooManyRequests},
		{ginclerktest.Fault401, http.StatusUnauthorized},
		{ginclerktest.FaultRedirect, http.StatusTemporaryRedirect},
		{ginclerktest.FaultNone, http.StatusOK},
	} {
		t.Run(tc.fault.String(), func(t *testing.T) {
			s.FailVerify(tc.fault)
			status, _ := post(t, s, "/api_keys/verify", bearer(s), map[string]string{"secret": ak})
			assert.Equal(t, tc.status, status)
		})
	}
	// The JWKS endpoint is unaffected.
	s.FailVerify(ginclerktest.Fault500)
	res, err := get(t, s, http.MethodGet, "/v1/jwks", bearer(s), 10*time.Second)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.status)
}

func TestMachineTokenClaims(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	t.Run("m2m", func(t *testing.T) {
		j := split(t, key.Mint(t, ginclerktest.M2M("mch_7", "mch_a", "mch_b")))
		header, payload := object(t, j.header), object(t, j.payload)
		assert.Equal(t, "cl_B7d4PD333AAA", header["cat"])
		assert.Equal(t, "mch_7", payload["sub"])
		assert.Equal(t, "mch_a mch_b", payload["scopes"])
		assert.Regexp(t, `^mt_[0-9a-f]+$`, payload["jti"])
		for _, name := range []string{"sid", "sts", "v", "azp", "fva"} {
			assert.NotContains(t, payload, name)
		}
		require.NoError(t, verifies(&key.Private.PublicKey, j))
	})
	t.Run("oauth", func(t *testing.T) {
		j := split(t, key.Mint(t, ginclerktest.OAuth("client_9", "email", "profile"),
			ginclerktest.Audience("https://a.example", "https://b.example")))
		header, payload := object(t, j.header), object(t, j.payload)
		assert.Equal(t, "at+jwt", header["typ"])
		assert.NotContains(t, header, "cat")
		assert.Equal(t, "client_9", payload["client_id"])
		assert.Equal(t, "email profile", payload["scope"])
		assert.Equal(t, []any{"https://a.example", "https://b.example"}, payload["aud"])
		assert.Regexp(t, `^oat_[0-9a-f]+$`, payload["jti"])
		assert.Equal(t, ginclerktest.DefaultUserID, payload["sub"])
	})
	t.Run("one audience is a string", func(t *testing.T) {
		payload := object(t, split(t, key.Mint(t, ginclerktest.Audience("https://a.example"))).payload)
		assert.Equal(t, "https://a.example", payload["aud"])
	})
}

// TestJWKSNewFaults: the faults added for the verify endpoints apply to the
// JWKS endpoint as well.
func TestJWKSNewFaults(t *testing.T) {
	t.Parallel()
	s := ginclerktest.NewServer(t)
	s.Fail(ginclerktest.Fault429)
	res, err := get(t, s, http.MethodGet, "/v1/jwks", bearer(s), 10*time.Second)
	require.NoError(t, err)
	assert.Equal(t, http.StatusTooManyRequests, res.status)

	s.Fail(ginclerktest.FaultRedirect)
	res, err = get(t, s, http.MethodGet, "/v1/jwks", bearer(s), 10*time.Second)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.status, "s.Client() follows the redirect to the real answer")
	assert.Equal(t, 3, s.Fetches(), "the 429, the redirect and its target all count")
}
