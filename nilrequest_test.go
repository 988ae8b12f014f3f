package ginclerk_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
)

// TestNilRequest: a bare gin.CreateTestContext has no Request. GetAuth
// answers signed out and every middleware fails closed — none panics.
func TestNilRequest(t *testing.T) {
	t.Parallel()
	ck := pemClerk(t, ginclerktest.DefaultKey(t))
	t.Run("GetAuth", func(t *testing.T) {
		t.Parallel()
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		a := ginclerk.GetAuth(c)
		assert.False(t, a.IsSignedIn())
		assert.Equal(t, ginclerk.ReasonSessionTokenAndUATMissing, a.Reason)
	})
	tests := []struct {
		name    string
		mw      gin.HandlerFunc
		aborted bool
	}{
		{"WithAuth", ck.WithAuth(), false},
		{"RequireAuth", ck.RequireAuth(), true},
		{"Require", ginclerk.Require(ginclerk.ActiveOrg()), true},
		{"RequireOrg", ginclerk.RequireOrg(), true},
		{"RequireRole", ginclerk.RequireRole("admin"), true},
		{"RequirePermission", ginclerk.RequirePermission("org:a:b"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _ := gin.CreateTestContext(httptest.NewRecorder())
			assert.NotPanics(t, func() { tt.mw(c) })
			assert.Equal(t, tt.aborted, c.IsAborted())
			assert.False(t, ginclerk.GetAuth(c).IsSignedIn())
			if tt.aborted {
				assert.Equal(t, http.StatusUnauthorized, c.Writer.Status())
			}
		})
	}
}
