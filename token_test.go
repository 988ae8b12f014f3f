package ginclerk_test

import (
	"net/http"
	"testing"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
)

// TestTokenSources pins where a token comes from: the Authorization header first,
// the __session cookie otherwise, never both, and ambiguity refused.
func TestTokenSources(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	valid := mint(t, key)
	other := mint(t, key, ginclerktest.Subject("user_cookie"))
	tests := []struct {
		name    string
		headers []string
		cookies []string
		noUAT   bool // no __client_uat beside the cookies
		user    string
		reason  string
	}{
		{name: "bearer header", headers: []string{"Bearer " + valid}, user: ginclerktest.DefaultUserID},
		{name: "scheme in any case", headers: []string{"bEaReR " + valid}, user: ginclerktest.DefaultUserID},
		{name: "raw token without scheme", headers: []string{valid}, user: ginclerktest.DefaultUserID},
		{name: "cookie", cookies: []string{other}, user: "user_cookie"},
		{name: "header wins over cookie", headers: []string{"Bearer " + valid}, cookies: []string{other}, user: ginclerktest.DefaultUserID},
		{name: "an invalid header token does not fall back to the cookie", headers: []string{"Bearer garbage"}, cookies: []string{other}, reason: ginclerk.ReasonTokenInvalid},
		{name: "another scheme is ignored", headers: []string{"Basic dXNlcjpwYXNz"}, reason: ginclerk.ReasonSessionTokenAndUATMissing},
		{name: "another scheme falls back to the cookie", headers: []string{"Basic dXNlcjpwYXNz"}, cookies: []string{other}, user: "user_cookie"},
		{name: "empty bearer", headers: []string{"Bearer "}, reason: ginclerk.ReasonSessionTokenAndUATMissing},
		{name: "two Authorization headers", headers: []string{"Bearer " + valid, "Bearer " + valid}, reason: ginclerk.ReasonTokenInvalid},
		{name: "two __session cookies", cookies: []string{valid, other}, reason: ginclerk.ReasonTokenInvalid},
		{name: "empty cookie", cookies: []string{""}, reason: ginclerk.ReasonClientUATButNoSessionToken},
		{name: "cookie without __client_uat", cookies: []string{other}, noUAT: true, reason: ginclerk.ReasonSessionTokenButNoClientUAT},
		{name: "nothing", reason: ginclerk.ReasonSessionTokenAndUATMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := get("")
			for _, h := range tt.headers {
				req.Header.Add("Authorization", h)
			}
			for _, c := range tt.cookies {
				req.AddCookie(&http.Cookie{Name: "__session", Value: c})
			}
			if len(tt.cookies) > 0 && !tt.noUAT {
				req.AddCookie(&http.Cookie{Name: "__client_uat", Value: "1"})
			}
			var s seen
			do(router(&s, ck.WithAuth()), req)
			assert.Equal(t, tt.user, s.auth.UserID)
			assert.Equal(t, tt.reason, s.auth.Reason)
		})
	}
}

// TestStrictChallenge pins RFC 6750's WWW-Authenticate on strict 401s.
func TestStrictChallenge(t *testing.T) {
	t.Parallel()
	ck := pemClerk(t, ginclerktest.DefaultKey(t))
	tests := []struct{ name, token, want string }{
		{"no token: no error code", "", `Bearer realm="clerk"`},
		{"bad token: invalid_token", "garbage", `Bearer realm="clerk", error="invalid_token", error_description="token-invalid"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s seen
			w := do(router(&s, ck.RequireAuth()), get(tt.token))
			assert.Equal(t, http.StatusUnauthorized, w.Code)
			assert.Equal(t, tt.want, w.Header().Get("WWW-Authenticate"))
		})
	}
}
