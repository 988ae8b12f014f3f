package ginclerktest_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
)

// These tests check that the kit's tokens, keys and server are what ginclerk
// itself accepts: the kit is only useful if its defaults pass verification.

// whoami builds a router that answers the signed-in user, or the reason.
func whoami(t *testing.T, opts ...ginclerk.Option) *gin.Engine {
	t.Helper()
	ck, err := ginclerk.New(append(opts, ginclerk.WithLogger(slog.New(slog.DiscardHandler)))...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = ck.Close() })
	r := gin.New()
	r.GET("/", ck.WithAuth(), func(c *gin.Context) {
		a := ginclerk.GetAuth(c)
		c.String(http.StatusOK, a.UserID+"|"+a.OrgRole+"|"+a.Reason)
	})
	return r
}

func call(r http.Handler, token string) string {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w.Body.String()
}

func TestEndToEndPEM(t *testing.T) {
	t.Parallel()
	k := ginclerktest.DefaultKey(t)
	r := whoami(t, k.Options()...)
	tests := []struct {
		name  string
		token string
		want  string
	}{
		{"defaults", k.Mint(t), "user_test_1||"},
		{"v2 org", k.Mint(t, ginclerktest.Subject("user_2"), ginclerktest.Org("org_1", "acme", "admin")), "user_2|org:admin|"},
		{"v1 org", k.Mint(t, ginclerktest.OrgV1("org_1", "acme", "org:member")), "user_test_1|org:member|"},
		{"expired", k.Mint(t, ginclerktest.ExpiresIn(-time.Minute)), "||session-token-expired-refresh-non-eligible-no-refresh-cookie"},
		{"other key", ginclerktest.SharedKey(t, 1).Mint(t), "||token-invalid-signature"},
		{"alg none", k.Mint(t, ginclerktest.Header("alg", "none")), "||token-invalid-algorithm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, call(r, tt.token))
		})
	}
}

func TestEndToEndServer(t *testing.T) {
	t.Parallel()
	k := ginclerktest.DefaultKey(t)
	s := ginclerktest.NewServer(t, k)
	r := whoami(t, s.Options()...)
	assert.Equal(t, "user_test_1||", call(r, k.Mint(t)))
	assert.Equal(t, "user_test_1||", call(r, k.Mint(t)))
	assert.Equal(t, 1, s.Fetches(), "keys are fetched once and cached")
}

func TestEndToEndPublishableKey(t *testing.T) {
	t.Parallel()
	k := ginclerktest.DefaultKey(t)
	r := whoami(t, append(k.Options(), ginclerk.WithPublishableKey(ginclerktest.DefaultPublishableKey))...)
	assert.Equal(t, "user_test_1||", call(r, k.Mint(t)), "DefaultPublishableKey pins DefaultIssuer")
	assert.Equal(t, "||token-invalid-issuer", call(r, k.Mint(t, ginclerktest.Issuer("https://other.example.test"))))
}
