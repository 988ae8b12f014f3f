package ginclerk

import (
	"testing"

	"github.com/ginclerk/ginclerk/internal/claims"
	"github.com/stretchr/testify/assert"
)

// TestEntitlementScopeNumbering pins the numbering entitlements relies on to
// convert decoded scopes without a lookup.
func TestEntitlementScopeNumbering(t *testing.T) {
	t.Parallel()
	in := []claims.Entitlement{{Scope: claims.ScopeOrg, Name: "a"}, {Scope: claims.ScopeUser, Name: "b"}, {Scope: claims.ScopeBoth, Name: "c"}}
	assert.Equal(t, []Entitlement{{EntitlementOrg, "a"}, {EntitlementUser, "b"}, {EntitlementBoth, "c"}}, entitlements(in))
	assert.Nil(t, entitlements(nil))
}
