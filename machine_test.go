package ginclerk_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var acceptAny = ginclerk.WithAcceptsToken(ginclerk.AnyToken)

// TestMachineAuthFields: each kind fills the fields of Clerk's machine auth
// object, and only those.
func TestMachineAuthFields(t *testing.T) {
	t.Parallel()
	f := newMachineFixture(t)
	claims := map[string]any{"tier": "gold"}
	tests := []struct {
		name  string
		token string
		want  ginclerk.Auth
	}{
		{"api key of a user", f.srv.AddAPIKey(ginclerktest.MachineCredential{ID: "ak_id1", Subject: "user_1", Name: "ci",
			Scopes: []string{"read", "write"}, Claims: claims}),
			ginclerk.Auth{TokenType: ginclerk.APIKey, ID: "ak_id1", Subject: "user_1", Name: "ci",
				Scopes: []string{"read", "write"}, UserID: "user_1", Claims: `{"tier":"gold"}`}},
		{"api key of an organization", f.srv.AddAPIKey(ginclerktest.MachineCredential{ID: "ak_id2", Subject: "org_1"}),
			ginclerk.Auth{TokenType: ginclerk.APIKey, ID: "ak_id2", Subject: "org_1", OrgID: "org_1"}},
		{"opaque m2m token", f.srv.AddM2MToken(ginclerktest.MachineCredential{ID: "mt_id", Subject: "mch_1",
			Scopes: []string{"read"}, Claims: claims}),
			ginclerk.Auth{TokenType: ginclerk.M2MToken, ID: "mt_id", Subject: "mch_1", MachineID: "mch_1",
				Scopes: []string{"read"}, Claims: `{"tier":"gold"}`}},
		{"opaque oauth token", f.srv.AddOAuthToken(ginclerktest.MachineCredential{ID: "oat_id", Subject: "user_2",
			ClientID: "client_1", Scopes: []string{"profile"}}),
			ginclerk.Auth{TokenType: ginclerk.OAuthToken, ID: "oat_id", Subject: "user_2", UserID: "user_2",
				ClientID: "client_1", Scopes: []string{"profile"}}},
		{"m2m jwt", mint(t, f.key, ginclerktest.M2M("mch_2", "a", "b"), ginclerktest.Set("jti", "mt_jwt"),
			ginclerktest.Set("tier", "gold")),
			ginclerk.Auth{TokenType: ginclerk.M2MToken, ID: "mt_jwt", Subject: "mch_2", MachineID: "mch_2",
				Scopes: []string{"a", "b"}, Claims: `{"scopes":"a b","tier":"gold"}`}},
		{"m2m jwt scoped by aud", mint(t, f.key, ginclerktest.M2M("mch_2"), ginclerktest.Set("jti", "mt_jwt"),
			ginclerktest.Audience("x", "y")),
			ginclerk.Auth{TokenType: ginclerk.M2MToken, ID: "mt_jwt", Subject: "mch_2", MachineID: "mch_2",
				Scopes: []string{"x", "y"}, Claims: `{"aud":["x","y"]}`}},
		{"oauth jwt with scope", mint(t, f.key, ginclerktest.OAuth("client_2", "email", "profile"),
			ginclerktest.Set("jti", "oat_jwt"), ginclerktest.Subject("user_3")),
			ginclerk.Auth{TokenType: ginclerk.OAuthToken, ID: "oat_jwt", Subject: "user_3", UserID: "user_3",
				ClientID: "client_2", Scopes: []string{"email", "profile"}}},
		{"oauth jwt with scp", mint(t, f.key, ginclerktest.OAuth("client_2", "ignored"),
			ginclerktest.Set("jti", "oat_jwt"), ginclerktest.Subject("user_3"), ginclerktest.Set("scp", []string{"email"})),
			ginclerk.Auth{TokenType: ginclerk.OAuthToken, ID: "oat_jwt", Subject: "user_3", UserID: "user_3",
				ClientID: "client_2", Scopes: []string{"email"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := f.ck.VerifyToken(t.Context(), tt.token, acceptAny)
			require.NoError(t, err)
			tt.want.Token = tt.token
			got := *a
			got.Claims = compactJSON(t, got.Claims)
			assert.Equal(t, authFields(tt.want), authFields(got))
			assert.True(t, a.IsAuthenticated())
			assert.False(t, a.IsSignedIn(), "a machine credential is not a signed-in session")
		})
	}
}

// authFields is the exported state of an Auth, for comparison.
func authFields(a ginclerk.Auth) map[string]any {
	return map[string]any{"type": a.TokenType, "id": a.ID, "sub": a.Subject, "name": a.Name, "scopes": a.Scopes,
		"machine": a.MachineID, "client": a.ClientID, "user": a.UserID, "org": a.OrgID, "claims": a.Claims,
		"token": a.Token, "reason": a.Reason, "session": a.SessionID}
}

// compactJSON re-encodes raw with sorted keys, empty for none.
func compactJSON(t *testing.T, raw string) string {
	t.Helper()
	if raw == "" {
		return ""
	}
	var v any
	require.NoError(t, json.Unmarshal([]byte(raw), &v))
	out, err := json.Marshal(v)
	require.NoError(t, err)
	return string(out)
}

// TestMachineScopes: Scope and RequireScope pass on machine credentials
// carrying the scope, through the same 401/403 path as roles; machine
// credentials pass no other check, whatever their subject.
func TestMachineScopes(t *testing.T) {
	t.Parallel()
	f := newMachineFixture(t)
	orgKey := f.srv.AddAPIKey(ginclerktest.MachineCredential{Subject: "org_1", Scopes: []string{"read"}})
	tests := []struct {
		name   string
		token  string
		check  gin.HandlerFunc
		status int
		reason string
	}{
		{"scope carried", f.tok["api key"], ginclerk.RequireScope("read"), http.StatusOK, ""},
		{"scope missing", f.tok["api key"], ginclerk.RequireScope("read", "write"), http.StatusForbidden, ginclerk.ReasonForbidden},
		{"m2m jwt scope", f.tok["m2m jwt"], ginclerk.RequireScope("read"), http.StatusOK, ""},
		{"any of scopes", f.tok["oauth"], ginclerk.Require(ginclerk.AnyOf(ginclerk.Scope("x"), ginclerk.Scope("read"))), http.StatusOK, ""},
		{"a session has no scopes", f.tok["session"], ginclerk.RequireScope("read"), http.StatusForbidden, ginclerk.ReasonForbidden},
		{"not authenticated", f.tok["unknown key"], ginclerk.RequireScope("read"), http.StatusUnauthorized, ginclerk.ReasonTokenInvalid},
		{"org api key has no active organization", orgKey, ginclerk.RequireOrg(), http.StatusForbidden, ginclerk.ReasonForbidden},
		{"org api key has no role", orgKey, ginclerk.RequireRole("admin"), http.StatusForbidden, ginclerk.ReasonForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s seen
			w := do(router(&s, ginclerk.ErrorHandler(), f.ck.WithAuth(acceptAny), tt.check), get(tt.token))
			assert.Equal(t, tt.status, w.Code, w.Body.String())
			if tt.reason != "" {
				assert.Equal(t, tt.reason, jsonBody(t, w)["reason"])
			}
		})
	}
	a, err := f.ck.VerifyToken(t.Context(), orgKey, acceptAny)
	require.NoError(t, err)
	assert.True(t, a.Has(ginclerk.Scope("read")))
	assert.False(t, a.Has(ginclerk.ActiveOrg()), "Clerk's has() answers false for machines")
	assert.False(t, a.Has(ginclerk.Scope("read"), ginclerk.Permission("org:read")))
	assert.PanicsWithValue(t, "ginclerk: Require: scope \"\": a scope is one non-empty word", func() { ginclerk.RequireScope("") })
	assert.Panics(t, func() { ginclerk.RequireScope() })
}

