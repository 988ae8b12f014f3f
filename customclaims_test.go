package ginclerk_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// appClaims is a session-token customization: two custom claims beside
// Clerk's own.
type appClaims struct {
	Subject string   `json:"sub"`
	Tier    string   `json:"tier"`
	Tags    []string `json:"tags"`
}

func TestClaims(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	tok := mint(t, key, ginclerktest.Set("tier", "gold"), ginclerktest.Set("tags", []string{"a", "b"}))

	var first, second appClaims
	var ptrs [2]*appClaims
	var ctxClaims map[string]any
	var errs [4]error
	r := gin.New()
	r.Use(ck.WithAuth())
	r.GET("/", func(c *gin.Context) {
		first, errs[0] = ginclerk.Claims[appClaims](c)
		first.Tags[0] = "mutated" // must not reach the next decode
		second, errs[1] = ginclerk.Claims[appClaims](c)
		ptrs[0], errs[2] = ginclerk.Claims[*appClaims](c)
		ptrs[1], _ = ginclerk.Claims[*appClaims](c)
		ctxClaims, errs[3] = ginclerk.ClaimsFromContext[map[string]any](c.Request.Context())
	})
	do(r, get(tok))
	for i, err := range errs {
		require.NoError(t, err, "call %d", i)
	}
	assert.Equal(t, appClaims{Subject: ginclerktest.DefaultUserID, Tier: "gold", Tags: []string{"mutated", "b"}}, first)
	assert.Equal(t, appClaims{Subject: ginclerktest.DefaultUserID, Tier: "gold", Tags: []string{"a", "b"}}, second)
	require.NotNil(t, ptrs[0])
	assert.NotSame(t, ptrs[0], ptrs[1], "a fresh value per call")
	assert.Equal(t, "gold", ptrs[0].Tier)
	assert.Equal(t, "gold", ctxClaims["tier"])
	assert.Equal(t, ginclerktest.DefaultSessionID, ctxClaims["sid"])
}

func TestClaimsErrors(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)

	t.Run("signed out", func(t *testing.T) {
		t.Parallel()
		var err error
		var got appClaims
		r := router(&seen{}, ck.WithAuth())
		r.GET("/claims", func(c *gin.Context) { got, err = ginclerk.Claims[appClaims](c) })
		do(r, httptest.NewRequest(http.MethodGet, "/claims", nil))
		assert.Equal(t, appClaims{}, got)
		assert.ErrorIs(t, err, ginclerk.ErrUnauthenticated)
		assert.ErrorIs(t, err, ginclerk.ErrTokenMissing)
	})
	t.Run("no middleware", func(t *testing.T) {
		t.Parallel()
		_, err := ginclerk.ClaimsFromContext[appClaims](context.Background())
		assert.ErrorIs(t, err, ginclerk.ErrTokenMissing)
	})
	t.Run("claims that do not fit T", func(t *testing.T) {
		t.Parallel()
		var err error
		r := gin.New()
		r.Use(ck.WithAuth())
		r.GET("/", func(c *gin.Context) { _, err = ginclerk.Claims[appClaims](c) })
		do(r, get(mint(t, key, ginclerktest.Set("tier", 3))))
		var typeErr *json.UnmarshalTypeError
		assert.ErrorAs(t, err, &typeErr)
		var e *ginclerk.Error
		assert.False(t, errors.As(err, &e), "a schema mismatch is the server's problem, not an auth failure")
	})
	t.Run("hand-made Auth without claims", func(t *testing.T) {
		t.Parallel()
		a := ginclerktest.SignedIn("user_1")
		a.Claims = ""
		c, _ := ginclerktest.NewContext(a)
		_, err := ginclerk.Claims[appClaims](c)
		assert.Error(t, err)
	})
}

// TestClaimsParallel decodes custom claims in many concurrent requests,
// each with its own token; run with -race, it fails if any decoded value
// were shared (clerk-sdk-go#202).
func TestClaimsParallel(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	r := gin.New()
	r.Use(ck.WithAuth())
	r.GET("/", func(c *gin.Context) {
		claims, err := ginclerk.Claims[appClaims](c)
		if err != nil {
			c.Status(http.StatusInternalServerError)
			return
		}
		claims.Tags = append(claims.Tags, "handler")
		c.String(http.StatusOK, "%s/%s/%d", claims.Subject, claims.Tier, len(claims.Tags))
	})
	const n = 16
	tokens := make([]string, n)
	for i := range tokens {
		tokens[i] = mint(t, key, ginclerktest.Subject(fmt.Sprintf("user_%d", i)),
			ginclerktest.Set("tier", fmt.Sprintf("tier%d", i)), ginclerktest.Set("tags", []string{"x"}))
	}
	var wg sync.WaitGroup
	for i := range n {
		for range 4 {
			wg.Go(func() {
				w := do(r, get(tokens[i]))
				assert.Equal(t, fmt.Sprintf("user_%d/tier%d/2", i, i), w.Body.String())
			})
		}
	}
	wg.Wait()
}
