package ginclerk_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAuthenticateMatchesRequireAuth: Authenticate answers every request as
// the strict middleware does — same outcome, status and reason — and
// returns a nil error interface (not a typed nil) when signed in.
func TestAuthenticateMatchesRequireAuth(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	withCookie := func(token, uat string) *http.Request {
		r := get("")
		r.AddCookie(&http.Cookie{Name: "__session", Value: token})
		if uat != "" {
			r.AddCookie(&http.Cookie{Name: "__client_uat", Value: uat})
		}
		return r
	}
	uat := strconv.FormatInt(testNow.Add(-time.Minute).Unix(), 10)
	tests := []struct {
		name     string
		req      func() *http.Request
		opts     []ginclerk.MiddlewareOption
		user     string
		reason   string
		sentinel error
	}{
		{"bearer token", func() *http.Request { return get(mint(t, key, ginclerktest.Subject("user_a"))) }, nil, "user_a", "", nil},
		{"no token", func() *http.Request { return get("") }, nil, "", ginclerk.ReasonSessionTokenAndUATMissing, ginclerk.ErrTokenMissing},
		{"garbage", func() *http.Request { return get("garbage") }, nil, "", ginclerk.ReasonTokenInvalid, ginclerk.ErrTokenInvalid},
		{"expired", func() *http.Request { return get(mint(t, key, ginclerktest.ExpiresIn(-time.Hour))) }, nil, "", ginclerk.ReasonSessionTokenExpired, ginclerk.ErrTokenExpired},
		{"other key", func() *http.Request { return get(mint(t, ginclerktest.SharedKey(t, 7))) }, nil, "", "", ginclerk.ErrUnauthenticated},
		{"cookie with client uat", func() *http.Request { return withCookie(mint(t, key, ginclerktest.Subject("user_c")), uat) }, nil, "user_c", "", nil},
		{"cookie newer client uat", func() *http.Request {
			return withCookie(mint(t, key), strconv.FormatInt(testNow.Add(time.Minute).Unix(), 10))
		}, nil, "", "", ginclerk.ErrTokenExpired},
		{"pending", func() *http.Request { return get(mint(t, key, ginclerktest.SessionStatus("pending"))) }, nil, "", ginclerk.ReasonSessionPending, ginclerk.ErrSessionPending},
		{"pending accepted", func() *http.Request {
			return get(mint(t, key, ginclerktest.Subject("user_p"), ginclerktest.SessionStatus("pending")))
		},
			[]ginclerk.MiddlewareOption{ginclerk.WithPendingSessions()}, "user_p", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := tt.req()
			var s seen
			w := do(router(&s, ginclerk.ErrorHandler(), ck.RequireAuth(tt.opts...)), req)

			auth, err := ck.Authenticate(req, tt.opts...)
			require.NotNil(t, auth)
			if tt.sentinel == nil {
				assert.True(t, err == nil, "a nil interface, not a typed nil: %#v", err)
				assert.True(t, auth.IsSignedIn())
				assert.Equal(t, tt.user, auth.UserID)
				assert.Equal(t, http.StatusOK, w.Code)
				return
			}
			var e *ginclerk.Error
			require.ErrorAs(t, err, &e)
			assert.ErrorIs(t, err, tt.sentinel)
			assert.False(t, auth.IsSignedIn())
			assert.Equal(t, w.Code, e.StatusCode, "the strict middleware's status")
			assert.Equal(t, w.Header().Get("X-Clerk-Auth-Reason"), e.Reason, "the strict middleware's reason")
			assert.Equal(t, e.Reason, auth.Reason)
			if tt.reason != "" {
				assert.Equal(t, tt.reason, e.Reason)
			}
		})
	}
	t.Run("nil request", func(t *testing.T) {
		t.Parallel()
		auth, err := ck.Authenticate(nil)
		require.NotNil(t, auth)
		assert.ErrorIs(t, err, ginclerk.ErrTokenMissing)
	})
}

// TestVerifyToken: one token, from anywhere, with the middleware's results.
func TestVerifyToken(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	ctx := context.Background()
	tests := []struct {
		name     string
		token    string
		opts     []ginclerk.MiddlewareOption
		user     string
		status   int
		sentinel error
	}{
		{"valid", mint(t, key, ginclerktest.Subject("user_v")), nil, "user_v", 0, nil},
		{"empty", "", nil, "", http.StatusUnauthorized, ginclerk.ErrTokenMissing},
		{"garbage", "a.b.c", nil, "", http.StatusUnauthorized, ginclerk.ErrTokenInvalid},
		{"a bearer prefix is not part of a token", "Bearer " + mint(t, key), nil, "", http.StatusUnauthorized, ginclerk.ErrTokenInvalid},
		{"expired", mint(t, key, ginclerktest.ExpiresIn(-time.Hour)), nil, "", http.StatusUnauthorized, ginclerk.ErrTokenExpired},
		{"pending", mint(t, key, ginclerktest.SessionStatus("pending")), nil, "", http.StatusUnauthorized, ginclerk.ErrSessionPending},
		{"pending accepted", mint(t, key, ginclerktest.Subject("user_p"), ginclerktest.SessionStatus("pending")),
			[]ginclerk.MiddlewareOption{ginclerk.WithPendingSessions()}, "user_p", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			auth, err := ck.VerifyToken(ctx, tt.token, tt.opts...)
			require.NotNil(t, auth)
			if tt.sentinel == nil {
				assert.True(t, err == nil, "a nil interface, not a typed nil: %#v", err)
				assert.Equal(t, tt.user, auth.UserID)
				assert.Equal(t, tt.token, auth.Token)
				return
			}
			var e *ginclerk.Error
			require.ErrorAs(t, err, &e)
			assert.ErrorIs(t, err, tt.sentinel)
			assert.Equal(t, tt.status, e.StatusCode)
			assert.Equal(t, e.Reason, auth.Reason)
			assert.False(t, auth.IsSignedIn())
		})
	}
}

// TestVerifyTokenContextBoundsKeyWait: the caller's context bounds the wait
// for Clerk's signing keys, and the outage is ours: 503.
func TestVerifyTokenContextBoundsKeyWait(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	srv := ginclerktest.NewServer(t, key)
	srv.Fail(ginclerktest.FaultHang)
	ck := apiClerk(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	auth, err := ck.VerifyToken(ctx, mint(t, key))
	require.NotNil(t, auth)
	var e *ginclerk.Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, http.StatusServiceUnavailable, e.StatusCode)
	assert.ErrorIs(t, err, ginclerk.ErrKeysUnavailable)
}

// TestVerifyTokenNilContext: a nil context is a caller's slip, answered as
// context.Background rather than with a panic.
func TestVerifyTokenNilContext(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	var ctx context.Context
	auth, err := pemClerk(t, key).VerifyToken(ctx, mint(t, key, ginclerktest.Subject("user_n")))
	require.NoError(t, err)
	assert.Equal(t, "user_n", auth.UserID)
}
