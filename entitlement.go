package ginclerk

import "github.com/ginclerk/ginclerk/internal/claims"

// Entitlement is one element of the v2 fea (features) or pla (plans) claims:
// a name and whether it belongs to the organization, the user, or both.
type Entitlement = claims.Entitlement

// Scope says whom an Entitlement belongs to.
type Scope = claims.Scope

// The scopes of an Entitlement, from the claim prefixes o:, u: and ou:/uo:.
const (
	ScopeOrg  = claims.ScopeOrg
	ScopeUser = claims.ScopeUser
	ScopeBoth = claims.ScopeBoth
)
