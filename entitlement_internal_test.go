package ginclerk

import (
	"testing"

	"github.com/ginclerk/ginclerk/internal/claims"
	"github.com/stretchr/testify/assert"
)

// TestEntitlementScopeNumbering pins the numbering entitlementsInto relies
// on to convert decoded scopes without a lookup, and that the result never
// shares the decoded list's memory, in the buffer or beyond it.
func TestEntitlementScopeNumbering(t *testing.T) {
	t.Parallel()
	in := []claims.Entitlement{{Scope: claims.ScopeOrg, Name: "a"}, {Scope: claims.ScopeUser, Name: "b"}, {Scope: claims.ScopeBoth, Name: "c"}}
	want := []Entitlement{{EntitlementOrg, "a"}, {EntitlementUser, "b"}, {EntitlementBoth, "c"}}
	buf := make([]Entitlement, 8)
	assert.Equal(t, want, entitlementsInto(buf, in))
	assert.Equal(t, want, entitlementsInto(buf[:1], in), "longer than the buffer")
	assert.Nil(t, entitlementsInto(buf, nil))
	assert.Equal(t, 3, cap(entitlementsInto(buf, in)), "clipped: an append copies")
}
