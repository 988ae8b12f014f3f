package ginclerk_test

import (
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHandlerCannotWriteCache: a handler that writes into every list its
// Auth holds changes its own copy only: the next request with the same
// (cached) token sees the verified values, for lists that fit the Auth's
// inline room, fill it, or spill out of it. The raw claims, the actor's
// among them, are strings, which no handler can write.
func TestHandlerCannotWriteCache(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	for _, c := range []struct{ size, pad int }{{1, 0}, {1, 768}, {5, 0}, {6, 0}, {7, 0}, {40, 0}} {
		size := c.size
		features := strings.TrimSuffix(strings.Repeat("o:f,", size), ",")
		token := mint(t, key,
			ginclerktest.Org("org_1", "acme", "admin"),
			ginclerktest.OrgPermissions(strings.TrimSuffix(strings.Repeat("read,", size), ","), strings.TrimSuffix(strings.Repeat("1,", size), ",")),
			ginclerktest.Features(features), ginclerktest.Plans("u:pro"),
			ginclerktest.Actor("user_admin", nil), ginclerktest.Set("pad", strings.Repeat("p", c.pad)))
		ck := pemClerk(t, key)
		var got []*ginclerk.Auth
		var actors []string
		r := gin.New()
		r.Use(ck.WithAuth())
		r.GET("/", func(c *gin.Context) {
			a := ginclerk.GetAuth(c)
			clone := *a
			clone.OrgPermissions = append([]string(nil), a.OrgPermissions...)
			clone.Features = append([]ginclerk.Entitlement(nil), a.Features...)
			clone.Plans = append([]ginclerk.Entitlement(nil), a.Plans...)
			got = append(got, &clone)
			actors = append(actors, a.Actor.Claims)
			for i := range a.OrgPermissions {
				a.OrgPermissions[i] = "org:everything:all"
			}
			for i := range a.Features {
				a.Features[i].Name = "forged"
			}
			for i := range a.Plans {
				a.Plans[i].Name = "forged"
			}
		})
		for range 2 {
			require.Equal(t, 200, do(r, get(token)).Code)
		}
		require.Len(t, got, 2)
		first, second := got[0], got[1]
		require.True(t, second.IsSignedIn())
		assert.JSONEq(t, first.Claims, second.Claims, "size %d, pad %d: raw claims", size, c.pad)
		assert.Equal(t, first.OrgPermissions, second.OrgPermissions)
		assert.Equal(t, first.Features, second.Features)
		assert.Equal(t, first.Plans, second.Plans)
		assert.Equal(t, []string{`{"sub":"user_admin"}`, `{"sub":"user_admin"}`}, actors)
	}
}
