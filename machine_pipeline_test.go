package ginclerk_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// machineFixture is a fake Backend API with one credential of every kind
// and outcome registered, and an instance verifying against it.
type machineFixture struct {
	srv *ginclerktest.Server
	ck  *ginclerk.Clerk
	key *ginclerktest.Key
	tok map[string]string
}

func newMachineFixture(t *testing.T, opts ...ginclerk.Option) *machineFixture {
	t.Helper()
	key := ginclerktest.DefaultKey(t)
	srv := ginclerktest.NewServer(t, key)
	f := &machineFixture{srv: srv, key: key, ck: apiClerk(t, srv, opts...)}
	revoked := srv.AddAPIKey(ginclerktest.MachineCredential{})
	srv.Revoke(revoked)
	f.tok = map[string]string{
		"session":      mint(t, key),
		"api key":      srv.AddAPIKey(ginclerktest.MachineCredential{Name: "ci", Scopes: []string{"read"}}),
		"m2m":          srv.AddM2MToken(ginclerktest.MachineCredential{Scopes: []string{"read"}}),
		"oauth":        srv.AddOAuthToken(ginclerktest.MachineCredential{Scopes: []string{"read"}}),
		"m2m jwt":      mint(t, key, ginclerktest.M2M("mch_jwt", "read")),
		"oauth jwt":    mint(t, key, ginclerktest.OAuth("client_jwt", "read")),
		"revoked key":  revoked,
		"unknown key":  "ak_unknown",
		"expired key":  srv.AddAPIKey(ginclerktest.MachineCredential{ExpiresAt: testNow.Add(-time.Second)}),
		"forged m2m":   ginclerktest.SharedKey(t, 1).WithKID(key.KID).Mint(t, ginclerktest.At(testNow), ginclerktest.M2M("mch_x")),
		"expired m2m":  mint(t, key, ginclerktest.M2M("mch_x"), ginclerktest.ExpiresIn(-time.Hour)),
		"template m2m": mint(t, key, ginclerktest.M2M("mch_x"), ginclerktest.Header("cat", "cl_B7d4PD222AAA")),
		"m2m no cat":   mint(t, key, ginclerktest.M2M("mch_x"), ginclerktest.WithoutHeader("cat")),
		"m2m new kid":  mint(t, key.WithKID("ins_unknown"), ginclerktest.M2M("mch_x")),
		"oauth typ":    mint(t, key, ginclerktest.OAuth("client_x"), ginclerktest.Header("typ", "AT+JWT")),
		"none":         "",
	}
	return f
}

// calls is how many verify calls the fake Backend API has received.
func (f *machineFixture) calls() int {
	c := f.srv.VerifyCalls()
	return c.APIKeys + c.M2MTokens + c.OAuthTokens
}

// strict sends token to RequireAuth(opts...) and returns the response and
// the Auth the request was left with (stored whatever the outcome).
func (f *machineFixture) strict(token string, opts ...ginclerk.MiddlewareOption) (int, *ginclerk.Auth, http.Header) {
	var a *ginclerk.Auth
	r := router(&seen{}, func(c *gin.Context) { c.Next(); a = ginclerk.GetAuth(c) }, f.ck.RequireAuth(opts...))
	w := do(r, get(token))
	return w.Code, a, w.Header()
}

