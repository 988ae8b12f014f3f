package machine_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/machine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOutcomes maps every answer of the Backend API to a reason code.
func TestOutcomes(t *testing.T) {
	t.Parallel()
	past := t0.Add(-time.Millisecond)
	tests := []struct {
		name   string
		fault  ginclerktest.Fault
		cred   ginclerktest.MachineCredential
		token  func(valid string) string
		secret string // the Verifier's secret key, when not the server's
		reason string
	}{
		{name: "unknown credential (404)", token: func(string) string { return "ak_unknown" }, reason: clerkerr.TokenInvalid},
		{name: "revoked", cred: ginclerktest.MachineCredential{Revoked: true}, reason: clerkerr.TokenInvalid},
		{name: "expired flag", cred: ginclerktest.MachineCredential{Expired: true}, reason: clerkerr.TokenInvalid},
		{name: "expiration passed", cred: ginclerktest.MachineCredential{ExpiresAt: past}, reason: clerkerr.TokenInvalid},
		{name: "expiration now", cred: ginclerktest.MachineCredential{ExpiresAt: t0}, reason: clerkerr.TokenInvalid},
		{name: "wrong secret key (401)", secret: "sk_test_wrong", reason: clerkerr.SecretKeyInvalid},
		{name: "401", fault: ginclerktest.Fault401, reason: clerkerr.SecretKeyInvalid},
		{name: "403", fault: ginclerktest.Fault403, reason: clerkerr.UnexpectedError},
		{name: "500", fault: ginclerktest.Fault500, reason: clerkerr.UnexpectedError},
		{name: "429", fault: ginclerktest.Fault429, reason: clerkerr.UnexpectedError},
		{name: "garbage", fault: ginclerktest.FaultGarbage, reason: clerkerr.UnexpectedError},
		{name: "empty answer names no subject", fault: ginclerktest.FaultEmptySet, reason: clerkerr.UnexpectedError},
		{name: "body over 1 MiB", fault: ginclerktest.FaultHugeBody, reason: clerkerr.UnexpectedError},
		{name: "redirect", fault: ginclerktest.FaultRedirect, reason: clerkerr.UnexpectedError},
		{name: "hang", fault: ginclerktest.FaultHang, reason: clerkerr.UnexpectedError},
		{name: "stall in the body", fault: ginclerktest.FaultStall, reason: clerkerr.UnexpectedError},
		{name: "no machine prefix", token: func(string) string { return "sk_live_abc" }, reason: clerkerr.TokenInvalid},
		{name: "too long", token: func(v string) string { return v + strings.Repeat("a", machine.MaxCredentialBytes) },
			reason: clerkerr.TokenInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, func(cfg *machine.Config, srv *ginclerktest.Server) {
				// A real socket: hangs and stalls must be cut by the timeout,
				// and only they get a short one, so that no other outcome
				// depends on how fast a loaded machine answers.
				cfg.HTTPClient = srv.Client()
				cfg.Timeout = time.Minute
				if tc.fault == ginclerktest.FaultHang || tc.fault == ginclerktest.FaultStall {
					cfg.Timeout = 200 * time.Millisecond
				}
				if tc.secret != "" {
					cfg.SecretKey = tc.secret
				}
			})
			token := f.srv.AddAPIKey(tc.cred)
			if tc.token != nil {
				token = tc.token(token)
			}
			f.srv.FailVerify(tc.fault)
			_, err := f.verify(t, token)
			requireReason(t, err, tc.reason)
			assert.NotContains(t, err.Error(), token)
			assert.NotContains(t, err.Error(), f.srv.SecretKey)
		})
	}
}

// TestNoCallForNonCredentials: what cannot be a credential costs nothing.
func TestNoCallForNonCredentials(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	for _, token := range []string{"", "eyJhbGciOiJSUzI1NiJ9.e30.sig", "ak", "AK_abc", "ak_" + strings.Repeat("x", machine.MaxCredentialBytes)} {
		_, err := f.verify(t, token)
		requireReason(t, err, clerkerr.TokenInvalid)
	}
	assert.Zero(t, calls(f.srv))
}

