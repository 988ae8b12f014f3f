package ginclerk_test

import (
	"encoding/json"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type roleClaims struct {
	Role string `json:"role"`
}

type baseClaims struct {
	Role string `json:"role"`
}

type caseClaims struct {
	baseClaims
	Tier   string                `json:"tier"`
	Plain  string                // no tag: the Go name, exactly
	Meta   roleClaims            `json:"meta"`
	Ptr    *roleClaims           `json:"ptr"`
	List   []roleClaims          `json:"list"`
	ByName map[string]roleClaims `json:"by_name"`
	Raw    json.RawMessage       `json:"raw"`
}

// decodeWith runs a token carrying claims through WithAuth and returns what
// Claims[T] decodes.
func decodeWith[T any](t *testing.T, claims map[string]any) (T, error) {
	t.Helper()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	opts := make([]ginclerktest.Claim, 0, len(claims))
	for name, v := range claims {
		opts = append(opts, ginclerktest.Set(name, v))
	}
	var got T
	var err error
	r := gin.New()
	r.Use(ck.WithAuth())
	r.GET("/", func(c *gin.Context) { got, err = ginclerk.Claims[T](c) })
	w := do(r, get(mint(t, key, opts...)))
	require.Equal(t, 200, w.Code)
	return got, err
}

// TestClaimsExactCase: member names match fields exactly, as JSON.parse
// reads them, at every depth — encoding/json alone would fold "ROLE" into
// a field tagged "role".
func TestClaimsExactCase(t *testing.T) {
	t.Parallel()
	t.Run("a case variant beside the exact name", func(t *testing.T) {
		t.Parallel()
		got, err := decodeWith[roleClaims](t, map[string]any{"role": "user", "ROLE": "admin"})
		require.NoError(t, err)
		assert.Equal(t, "user", got.Role)
	})
	t.Run("a case variant alone", func(t *testing.T) {
		t.Parallel()
		got, err := decodeWith[*roleClaims](t, map[string]any{"Role": "admin"})
		require.NoError(t, err)
		assert.Empty(t, got.Role)
	})
	t.Run("every depth", func(t *testing.T) {
		t.Parallel()
		got, err := decodeWith[caseClaims](t, map[string]any{
			"ROLE": "admin", "tier": "gold", "TIER": "platinum", "plain": "folded", "Plain": "exact",
			"meta":    map[string]any{"Role": "admin"},
			"ptr":     map[string]any{"role": "user", "rOLE": "admin"},
			"list":    []any{map[string]any{"role": "a"}, map[string]any{"ROLE": "b"}},
			"by_name": map[string]any{"x": map[string]any{"Role": "admin"}, "Y": map[string]any{"role": "y"}},
			"raw":     map[string]any{"ROLE": "kept"},
			"Meta":    map[string]any{"role": "admin"},
		})
		require.NoError(t, err)
		assert.Equal(t, caseClaims{
			Tier: "gold", Plain: "exact", Ptr: &roleClaims{Role: "user"},
			List:   []roleClaims{{Role: "a"}, {}},
			ByName: map[string]roleClaims{"x": {}, "Y": {Role: "y"}},
			Raw:    json.RawMessage(`{"ROLE":"kept"}`),
		}, got)
	})
	t.Run("a map is untouched", func(t *testing.T) {
		t.Parallel()
		got, err := decodeWith[map[string]any](t, map[string]any{"role": "user", "ROLE": "admin"})
		require.NoError(t, err)
		assert.Equal(t, "user", got["role"])
		assert.Equal(t, "admin", got["ROLE"])
	})
	t.Run("a wrong kind is still an error", func(t *testing.T) {
		t.Parallel()
		_, err := decodeWith[caseClaims](t, map[string]any{"meta": "not an object"})
		var te *json.UnmarshalTypeError
		assert.ErrorAs(t, err, &te)
	})
}