// TestMachinePipeline is the whole pipeline — acceptsToken × credential
// kind × outcome — through the strict middleware against the fake Backend
// API: status, reason, the Auth's TokenType, and whether Clerk's Backend
// API was called (never for a kind that is not accepted).
func TestMachinePipeline(t *testing.T) {
	t.Parallel()
	var (
		sessions = []ginclerk.TokenType{ginclerk.SessionToken}
		apiKey   = []ginclerk.TokenType{ginclerk.APIKey}
		m2m      = []ginclerk.TokenType{ginclerk.M2MToken}
		oauth    = []ginclerk.TokenType{ginclerk.OAuthToken}
		mixed    = []ginclerk.TokenType{ginclerk.SessionToken, ginclerk.APIKey}
		machines = []ginclerk.TokenType{ginclerk.APIKey, ginclerk.M2MToken}
		anyKind  = []ginclerk.TokenType{ginclerk.AnyToken}
	)
	const (
		ok  = http.StatusOK
		bad = http.StatusUnauthorized
	)
	tests := []struct {
		accepts  []ginclerk.TokenType // nil: the default
		cred     string
		status   int
		reason   string
		typ      ginclerk.TokenType
		backend  bool // a verify call is made
		category error
	}{
		// The default: sessions only.
		{nil, "session", ok, "", ginclerk.SessionToken, false, nil},
		{nil, "api key", bad, ginclerk.ReasonTokenInvalid, ginclerk.SessionToken, false, ginclerk.ErrTokenInvalid},
		{nil, "m2m", bad, ginclerk.ReasonTokenInvalid, ginclerk.SessionToken, false, ginclerk.ErrTokenInvalid},
		{nil, "m2m jwt", bad, ginclerk.ReasonTokenTypeMismatch, ginclerk.SessionToken, false, ginclerk.ErrTokenInvalid},
		{nil, "oauth jwt", bad, ginclerk.ReasonTokenTypeMismatch, ginclerk.SessionToken, false, ginclerk.ErrTokenInvalid},
		{nil, "none", bad, ginclerk.ReasonSessionTokenAndUATMissing, ginclerk.SessionToken, false, ginclerk.ErrTokenMissing},
		{sessions, "api key", bad, ginclerk.ReasonTokenInvalid, ginclerk.SessionToken, false, ginclerk.ErrTokenInvalid},
		// One machine kind.
		{apiKey, "api key", ok, "", ginclerk.APIKey, true, nil},
		{apiKey, "revoked key", bad, ginclerk.ReasonTokenInvalid, ginclerk.APIKey, true, ginclerk.ErrTokenInvalid},
		{apiKey, "unknown key", bad, ginclerk.ReasonTokenInvalid, ginclerk.APIKey, true, ginclerk.ErrTokenInvalid},
		{apiKey, "expired key", bad, ginclerk.ReasonTokenInvalid, ginclerk.APIKey, true, ginclerk.ErrTokenInvalid},
		{apiKey, "session", bad, ginclerk.ReasonTokenTypeMismatch, ginclerk.APIKey, false, ginclerk.ErrTokenInvalid},
		{apiKey, "m2m", bad, ginclerk.ReasonTokenTypeMismatch, ginclerk.APIKey, false, ginclerk.ErrTokenInvalid},
		{apiKey, "m2m jwt", bad, ginclerk.ReasonTokenTypeMismatch, ginclerk.APIKey, false, ginclerk.ErrTokenInvalid},
		{apiKey, "none", bad, ginclerk.ReasonSessionTokenAndUATMissing, ginclerk.APIKey, false, ginclerk.ErrTokenMissing},
		{m2m, "m2m", ok, "", ginclerk.M2MToken, true, nil},
		{m2m, "m2m jwt", ok, "", ginclerk.M2MToken, false, nil},
		{m2m, "forged m2m", bad, ginclerk.ReasonTokenVerificationFailed, ginclerk.M2MToken, false, ginclerk.ErrTokenInvalid},
		{m2m, "expired m2m", bad, ginclerk.ReasonTokenVerificationFailed, ginclerk.M2MToken, false, ginclerk.ErrTokenInvalid},
		{m2m, "template m2m", bad, ginclerk.ReasonTokenInvalid, ginclerk.M2MToken, false, ginclerk.ErrTokenInvalid},
		{m2m, "m2m new kid", bad, ginclerk.ReasonTokenVerificationFailed, ginclerk.M2MToken, false, ginclerk.ErrTokenInvalid},
		{m2m, "m2m no cat", ok, "", ginclerk.M2MToken, false, nil},                                                       // as Clerk, while uncategorised M2M JWTs circulate
		{anyKind, "oauth typ", bad, ginclerk.ReasonTokenInvalid, ginclerk.SessionToken, false, ginclerk.ErrTokenInvalid}, // AT+JWT is no OAuth typ: a session with a bad typ
		{m2m, "oauth jwt", bad, ginclerk.ReasonTokenTypeMismatch, ginclerk.M2MToken, false, ginclerk.ErrTokenInvalid},
		{oauth, "oauth", ok, "", ginclerk.OAuthToken, true, nil},
		{oauth, "oauth jwt", ok, "", ginclerk.OAuthToken, false, nil},
		{oauth, "session", bad, ginclerk.ReasonTokenTypeMismatch, ginclerk.OAuthToken, false, ginclerk.ErrTokenInvalid},
		// Sessions and API keys.
		{mixed, "session", ok, "", ginclerk.SessionToken, false, nil},
		{mixed, "api key", ok, "", ginclerk.APIKey, true, nil},
		{mixed, "m2m", bad, ginclerk.ReasonTokenTypeMismatch, "", false, ginclerk.ErrTokenInvalid},
		{mixed, "m2m jwt", bad, ginclerk.ReasonTokenTypeMismatch, "", false, ginclerk.ErrTokenInvalid},
		{mixed, "none", bad, ginclerk.ReasonSessionTokenAndUATMissing, ginclerk.SessionToken, false, ginclerk.ErrTokenMissing},
		// Machine kinds only.
		{machines, "api key", ok, "", ginclerk.APIKey, true, nil},
		{machines, "m2m jwt", ok, "", ginclerk.M2MToken, false, nil},
		{machines, "session", bad, ginclerk.ReasonTokenTypeMismatch, "", false, ginclerk.ErrTokenInvalid},
		{machines, "oauth", bad, ginclerk.ReasonTokenTypeMismatch, "", false, ginclerk.ErrTokenInvalid},
		{machines, "none", bad, ginclerk.ReasonTokenTypeMismatch, "", false, ginclerk.ErrTokenInvalid},
		// Any.
		{anyKind, "session", ok, "", ginclerk.SessionToken, false, nil},
		{anyKind, "api key", ok, "", ginclerk.APIKey, true, nil},
		{anyKind, "m2m", ok, "", ginclerk.M2MToken, true, nil},
		{anyKind, "oauth", ok, "", ginclerk.OAuthToken, true, nil},
		{anyKind, "m2m jwt", ok, "", ginclerk.M2MToken, false, nil},
		{anyKind, "oauth jwt", ok, "", ginclerk.OAuthToken, false, nil},
		{anyKind, "unknown key", bad, ginclerk.ReasonTokenInvalid, ginclerk.APIKey, true, ginclerk.ErrTokenInvalid},
		{anyKind, "none", bad, ginclerk.ReasonSessionTokenAndUATMissing, ginclerk.SessionToken, false, ginclerk.ErrTokenMissing},
	}
	for _, tt := range tests {
		name := "default"
		if tt.accepts != nil {
			name = ""
			for i, a := range tt.accepts {
				if i > 0 {
					name += "+"
				}
				name += string(a)
			}
		}
		t.Run(name+"/"+tt.cred, func(t *testing.T) {
			t.Parallel()
			f := newMachineFixture(t)
			var opts []ginclerk.MiddlewareOption
			if tt.accepts != nil {
				opts = append(opts, ginclerk.WithAcceptsToken(tt.accepts...))
			}
			status, a, h := f.strict(f.tok[tt.cred], opts...)
			assert.Equal(t, tt.status, status, "reason %q", a.Reason)
			assert.Equal(t, tt.reason, a.Reason)
			assert.Equal(t, tt.typ, a.TokenType)
			assert.Equal(t, tt.reason, h.Get("X-Clerk-Auth-Reason"))
			assert.Equal(t, tt.backend, f.calls() > 0, "Backend API verify calls: %d", f.calls())
			assert.Equal(t, tt.status == ok, a.IsAuthenticated())

			_, err := f.ck.VerifyToken(t.Context(), f.tok[tt.cred], opts...)
			if tt.category == nil {
				require.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.category)
			assert.ErrorIs(t, err, ginclerk.ErrUnauthenticated)
		})
	}
}

