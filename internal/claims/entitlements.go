package claims

import (
	"strings"

	"github.com/ginclerk/ginclerk/internal/jsonx"
)

// Scope says whom a feature or plan applies to. The zero value is not a valid
// scope, so a zero Entitlement never matches anything.
type Scope uint8

// The scopes of fea and pla elements: "o", "u", and "ou" or "uo".
const (
	ScopeOrg  Scope = iota + 1 // "o": the active organization
	ScopeUser                  // "u": the user
	ScopeBoth                  // "ou" or "uo": both
)

// Org reports whether s includes the organization (ScopeOrg or ScopeBoth).
func (s Scope) Org() bool { return s == ScopeOrg || s == ScopeBoth }

// User reports whether s includes the user (ScopeUser or ScopeBoth).
func (s Scope) User() bool { return s == ScopeUser || s == ScopeBoth }

// Entitlement is one element of the fea (features) or pla (plans) claim.
// Name is everything after the first colon, verbatim: "o: a" has Name " a".
type Entitlement struct {
	Scope Scope
	Name  string
}

// strictEntitlements decodes fea where Clerk's jwtPayloadParser reads it (v2
// with an o claim): there a malformed list throws, so the token is invalid.
func (c *Claims) strictEntitlements(name string, raw []byte) ([]Entitlement, error) {
	if raw == nil || falsy(raw) {
		return nil, nil
	}
	if jsonx.KindOf(raw) != jsonx.KindString {
		return nil, invalid("session token claim %q must be a string", name)
	}
	s, err := c.str(name, raw)
	if err != nil {
		return nil, err
	}
	list, bad := parseEntitlements(c.entitlementRoom(strings.Count(s, ",")+1), s)
	if bad >= 0 {
		return nil, invalid("session token claim %q: element %d has no scope (missing \":\")", name, bad+1)
	}
	return list, nil
}

// lenientEntitlements decodes fea or pla where Clerk reads them only inside
// has(): a malformed or non-string list makes every feature (plan) check fail
// there, never the token invalid, so it decodes to nil.
func (c *Claims) lenientEntitlements(raw []byte) []Entitlement {
	if raw == nil || jsonx.KindOf(raw) != jsonx.KindString || len(raw) == 2 {
		return nil
	}
	s, err := c.str("", raw)
	if err != nil {
		return nil
	}
	list, bad := parseEntitlements(c.entitlementRoom(strings.Count(s, ",")+1), s)
	if bad >= 0 {
		return nil
	}
	return list
}

// parseEntitlements splits a comma list of "scope:name" elements, each trimmed
// as a whole (never around the colon). Elements with an unknown scope are
// skipped, as Clerk skips them. It returns the index of the first element
// without a colon (the empty element of ",," included), or -1. Names are
// substrings of s, appended to list, which must have room for them all.
func parseEntitlements(list []Entitlement, s string) ([]Entitlement, int) {
	for i := 0; ; i++ {
		part, rest, more := strings.Cut(s, ",")
		scope, name, ok := strings.Cut(jsTrim(part), ":")
		if !ok {
			return nil, i
		}
		switch scope {
		case "o":
			list = append(list, Entitlement{ScopeOrg, name})
		case "u":
			list = append(list, Entitlement{ScopeUser, name})
		case "ou", "uo":
			list = append(list, Entitlement{ScopeBoth, name})
		}
		if !more {
			return list, -1
		}
		s = rest
	}
}
