package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The dev-mode flow the banner advertises: fetch a token, call the strict API.
func TestDevTokenThenMe(t *testing.T) {
	t.Parallel()
	r, _ := devRouter(t)

	w := get(t, r, "/dev/token", "")
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
	tok := decode[struct {
		Token string `json:"token"`
	}](t, w)
	require.NotEmpty(t, tok.Token)

	w = get(t, r, "/api/me", tok.Token)
	require.Equal(t, http.StatusOK, w.Code, "body: %s", w.Body)
	assert.Equal(t, meResponse{UserID: devUserID, SessionID: devSessionID, Organization: devOrg}, decode[meResponse](t, w))
}

func TestMeRejectsWithJSON(t *testing.T) {
	t.Parallel()
	r, dev := devRouter(t)
	expired := dev.key.Mint(t, ginclerktest.At(time.Now().Add(-2*time.Hour)))
	// Same kid, another key: what a forged token looks like.
	forged := ginclerktest.DefaultKey(t).WithKID(devKID).Mint(t)

	tests := []struct {
		name, token, reason string
	}{
		{"no token", "", ginclerk.ReasonSessionTokenAndUATMissing},
		{"expired", expired, ginclerk.ReasonSessionTokenExpired},
		{"forged", forged, ginclerk.ReasonTokenInvalidSignature},
		{"garbage", "not-a-jwt", ginclerk.ReasonTokenInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := get(t, r, "/api/me", tt.token)
			require.Equal(t, http.StatusUnauthorized, w.Code, "body: %s", w.Body)
			assert.Contains(t, w.Header().Get("WWW-Authenticate"), "Bearer")
			assert.Equal(t, "signed-out", w.Header().Get("X-Clerk-Auth-Status"))
			body := decode[struct {
				Error  string `json:"error"`
				Reason string `json:"reason"`
			}](t, w)
			assert.Equal(t, tt.reason, body.Reason)
			assert.NotEmpty(t, body.Error)
		})
	}
}

func TestWhoami(t *testing.T) {
	t.Parallel()
	r, dev := devRouter(t)
	token := dev.mint()

	tests := []struct {
		name, token string
		want        whoamiResponse
	}{
		{"signed in", token, whoamiResponse{SignedIn: true, UserID: devUserID, SessionID: devSessionID, Organization: devOrg}},
		{"signed out", "", whoamiResponse{Reason: ginclerk.ReasonSessionTokenAndUATMissing}},
		{"bad token", "not-a-jwt", whoamiResponse{Reason: ginclerk.ReasonTokenInvalid}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := get(t, r, "/", tt.token)
			// Lax: the handler runs and answers 200 whatever the outcome.
			require.Equal(t, http.StatusOK, w.Code, "body: %s", w.Body)
			got := decode[whoamiResponse](t, w)
			if !tt.want.SignedIn {
				assert.NotEmpty(t, got.Message, "a signed-out answer says why")
				got.Message = ""
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// With a real key source (here a PEM key, as CLERK_JWT_KEY gives) there is
// no dev issuer: no /dev/token, and dev tokens are worthless.
func TestRealModeHasNoDevIssuer(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	clerk, err := ginclerk.New(ginclerk.WithJWTKey(key.PublicKeyPEM()), quiet)
	require.NoError(t, err)
	t.Cleanup(func() { _ = clerk.Close() })
	r := newRouter(clerk, nil, nil)

	w := get(t, r, "/dev/token", "")
	assert.Equal(t, http.StatusNotFound, w.Code)
	assert.Equal(t, map[string]string{"error": "Not Found"}, decode[map[string]string](t, w))

	dev, err := sharedDev()
	require.NoError(t, err)
	devToken := dev.mint()
	assert.Equal(t, http.StatusUnauthorized, get(t, r, "/api/me", devToken).Code)

	w = get(t, r, "/api/me", key.Mint(t, ginclerktest.OrgV1("org_1", "acme", "org:member")))
	require.Equal(t, http.StatusOK, w.Code, "body: %s", w.Body)
	assert.Equal(t, meResponse{
		UserID:       ginclerktest.DefaultUserID,
		SessionID:    ginclerktest.DefaultSessionID,
		Organization: &organization{ID: "org_1", Role: "org:member", Slug: "acme", Permissions: []string{}},
	}, decode[meResponse](t, w))
}

func TestMeWithoutOrganization(t *testing.T) {
	t.Parallel()
	r, dev := devRouter(t)
	token := dev.key.Mint(t, ginclerktest.Subject("user_2"))
	w := get(t, r, "/api/me", token)
	require.Equal(t, http.StatusOK, w.Code, "body: %s", w.Body)
	assert.JSONEq(t, `{"user_id":"user_2","session_id":"`+ginclerktest.DefaultSessionID+`","organization":null}`, w.Body.String())
}

// A panicking handler is answered with a JSON 500 that does not leak the
// panic's text.
func TestPanicRendersJSON(t *testing.T) {
	t.Parallel()
	r, _ := devRouter(t)
	r.GET("/boom", func(*gin.Context) { panic("secret internals") })
	w := get(t, r, "/boom", "")
	require.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Equal(t, map[string]string{"error": "Internal Server Error"}, decode[map[string]string](t, w))
}

// TestCaller: /v1/caller accepts sessions, the dev API key and the dev M2M
// token, verified by the in-process development Backend API, and nothing
// else.
func TestCaller(t *testing.T) {
	t.Parallel()
	r, dev := devRouter(t)
	tests := []struct {
		name, token string
		status      int
		want        callerResponse
	}{
		{"session", dev.mint(), http.StatusOK, callerResponse{TokenType: ginclerk.SessionToken, UserID: devUserID, OrgID: devOrgID}},
		{"api key", dev.backend.apiKey, http.StatusOK, callerResponse{TokenType: ginclerk.APIKey, UserID: devUserID,
			KeyName: devAPIKeyName, Scopes: []string{devScope}}},
		{"m2m token", dev.backend.m2mToken, http.StatusOK, callerResponse{TokenType: ginclerk.M2MToken,
			MachineID: devMachineID, Scopes: []string{devScope}}},
		{"unknown api key", "ak_unknown", http.StatusUnauthorized, callerResponse{}},
		{"oauth token", "oat_unknown", http.StatusUnauthorized, callerResponse{}},
		{"no credential", "", http.StatusUnauthorized, callerResponse{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := get(t, r, callerPath, tt.token)
			require.Equal(t, tt.status, w.Code, "body: %s", w.Body)
			if tt.status == http.StatusOK {
				assert.Equal(t, tt.want, decode[callerResponse](t, w))
			}
		})
	}
	w := get(t, r, "/api/me", dev.backend.apiKey)
	assert.Equal(t, http.StatusUnauthorized, w.Code, "/api accepts sessions only")
}
