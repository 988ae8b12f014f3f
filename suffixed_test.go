package ginclerk_test

import (
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
)

// clerkApp is one Clerk app of several sharing a domain (every app on
// localhost in development): its own instance, key and cookie suffix.
type clerkApp struct {
	key    *ginclerktest.Key
	issuer string
	suffix string
	ck     *ginclerk.Clerk
}

func newClerkApp(t *testing.T, host string, live bool) *clerkApp {
	t.Helper()
	issuer := "https://" + host
	pk := ginclerktest.PublishableKey(issuer)
	if live {
		pk = "pk_live_" + strings.TrimPrefix(pk, "pk_test_")
	}
	sum := sha1.Sum([]byte(pk))
	app := &clerkApp{key: ginclerktest.NewKey(t), issuer: issuer, suffix: base64.URLEncoding.EncodeToString(sum[:])[:8]}
	app.ck = pemClerk(t, app.key, ginclerk.WithPublishableKey(pk))
	return app
}

// mint returns a session token of app for user, issued at iat (valid for
// 60 s from then).
func (a *clerkApp) mint(t *testing.T, user string, iat time.Time) string {
	return a.key.Mint(t, ginclerktest.At(iat), ginclerktest.Issuer(a.issuer), ginclerktest.Subject(user))
}

// cookies are the suffixed pair of app: __session_<suffix> and
// __client_uat_<suffix>.
func (a *clerkApp) cookies(token, uat string) string {
	return "__session_" + a.suffix + "=" + token + "; __client_uat_" + a.suffix + "=" + uat
}

// verdict sends GET / with the Cookie header through app's lax and strict
// middlewares.
func (a *clerkApp) verdict(t *testing.T, cookie string) (*ginclerk.Auth, int) {
	t.Helper()
	req := get("")
	req.Header.Set("Cookie", cookie)
	var lax, strict seen
	do(router(&lax, a.ck.WithAuth()), req)
	w := do(router(&strict, ginclerk.ErrorHandler(), a.ck.RequireAuth()), req)
	return lax.auth, w.Code
}

// TestSuffixedCookiesEndToEnd: several Clerk apps on one domain, through the
// middlewares.
func TestSuffixedCookiesEndToEnd(t *testing.T) {
	t.Parallel()
	a := newClerkApp(t, "clerk.a.example", false)
	b := newClerkApp(t, "clerk.b.example", false)
	prodA := newClerkApp(t, "clerk.prod-a.example", true)
	now := testNow.Add(-10 * time.Second)
	uat := strconv.FormatInt(now.Add(-time.Hour).Unix(), 10)
	tokA, tokB := a.mint(t, "user_a", now), b.mint(t, "user_b", now)
	staleA := a.mint(t, "user_a", testNow.Add(-time.Hour))
	staleProdA := prodA.mint(t, "user_a", testNow.Add(-time.Hour))

	// B wrote the plain pair last; each app wrote its own suffixed pair.
	shared := "__session=" + tokB + "; __client_uat=" + uat + "; " + a.cookies(tokA, uat) + "; " + b.cookies(tokB, uat)
	tests := []struct {
		name   string
		app    *clerkApp
		cookie string
		user   string
		reason string
	}{
		{"two apps on one domain: A reads its suffixed pair", a, shared, "user_a", ""},
		{"two apps on one domain: B reads its suffixed pair", b, shared, "user_b", ""},
		{"foreign plain __session, our suffixed pair valid: signed in", a,
			"__session=" + tokB + "; __client_uat=" + uat + "; " + a.cookies(tokA, uat), "user_a", ""},
		{"foreign plain __session, no suffixed pair: never read as ours", a,
			"__session=" + tokB + "; __client_uat=" + uat, "", ginclerk.ReasonSessionTokenAndUATMissing},
		{"plain pair only, ours (a clerk-js without suffixes)", a,
			"__session=" + tokA + "; __client_uat=" + uat, "user_a", ""},
		{"plain pair newer than the suffixed one (clerk-js downgrade): plain", a,
			"__session=" + tokA + "; __client_uat=" + uat + "; " + a.cookies(staleA, uat), "user_a", ""},
		{"stale suffixed pair in development, plain signed out: plain pair, signed out", a,
			"__client_uat=0; " + a.cookies(staleA, uat), "", ginclerk.ReasonSessionTokenAndUATMissing},
		{"stale suffixed pair in production: the suffixed pair, expired", prodA,
			"__client_uat=0; " + prodA.cookies(staleProdA, uat), "", ginclerk.ReasonSessionTokenExpired},
		{"suffixed pair signed out, plain signed in: plain", a,
			"__session=" + tokA + "; __client_uat=" + uat + "; " + a.cookies(tokA, "0"), "user_a", ""},
		{"suffixed session without its client_uat (suffixes off at Clerk): plain", a,
			"__session=" + tokA + "; __client_uat=" + uat + "; __session_" + a.suffix + "=" + staleA, "user_a", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			auth, code := tt.app.verdict(t, tt.cookie)
			assert.Equal(t, tt.reason, auth.Reason)
			assert.Equal(t, tt.user, auth.UserID)
			if tt.reason == "" {
				assert.Equal(t, http.StatusOK, code)
			} else {
				assert.Equal(t, http.StatusUnauthorized, code)
			}
		})
	}
}

// TestWithoutPublishableKeyOnlyPlainCookies: with no publishable key the
// suffixed names are unknown, and a suffixed cookie is just another cookie.
func TestWithoutPublishableKeyOnlyPlainCookies(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	req := get("")
	req.Header.Set("Cookie", "__session_MqCvchyS="+mint(t, key)+"; __client_uat_MqCvchyS=1")
	var s seen
	do(router(&s, ck.WithAuth()), req)
	assert.Equal(t, ginclerk.ReasonSessionTokenAndUATMissing, s.auth.Reason)
}

// TestKindBeforeKeysEndToEnd: while Clerk's Backend API is down, a token of
// another kind is still a 401 token-type-mismatch (not a 503), and costs no
// JWKS request; a session token gets the outage's 503.
func TestKindBeforeKeysEndToEnd(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	srv := ginclerktest.NewServer(t, key)
	srv.Fail(ginclerktest.Fault500)
	ck := apiClerk(t, srv)
	r := router(&seen{}, ginclerk.ErrorHandler(), ck.RequireAuth())
	for _, tok := range []string{
		mint(t, key, ginclerktest.Header("typ", "at+jwt")),
		mint(t, key, ginclerktest.Header("typ", "application/at+jwt")),
		mint(t, key, ginclerktest.Subject("mch_2abc"), ginclerktest.Header("cat", "cl_B7d4PD333AAA")),
		mint(t, key, ginclerktest.Header("cat", "cl_B7d4PD222AAA")),
	} {
		w := do(r, get(tok))
		require.Equal(t, http.StatusUnauthorized, w.Code)
		assert.Equal(t, ginclerk.ReasonTokenTypeMismatch, w.Header().Get("X-Clerk-Auth-Reason"))
		assert.Empty(t, w.Header().Values("X-Clerk-Auth-Message"), "Clerk sends no message for token-type-mismatch")
	}
	assert.Zero(t, srv.Fetches(), "a wrong-kind token fetches no keys")
	w := do(r, get(mint(t, key)))
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.Equal(t, ginclerk.ReasonJWKRemoteFailedToLoad, w.Header().Get("X-Clerk-Auth-Reason"))
}
