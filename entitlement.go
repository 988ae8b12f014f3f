package ginclerk

import "github.com/ginclerk/ginclerk/internal/claims"

// Entitlement is one element of the v2 fea (features) or pla (plans)
// claims, such as "o:invoices". Elements whose scope Clerk does not know are
// dropped while decoding, so Scope is always one of the EntitlementScope
// constants in an Auth the middlewares built.
type Entitlement struct {
	// Scope says whom the feature or plan belongs to.
	Scope EntitlementScope
	// Name is everything after the first colon, verbatim: "o: a" has Name
	// " a", as Clerk's own parser reads it.
	Name string
}

// EntitlementScope says whom an Entitlement belongs to: the organization,
// the user, or both. The zero value is none of them and includes neither,
// so a zero Entitlement never satisfies a check.
type EntitlementScope uint8

// The scopes of an Entitlement, from the claim prefixes o:, u: and ou:/uo:.
const (
	// EntitlementOrg is the prefix "o:": the active organization's.
	EntitlementOrg EntitlementScope = iota + 1
	// EntitlementUser is the prefix "u:": the user's.
	EntitlementUser
	// EntitlementBoth is the prefix "ou:" or "uo:": both the organization's
	// and the user's.
	EntitlementBoth
)

// Org reports whether s includes the organization (EntitlementOrg or
// EntitlementBoth).
func (s EntitlementScope) Org() bool { return s == EntitlementOrg || s == EntitlementBoth }

// User reports whether s includes the user (EntitlementUser or
// EntitlementBoth).
func (s EntitlementScope) User() bool { return s == EntitlementUser || s == EntitlementBoth }

// entitlementsInto converts decoded fea or pla elements to the public type
// (the scopes share their numbering with the decoder's), into buf when they
// fit. The result never shares memory with in, which may belong to the
// verified-token cache; nil stays nil.
func entitlementsInto(buf []Entitlement, in []claims.Entitlement) []Entitlement {
	if in == nil {
		return nil
	}
	if len(in) > len(buf) {
		buf = make([]Entitlement, len(in))
	}
	out := buf[:len(in):len(in)]
	for i, e := range in {
		out[i] = Entitlement{Scope: EntitlementScope(e.Scope), Name: e.Name}
	}
	return out
}
