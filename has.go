package ginclerk

import (
	"slices"
	"strings"
)

// Has reports whether the request is authenticated and passes every check —
// Clerk's has(), failing closed: it is false when signed out, when no check
// is given, and when a check asks about data the credential does not carry
// (no active organization, no fea claim, no fva claim; for a machine
// credential, anything but its scopes). A nil *Auth has nothing.
//
//	if ginclerk.GetAuth(c).Has(ginclerk.Role("org:admin")) { … }
//
// Has evaluates the Auth as the middleware stored it: a pending session is
// signed in only behind a middleware given WithPendingSessions.
func (a *Auth) Has(checks ...Check) bool {
	if !a.IsAuthenticated() || len(checks) == 0 {
		return false
	}
	for _, c := range checks {
		if !c.passes(a) {
			return false
		}
	}
	return true
}

// passes evaluates c against an authenticated a. A machine credential has
// no organization role, permissions, features, plans or factor
// verification — Clerk's has() answers false for machines — so only scope
// checks can pass for it; a session has no scopes.
func (c Check) passes(a *Auth) bool {
	if a.isMachine() {
		return c.passesMachine(a)
	}
	switch c.kind {
	case checkRole:
		return hasRole(a, c.name)
	case checkPermission:
		return hasPermission(a, c.name)
	case checkFeature:
		return hasEntitlement(a.Features, c.name)
	case checkPlan:
		return hasEntitlement(a.Plans, c.name)
	case checkReverification:
		return c.reverify.passes(a.FactorVerificationAge)
	case checkActiveOrg:
		return a.OrgID != ""
	case checkAnyOf:
		for _, sub := range c.anyOf {
			if sub.passes(a) {
				return true
			}
		}
	}
	return false
}

// passesMachine evaluates c against a verified machine credential.
func (c Check) passesMachine(a *Auth) bool {
	switch c.kind {
	case checkScope:
		return slices.Contains(a.Scopes, c.name)
	case checkAnyOf:
		return slices.ContainsFunc(c.anyOf, func(sub Check) bool { return sub.passesMachine(a) })
	}
	return false
}

// withoutOrgPrefix strips every leading "org:", so that comparing two
// stripped names is Clerk's comparison of value.replace(/^(org:)*/, "org:").
func withoutOrgPrefix(s string) string {
	for strings.HasPrefix(s, "org:") {
		s = s[len("org:"):]
	}
	return s
}

// hasRole: Clerk needs an active organization and a role, then compares
// both sides with the prefix normalised (so "org:org:admin", which a v2 rol
// of "org:admin" produces, still matches "org:admin" — as in Clerk).
func hasRole(a *Auth, role string) bool {
	want := withoutOrgPrefix(role)
	return want != "" && a.OrgID != "" && a.OrgRole != "" && withoutOrgPrefix(a.OrgRole) == want
}

// hasPermission: only the asked name is normalised; the granted names are
// compared verbatim, exactly as Clerk's orgPermissions.includes(…) does.
func hasPermission(a *Auth, permission string) bool {
	want := withoutOrgPrefix(permission)
	if want == "" || a.OrgID == "" {
		return false
	}
	for _, p := range a.OrgPermissions {
		if strings.HasPrefix(p, "org:") && p[len("org:"):] == want {
			return true
		}
	}
	return false
}

// hasEntitlement looks query up in a fea or pla list. A nil list — absent,
// empty or malformed claim — fails every query, as in Clerk.
func hasEntitlement(list []Entitlement, query string) bool {
	org, user, name, ok := parseEntitlementQuery(query)
	if !ok {
		return false
	}
	for _, e := range list {
		if e.Name == name && ((org && e.Scope.Org()) || (user && e.Scope.User())) {
			return true
		}
	}
	return false
}

// parseEntitlementQuery splits "scope:name" as Clerk's has() does, with the
// scopes Clerk accepts. Where Clerk is lax about odd queries ("org:a:b"
// silently asks for "a", "org:" asks for "org"), the query fails instead:
// never more lenient than Clerk.
func parseEntitlementQuery(q string) (org, user bool, name string, ok bool) {
	scope, name, scoped := strings.Cut(q, ":")
	if !scoped {
		return true, true, q, q != ""
	}
	switch scope {
	case "o", "org", "organization":
		org = true
	case "u", "user":
		user = true
	default:
		return false, false, "", false
	}
	return org, user, name, name != "" && !strings.Contains(name, ":")
}