// TestMachineOnlyFromHeader: with sessions not accepted, the session cookie
// is not read, and a request without an Authorization token carries no
// credential.
func TestMachineOnlyFromHeader(t *testing.T) {
	t.Parallel()
	f := newMachineFixture(t)
	req := get("")
	req.AddCookie(&http.Cookie{Name: "__session", Value: f.tok["session"]})
	req.AddCookie(&http.Cookie{Name: "__client_uat", Value: "1"})
	a, err := f.ck.Authenticate(req, ginclerk.WithAcceptsToken(ginclerk.APIKey))
	assert.ErrorIs(t, err, ginclerk.ErrTokenMissing)
	assert.Equal(t, ginclerk.ReasonSessionTokenAndUATMissing, a.Reason)
	assert.Equal(t, ginclerk.APIKey, a.TokenType)

	a, err = f.ck.Authenticate(req, ginclerk.WithAcceptsToken(ginclerk.SessionToken, ginclerk.APIKey))
	require.NoError(t, err, "the cookie is read where sessions are accepted")
	assert.True(t, a.IsSignedIn())
}

// TestMachineVerdictPerAcceptedKinds: a global lax middleware accepting
// sessions only and a group's strict one accepting API keys do not share a
// verdict, so the API key is verified by the one that accepts it.
func TestMachineVerdictPerAcceptedKinds(t *testing.T) {
	t.Parallel()
	f := newMachineFixture(t)
	var s seen
	r := router(&s, f.ck.WithAuth(), f.ck.RequireAuth(ginclerk.WithAcceptsToken(ginclerk.APIKey)))
	w := do(r, get(f.tok["api key"]))
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, ginclerk.APIKey, s.auth.TokenType)
	assert.Empty(t, w.Header().Get("X-Clerk-Auth-Status"), "the headers describe the Auth the handler sees")
	assert.Same(t, s.auth, s.ctxAuth)
}

