package ginclerktest_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
)

func TestSignedIn(t *testing.T) {
	t.Parallel()
	a := ginclerktest.SignedIn("user_9")
	assert.True(t, a.IsSignedIn())
	assert.Equal(t, "user_9", a.UserID)
	assert.Equal(t, ginclerktest.DefaultSessionID, a.SessionID)
	assert.Equal(t, "active", a.SessionStatus)
	assert.JSONEq(t, `{"sub":"user_9","sid":"sess_test_1","sts":"active"}`, a.Claims)
	assert.Empty(t, a.Reason)
}

func TestSignedOut(t *testing.T) {
	t.Parallel()
	a := ginclerktest.SignedOut(ginclerk.ReasonTokenExpired, "expired")
	assert.False(t, a.IsSignedIn())
	assert.Equal(t, ginclerk.ReasonTokenExpired, a.Reason)
	assert.Equal(t, "expired", a.Message)
	assert.Empty(t, a.UserID)
}

func TestNewContext(t *testing.T) {
	t.Parallel()
	a := ginclerktest.SignedIn("user_1")
	c, w := ginclerktest.NewContext(a)
	assert.Same(t, a, ginclerk.GetAuth(c))
	assert.Same(t, a, ginclerk.AuthFromContext(c.Request.Context()))

	type custom struct {
		Sub string `json:"sub"`
	}
	claims, err := ginclerk.Claims[custom](c)
	require.NoError(t, err)
	assert.Equal(t, "user_1", claims.Sub)

	c.String(http.StatusTeapot, "ok")
	assert.Equal(t, http.StatusTeapot, w.Code, "the recorder receives the response")
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	admin := ginclerktest.SignedIn("user_1")
	admin.OrgID, admin.OrgRole = "org_1", "org:admin"
	tests := []struct {
		name   string
		auth   *ginclerk.Auth
		status int
	}{
		{"admin", admin, http.StatusOK},
		{"member", ginclerktest.SignedIn("user_2"), http.StatusForbidden},
		{"signed out", ginclerktest.SignedOut(ginclerk.ReasonTokenExpired, "expired"), http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := gin.New()
			r.Use(ginclerktest.Authenticate(tt.auth))
			r.GET("/", func(c *gin.Context) {
				a := ginclerk.GetAuth(c)
				switch {
				case !a.IsSignedIn():
					c.Status(http.StatusUnauthorized)
				case !a.Has(ginclerk.Role("org:admin")):
					c.Status(http.StatusForbidden)
				default:
					assert.Same(t, tt.auth, ginclerk.AuthFromContext(c.Request.Context()))
					c.Status(http.StatusOK)
				}
			})
			w := httptest.NewRecorder()
			r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
			assert.Equal(t, tt.status, w.Code)
		})
	}
}
