package ginclerk_test

import (
	"errors"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPendingSessions: sts "pending" is signed out by default — reason
// session-pending, SessionStatus kept — and signed in where a middleware
// was given WithPendingSessions.
func TestPendingSessions(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	pending := ginclerktest.SessionStatus("pending")
	org := ginclerktest.Org("org_1", "", "admin")

	t.Run("lax default: signed out, status kept", func(t *testing.T) {
		t.Parallel()
		var got atomic.Value
		hook := ginclerk.WithOnError(func(err error) error { got.Store(err); return nil })
		var s seen
		do(router(&s, ck.WithAuth(hook)), get(mint(t, key, pending, org)))
		require.True(t, s.ran)
		assert.False(t, s.auth.IsSignedIn())
		assert.Equal(t, ginclerk.ReasonSessionPending, s.auth.Reason)
		assert.Equal(t, "pending", s.auth.SessionStatus)
		assert.Empty(t, s.auth.UserID)
		assert.Empty(t, s.auth.OrgID, "nothing of the session leaks into a signed-out Auth")
		assert.False(t, s.auth.Has(ginclerk.Role("org:admin")))
		err, _ := got.Load().(error)
		assert.ErrorIs(t, err, ginclerk.ErrSessionPending)
	})
	t.Run("strict default: 401 session-pending", func(t *testing.T) {
		t.Parallel()
		var s seen
		w := do(router(&s, ginclerk.ErrorHandler(), ck.RequireAuth()), get(mint(t, key, pending)))
		assert.Equal(t, http.StatusUnauthorized, w.Code)
		assert.False(t, s.ran)
		assert.Equal(t, ginclerk.ReasonSessionPending, jsonBody(t, w)["reason"])
		assert.Equal(t, ginclerk.ReasonSessionPending, w.Header().Get("X-Clerk-Auth-Reason"))
	})
	for _, mw := range []struct {
		name string
		h    gin.HandlerFunc
	}{
		{"WithAuth", ck.WithAuth(ginclerk.WithPendingSessions())},
		{"RequireAuth", ck.RequireAuth(ginclerk.WithPendingSessions())},
	} {
		t.Run(mw.name+" accepting pending sessions", func(t *testing.T) {
			t.Parallel()
			var s seen
			w := do(router(&s, mw.h), get(mint(t, key, pending, org)))
			assert.Equal(t, http.StatusOK, w.Code)
			assert.True(t, s.auth.IsSignedIn())
			assert.Equal(t, "pending", s.auth.SessionStatus)
			assert.Equal(t, ginclerktest.DefaultUserID, s.auth.UserID)
			assert.True(t, s.auth.Has(ginclerk.Role("org:admin")), "Has evaluates what the middleware accepted")
		})
	}
	t.Run("active sessions are unaffected by the option", func(t *testing.T) {
		t.Parallel()
		var s seen
		do(router(&s, ck.WithAuth(ginclerk.WithPendingSessions())), get(mint(t, key)))
		assert.True(t, s.auth.IsSignedIn())
		assert.Equal(t, "active", s.auth.SessionStatus)
	})
	t.Run("Require refuses a pending session another middleware accepted", func(t *testing.T) {
		t.Parallel()
		var s seen
		r := router(&s, ginclerk.ErrorHandler(), ck.WithAuth(ginclerk.WithPendingSessions()), ginclerk.RequireRole("admin"))
		w := do(r, get(mint(t, key, pending, org)))
		assert.Equal(t, http.StatusUnauthorized, w.Code)
		assert.Equal(t, ginclerk.ReasonSessionPending, jsonBody(t, w)["reason"])
	})
	t.Run("Require accepting pending sessions", func(t *testing.T) {
		t.Parallel()
		var s seen
		r := router(&s, ck.WithAuth(ginclerk.WithPendingSessions()),
			ginclerk.Require(ginclerk.Role("admin"), ginclerk.WithPendingSessions()))
		assert.Equal(t, http.StatusOK, do(r, get(mint(t, key, pending, org))).Code)
		assert.Equal(t, http.StatusForbidden, do(r, get(mint(t, key, pending))).Code)
	})
}

// TestClientUAT pins Clerk's reading of __client_uat next to a session
// cookie: Number.parseInt(value) || 0, where 0 (missing, "0", not a number)
// means signed out, and a cookie token issued before it is stale. Header
// tokens are not subject to it.
func TestClientUAT(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	issuedAt := testNow.Add(-30 * time.Second)
	iat := issuedAt.Unix()
	issued := ginclerktest.IssuedAt(issuedAt)
	itoa := func(n int64) string { return strconv.FormatInt(n, 10) }
	const (
		noUAT = ginclerk.ReasonSessionTokenButNoClientUAT
		stale = ginclerk.ReasonSessionTokenIatBeforeClientUAT
	)
	tests := []struct {
		name   string
		header bool     // send the token in Authorization instead of __session
		uat    []string // __client_uat cookie values; nil: no cookie
		claims []ginclerktest.Claim
		reason string // "" for signed in
	}{
		{name: "no __client_uat", uat: nil, reason: noUAT},
		{name: "earlier than iat", uat: []string{itoa(iat - 100)}},
		{name: "equal to iat", uat: []string{itoa(iat)}},
		{name: "zero: signed out on another tab", uat: []string{"0"}, reason: noUAT},
		{name: "later than iat", uat: []string{itoa(iat + 1)}, reason: stale},
		{name: "garbage is 0", uat: []string{"yesterday"}, reason: noUAT},
		{name: "empty is 0", uat: []string{""}, reason: noUAT},
		{name: "negative is a signed-in client, before any iat", uat: []string{"-1"}},
		{name: "fraction: its integer part", uat: []string{itoa(iat+1) + ".5"}, reason: stale},
		{name: "trailing garbage: the leading digits", uat: []string{itoa(iat-100) + "abc"}},
		{name: "hexadecimal", uat: []string{"0x10"}},
		{name: "two cookies", uat: []string{itoa(iat - 100), itoa(iat - 100)}, reason: ginclerk.ReasonTokenInvalid},
		{name: "token without iat is not before anything", uat: []string{itoa(iat + 100)}, claims: []ginclerktest.Claim{ginclerktest.Without("iat")}},
		{name: "header token, zero", header: true, uat: []string{"0"}},
		{name: "header token, later than iat", header: true, uat: []string{itoa(iat + 1000)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tok := mint(t, key, append([]ginclerktest.Claim{issued}, tt.claims...)...)
			req := get("")
			if tt.header {
				req.Header.Set("Authorization", "Bearer "+tok)
			} else {
				req.AddCookie(&http.Cookie{Name: "__session", Value: tok})
			}
			for _, v := range tt.uat {
				req.AddCookie(&http.Cookie{Name: "__client_uat", Value: v})
			}
			var got atomic.Value
			hook := ginclerk.WithOnError(func(err error) error { got.Store(err); return nil })
			var s seen
			do(router(&s, ck.WithAuth(hook)), req)
			if tt.reason == "" {
				assert.True(t, s.auth.IsSignedIn(), "reason %q", s.auth.Reason)
				return
			}
			assert.False(t, s.auth.IsSignedIn())
			assert.Equal(t, tt.reason, s.auth.Reason)
			err, _ := got.Load().(error)
			var e *ginclerk.Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, http.StatusUnauthorized, e.StatusCode)
			if tt.reason != ginclerk.ReasonTokenInvalid {
				assert.ErrorIs(t, err, ginclerk.ErrTokenExpired)
			}
		})
	}
}