// TestMachineClaimsDecode: Claims[T] decodes an API key's custom claims.
func TestMachineClaimsDecode(t *testing.T) {
	t.Parallel()
	f := newMachineFixture(t)
	token := f.srv.AddAPIKey(ginclerktest.MachineCredential{Claims: map[string]any{"tier": "gold"}})
	var got struct{ Tier string }
	r := gin.New()
	r.GET("/", f.ck.RequireAuth(ginclerk.WithAcceptsToken(ginclerk.APIKey)), func(c *gin.Context) {
		v, err := ginclerk.Claims[struct {
			Tier string `json:"tier"`
		}](c)
		require.NoError(t, err)
		got.Tier = v.Tier
	})
	do(r, get(token))
	assert.Equal(t, "gold", got.Tier)
}

// TestRequireAcceptsToken: WithAcceptsToken narrows what Require lets
// through; without it, Require takes whatever the authentication
// middleware before it accepted.
func TestRequireAcceptsToken(t *testing.T) {
	t.Parallel()
	f := newMachineFixture(t)
	tests := []struct {
		name   string
		token  string
		check  gin.HandlerFunc
		status int
	}{
		{"any kind by default", f.tok["m2m"], ginclerk.RequireScope("read"), http.StatusOK},
		{"the accepted kind", f.tok["api key"], ginclerk.Require(ginclerk.Scope("read"), ginclerk.WithAcceptsToken(ginclerk.APIKey)), http.StatusOK},
		{"another kind", f.tok["m2m"], ginclerk.Require(ginclerk.Scope("read"), ginclerk.WithAcceptsToken(ginclerk.APIKey)), http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s seen
			w := do(router(&s, ginclerk.ErrorHandler(), f.ck.WithAuth(acceptAny), tt.check), get(tt.token))
			assert.Equal(t, tt.status, w.Code, w.Body.String())
		})
	}
}
