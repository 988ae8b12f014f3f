package ginclerk_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
)

// TestRequestLevelReasons: a request's session token outside its validity
// window gets the reasons @clerk/backend's authenticateRequest gives — the
// expired one naming, by method, why no refresh ran — while VerifyToken
// keeps the verifier's own, as Clerk's verifyToken does. All of them are
// ErrTokenExpired, 401.
func TestRequestLevelReasons(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	tests := []struct {
		name       string
		claim      ginclerktest.Claim
		method     string
		request    string // the reason Authenticate gives
		tokenAlone string // the reason VerifyToken gives
	}{
		{"expired, GET", ginclerktest.ExpiresIn(-time.Minute), http.MethodGet,
			ginclerk.ReasonSessionTokenExpired, ginclerk.ReasonTokenExpired},
		{"expired, POST", ginclerktest.ExpiresIn(-time.Minute), http.MethodPost,
			ginclerk.ReasonSessionTokenExpiredNonGet, ginclerk.ReasonTokenExpired},
		{"expired, HEAD is not GET", ginclerktest.ExpiresIn(-time.Minute), http.MethodHead,
			ginclerk.ReasonSessionTokenExpiredNonGet, ginclerk.ReasonTokenExpired},
		{"nbf in the future", ginclerktest.NotBefore(testNow.Add(time.Minute)), http.MethodGet,
			ginclerk.ReasonSessionTokenNBF, ginclerk.ReasonTokenNotActiveYet},
		{"iat in the future", ginclerktest.IssuedAt(testNow.Add(time.Minute)), http.MethodPut,
			ginclerk.ReasonSessionTokenIatInTheFuture, ginclerk.ReasonTokenIatInTheFuture},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			token := mint(t, key, tt.claim)
			req := httptest.NewRequest(tt.method, "/", nil)
			req.Header.Set("Authorization", "Bearer "+token)

			auth, err := ck.Authenticate(req)
			assert.Equal(t, tt.request, auth.Reason)
			assertExpired(t, err)

			auth, err = ck.VerifyToken(context.Background(), token)
			assert.Equal(t, tt.tokenAlone, auth.Reason)
			assertExpired(t, err)
		})
	}
}

func assertExpired(t *testing.T, err error) {
	t.Helper()
	require.ErrorIs(t, err, ginclerk.ErrTokenExpired)
	require.ErrorIs(t, err, ginclerk.ErrUnauthenticated)
}
