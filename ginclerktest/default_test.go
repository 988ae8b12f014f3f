package ginclerktest_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests are not parallel: SetDefault and SetDefaultAuth change the
// package-level middlewares for the whole process.

// quickStart is an app shaped like the README's quick start: package-level
// middlewares, created before any test override.
func quickStart() *gin.Engine {
	r := gin.New()
	routes(r)
	return r
}

// routes registers the quick start's middlewares and routes on r.
func routes(r *gin.Engine) {
	r.Use(ginclerk.ErrorHandler(), ginclerk.WithAuth())
	r.GET("/", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"signed_in": ginclerk.GetAuth(c).IsSignedIn()})
	})
	api := r.Group("/api", ginclerk.RequireAuth())
	api.GET("/me", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"user": ginclerk.GetAuth(c).UserID})
	})
}

func send(r http.Handler, path, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

// clearClerkEnv keeps the developer's shell out of a test that reads the
// environment on purpose.
func clearClerkEnv(t *testing.T) {
	for _, name := range []string{"CLERK_JWT_KEY", "CLERK_SECRET_KEY", "CLERK_API_URL", "CLERK_API_VERSION",
		"CLERK_PUBLISHABLE_KEY", "CLERK_PROXY_URL"} {
		t.Setenv(name, "")
	}
}

func TestSetDefaultTrustsKeyForOneTest(t *testing.T) {
	clearClerkEnv(t)
	r := quickStart() // no key source in the environment: 500 until overridden
	key := ginclerktest.DefaultKey(t)
	require.Equal(t, http.StatusInternalServerError, send(r, "/api/me", key.Mint(t)).Code)

	sources := map[string]func(t *testing.T) []ginclerk.Option{
		"PEM key":     func(*testing.T) []ginclerk.Option { return key.Options() },
		"Backend API": func(t *testing.T) []ginclerk.Option { return ginclerktest.NewServer(t, key).Options() },
	}
	for name, options := range sources {
		t.Run(name, func(t *testing.T) {
			ginclerktest.SetDefault(t, options(t)...)
			w := send(r, "/api/me", key.Mint(t, ginclerktest.Subject("user_42")))
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			assert.JSONEq(t, `{"user":"user_42"}`, w.Body.String())
			assert.JSONEq(t, `{"signed_in":true}`, send(r, "/", key.Mint(t)).Body.String())
			assert.Equal(t, http.StatusUnauthorized, send(r, "/api/me", "").Code)
			assert.Equal(t, http.StatusUnauthorized, send(r, "/api/me", ginclerktest.SharedKey(t, 1).Mint(t)).Code,
				"a token from another key")
			assert.Equal(t, http.StatusOK, send(quickStart(), "/api/me", key.Mint(t)).Code,
				"a router built during the override")
		})
	}
	assert.Equal(t, http.StatusInternalServerError, send(r, "/api/me", key.Mint(t)).Code,
		"restored when the test ends")
}

func TestSetDefaultAuthNeedsNoToken(t *testing.T) {
	clearClerkEnv(t)
	r := quickStart()
	t.Run("signed in", func(t *testing.T) {
		ginclerktest.SetDefaultAuth(t, ginclerktest.SignedIn("user_1"))
		w := send(r, "/api/me", "")
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		assert.JSONEq(t, `{"user":"user_1"}`, w.Body.String())
	})
	t.Run("signed out", func(t *testing.T) {
		ginclerktest.SetDefaultAuth(t, ginclerktest.SignedOut(ginclerk.ReasonTokenExpired, "expired"))
		w := send(r, "/api/me", "")
		require.Equal(t, http.StatusUnauthorized, w.Code)
		assert.JSONEq(t, `{"error":"expired","reason":"token-expired"}`, w.Body.String())
		assert.JSONEq(t, `{"signed_in":false}`, send(r, "/", "").Body.String(), "lax continues signed out")
	})
	assert.Equal(t, http.StatusInternalServerError, send(r, "/api/me", "").Code, "restored when the test ends")
}

// TestSetDefaultIgnoresShellEnvironment: variables a Clerk developer has in
// their shell neither pin the issuer nor replace the test's key.
func TestSetDefaultIgnoresShellEnvironment(t *testing.T) {
	other := ginclerktest.SharedKey(t, 1)
	t.Setenv("CLERK_JWT_KEY", other.PublicKeyPEM())
	t.Setenv("CLERK_PUBLISHABLE_KEY", ginclerktest.PublishableKey("https://clerk.shell.test"))
	t.Setenv("CLERK_PROXY_URL", "https://proxy.shell.test/__clerk")
	key := ginclerktest.DefaultKey(t)

	for name, opts := range map[string][]ginclerk.Option{
		"Key.Options":    key.Options(),
		"Server.Options": ginclerktest.NewServer(t, key).Options(),
	} {
		ck, err := ginclerk.New(opts...)
		require.NoError(t, err)
		defer ck.Close()
		r := gin.New()
		r.GET("/", ck.RequireAuth(), func(c *gin.Context) { c.Status(http.StatusNoContent) })
		assert.Equal(t, http.StatusNoContent, send(r, "/", key.Mint(t)).Code, "%s reads no environment", name)
	}

	ginclerktest.SetDefault(t, key.Options()...)
	assert.Equal(t, http.StatusOK, send(quickStart(), "/api/me", key.Mint(t)).Code, "nor does SetDefault")
}

// refusal runs use with a testing.TB whose Fatal is recorded, and returns
// what it failed with.
func refusal(t *testing.T, use func(testing.TB)) string {
	return (&fatalTB{TB: t}).run(use)
}

func TestSetDefaultRefusesNesting(t *testing.T) {
	key := ginclerktest.DefaultKey(t)
	ginclerktest.SetDefault(t, key.Options()...)

	msg := refusal(t, func(tb testing.TB) { ginclerktest.SetDefault(tb, key.Options()...) })
	assert.Contains(t, msg, "already overridden by "+t.Name())
	msg = refusal(t, func(tb testing.TB) { ginclerktest.SetDefaultAuth(tb, ginclerktest.SignedIn("user_1")) })
	assert.Contains(t, msg, "do not nest")
	assert.Equal(t, http.StatusOK, send(quickStart(), "/api/me", key.Mint(t)).Code, "the first override stands")

	assert.Contains(t, refusal(t, func(tb testing.TB) { ginclerktest.SetDefaultAuth(tb, nil) }), "SetDefaultAuth(nil)")
}

func TestSetDefaultRejectsBadOptions(t *testing.T) {
	msg := refusal(t, func(tb testing.TB) { ginclerktest.SetDefault(tb) })
	assert.Contains(t, msg, "no key source")
}

// TestAuthenticateInFrontOfQuickStart: the package-level middlewares keep
// the Auth Authenticate put in place, with no key source configured.
func TestAuthenticateInFrontOfQuickStart(t *testing.T) {
	clearClerkEnv(t)
	tests := []struct {
		name     string
		auth     *ginclerk.Auth
		wantCode int
		wantBody string
	}{
		{"signed in", ginclerktest.SignedIn("user_1"), http.StatusOK, `{"user":"user_1"}`},
		{"signed out", ginclerktest.SignedOut(ginclerk.ReasonTokenExpired, "expired"), http.StatusUnauthorized,
			`{"error":"expired","reason":"token-expired"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := gin.New()
			r.Use(ginclerktest.Authenticate(tt.auth))
			routes(r)
			w := send(r, "/api/me", "")
			require.Equal(t, tt.wantCode, w.Code, w.Body.String())
			assert.JSONEq(t, tt.wantBody, w.Body.String())
		})
	}
	assert.Equal(t, http.StatusInternalServerError, send(quickStart(), "/api/me", "").Code,
		"without Authenticate, the same routes have no key source")
}