// TestMachineHandlerCannotWriteCache: a handler writing into its machine
// Auth's scopes changes its own request only; the next request with the
// same credential, answered from the cache, sees what Clerk said. (Its
// claims are a string, which no handler can write.)
func TestMachineHandlerCannotWriteCache(t *testing.T) {
	t.Parallel()
	f := newMachineFixture(t)
	key := f.srv.AddAPIKey(ginclerktest.MachineCredential{Scopes: []string{"read"}, Claims: map[string]any{"plan": "free"}})
	var scopes []string
	var claims []string
	r := gin.New()
	r.Use(f.ck.WithAuth(ginclerk.WithAcceptsToken(ginclerk.APIKey)))
	r.GET("/", func(c *gin.Context) {
		a := ginclerk.GetAuth(c)
		scopes = append(scopes, strings.Join(a.Scopes, " "))
		claims = append(claims, a.Claims)
		for i := range a.Scopes {
			a.Scopes[i] = "admin"
		}
	})
	for range 2 {
		do(r, get(key))
	}
	require.Len(t, scopes, 2)
	assert.Equal(t, []string{"read", "read"}, scopes)
	assert.JSONEq(t, `{"plan":"free"}`, claims[1])
	assert.Equal(t, 1, f.srv.VerifyCalls().APIKeys, "the second request was answered from the cache")
}
