package ginclerk

import "github.com/ginclerk/ginclerk/internal/claims"

// Entitlement is one element of the v2 fea (features) or pla (plans) claims:
// struct{ Scope Scope; Name string }. Name is everything after the first
// colon, verbatim ("o: a" has Name " a"); Scope says whether it belongs to
// the organization, the user, or both. Entitlements whose scope Clerk does
// not know are dropped while decoding, so Scope is always one of the Scope
// constants.
type Entitlement = claims.Entitlement

// Scope says whom an Entitlement belongs to: ScopeOrg, ScopeUser or
// ScopeBoth. Its methods Org and User report whether it includes the
// organization and the user respectively (both true for ScopeBoth). The
// zero Scope is none of them and includes neither.
type Scope = claims.Scope

// The scopes of an Entitlement, from the claim prefixes o:, u: and ou:/uo:.
const (
	// ScopeOrg is the prefix "o:": the active organization's.
	ScopeOrg = claims.ScopeOrg
	// ScopeUser is the prefix "u:": the user's.
	ScopeUser = claims.ScopeUser
	// ScopeBoth is the prefix "ou:" or "uo:": both the organization's and
	// the user's.
	ScopeBoth = claims.ScopeBoth
)