// TestRequestShape pins the wire format of the three calls: unversioned
// paths, Clerk's headers, the body member of each kind, and which secret
// key authenticates which kind.
func TestRequestShape(t *testing.T) {
	t.Parallel()
	type seen struct {
		method, path, auth, version, contentType string
		body                                     map[string]string
	}
	got := make(chan seen, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(r.Body)
		s := seen{method: r.Method, path: r.URL.Path, auth: r.Header.Get("Authorization"),
			version: r.Header.Get("Clerk-API-Version"), contentType: r.Header.Get("Content-Type")}
		_ = json.Unmarshal(data, &s.body)
		got <- s
		http.Error(w, "{}", http.StatusNotFound)
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	v := machine.New(machine.Config{APIURL: srv.URL + "/", SecretKey: "sk_test_1", MachineSecretKey: "ak_machine",
		HTTPClient: srv.Client()})
	t.Cleanup(v.Close)

	tests := []struct{ token, path, field, auth string }{
		{"ak_1", "/api_keys/verify", "secret", "Bearer sk_test_1"},
		{"mt_1", "/m2m_tokens/verify", "token", "Bearer ak_machine"},
		{"oat_1", "/oauth_applications/access_tokens/verify", "access_token", "Bearer sk_test_1"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			_, err := v.Verify(context.Background(), tc.token)
			requireReason(t, err, clerkerr.TokenInvalid)
			s := <-got
			assert.Equal(t, http.MethodPost, s.method)
			assert.Equal(t, tc.path, s.path)
			assert.Equal(t, tc.auth, s.auth)
			assert.Equal(t, "2026-05-12", s.version)
			assert.Equal(t, "application/json", s.contentType)
			assert.Equal(t, map[string]string{tc.field: tc.token}, s.body)
		})
	}
}

// TestRedirectNeverFollowed holds even with a caller's client that would
// follow redirects: the secret key and the credential go nowhere else.
func TestRedirectNeverFollowed(t *testing.T) {
	t.Parallel()
	srv := ginclerktest.NewServer(t)
	token := srv.AddAPIKey(ginclerktest.MachineCredential{})
	srv.FailVerify(ginclerktest.FaultRedirect)
	hc := srv.Client() // default CheckRedirect: follows up to 10
	v := machine.New(machine.Config{APIURL: srv.URL, SecretKey: srv.SecretKey, HTTPClient: hc})
	t.Cleanup(v.Close)
	_, err := v.Verify(context.Background(), token)
	requireReason(t, err, clerkerr.UnexpectedError)
	assert.Equal(t, 1, calls(srv), "the redirect target was never asked")
	assert.Nil(t, hc.CheckRedirect, "the caller's client is not modified")
}

// TestAudience applies the configured audiences to OAuth tokens only.
func TestAudience(t *testing.T) {
	t.Parallel()
	const api = "https://api.example.com"
	tests := []struct {
		name   string
		aud    []string
		apiKey bool
		ok     bool
	}{
		{name: "matching", aud: []string{"https://other.example.com", api}, ok: true},
		{name: "other audience", aud: []string{"https://other.example.com"}},
		{name: "no aud", aud: nil},
		{name: "an empty audience", aud: []string{api, ""}},
		{name: "api keys have no audience", apiKey: true, ok: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, func(cfg *machine.Config, _ *ginclerktest.Server) { cfg.Audiences = []string{api} })
			token := f.srv.AddOAuthToken(ginclerktest.MachineCredential{Audience: tc.aud})
			if tc.apiKey {
				token = f.srv.AddAPIKey(ginclerktest.MachineCredential{})
			}
			for range 2 { // a cache hit is checked too
				_, err := f.verify(t, token)
				if tc.ok {
					require.NoError(t, err)
				} else {
					requireReason(t, err, clerkerr.TokenVerificationFailed)
				}
			}
			assert.Equal(t, 1, calls(f.srv))
		})
	}
}

// TestMachineSecretKeyOnly: a Verifier with only a machine secret key
// verifies M2M tokens and refuses the other kinds without a call.
func TestMachineSecretKeyOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(cfg *machine.Config, srv *ginclerktest.Server) {
		cfg.SecretKey, cfg.MachineSecretKey = "", srv.MachineSecretKey
	})
	_, err := f.verify(t, f.srv.AddM2MToken(ginclerktest.MachineCredential{}))
	require.NoError(t, err)
	_, err = f.verify(t, f.srv.AddAPIKey(ginclerktest.MachineCredential{}))
	requireReason(t, err, clerkerr.SecretKeyInvalid)
	_, err = f.verify(t, f.srv.AddOAuthToken(ginclerktest.MachineCredential{}))
	requireReason(t, err, clerkerr.SecretKeyInvalid)
	assert.Equal(t, ginclerktest.VerifyCalls{M2MTokens: 1}, f.srv.VerifyCalls())
	assert.Panics(t, func() { machine.New(machine.Config{}) })
}
