package ginclerk

import (
	"errors"
	"fmt"
	"strings"
)

// Check is one condition of an authorization rule, as Clerk's has() takes
// them: build it with Role, Permission, Feature, Plan, Reverification,
// ReverificationAfter, ActiveOrg, Scope or AnyOf, and evaluate it with (*Auth).Has
// or the Require middlewares. The zero Check never passes.
type Check struct {
	kind     checkKind
	name     string       // the role, permission, feature or plan asked for
	reverify reverifyRule // for checkReverification
	anyOf    []Check      // for checkAnyOf
}

type checkKind uint8

const (
	checkNone checkKind = iota
	checkRole
	checkPermission
	checkFeature
	checkPlan
	checkReverification
	checkActiveOrg
	checkAnyOf
	checkScope
)

// Role passes when the user's role in the active organization is role.
// Clerk's "org:" prefix is optional and normalised as Clerk's has() does:
// Role("admin") and Role("org:admin") both match the role "org:admin". It
// fails without an active organization, and for an empty role.
func Role(role string) Check { return Check{kind: checkRole, name: role} }

// Permission passes when the active organization grants the user
// permission, for example "org:invoices:read" (the "org:" prefix is optional,
// as in Clerk's has()). It fails without an active organization, and for an
// empty permission.
func Permission(permission string) Check { return Check{kind: checkPermission, name: permission} }

// Feature passes when the session's features (the fea claim) include
// feature. Like Clerk's has(), "org:name" (also "o:" or "organization:")
// looks only at the organization's features, "user:name" (or "u:") only at
// the user's, and a bare "name" at both. A malformed name — an unknown
// scope, an empty name, more than one colon — never passes.
func Feature(feature string) Check { return Check{kind: checkFeature, name: feature} }

// Plan passes when the session's plans (the pla claim) include plan, with
// the same scoping rules as Feature: "org:pro", "user:pro" or "pro".
func Plan(plan string) Check { return Check{kind: checkPlan, name: plan} }

// ActiveOrg passes when the session has an active organization (a non-empty
// OrgID). Clerk's has() has no such dimension; RequireOrg uses it.
func ActiveOrg() Check { return Check{kind: checkActiveOrg} }

// AnyOf passes when at least one of checks passes; AnyOf() never passes.
// Checks given side by side to Has or Require must all pass; AnyOf is the
// way to say "or", for example AnyOf(Role("org:admin"),
// Permission("org:invoices:manage")).
func AnyOf(checks ...Check) Check {
	return Check{kind: checkAnyOf, anyOf: append([]Check(nil), checks...)}
}

// validate reports a check that can never pass; the Require middlewares
// refuse such rules when they are built, since they are programming errors.
func (c Check) validate() error {
	switch c.kind {
	case checkRole, checkPermission:
		if withoutOrgPrefix(c.name) == "" {
			return fmt.Errorf("%s: empty name", c)
		}
	case checkFeature, checkPlan:
		if _, _, _, ok := parseEntitlementQuery(c.name); !ok {
			return fmt.Errorf("%s: want \"name\", \"org:name\" or \"user:name\"", c)
		}
	case checkReverification:
		return c.reverify.validate()
	case checkActiveOrg:
	case checkScope:
		if strings.TrimSpace(c.name) == "" || strings.ContainsAny(c.name, " \t\r\n") {
			return fmt.Errorf("%s: a scope is one non-empty word", c)
		}
	case checkAnyOf:
		if len(c.anyOf) == 0 {
			return errors.New("AnyOf() without checks never passes")
		}
		for _, sub := range c.anyOf {
			if err := sub.validate(); err != nil {
				return err
			}
		}
	default:
		return errors.New("zero Check never passes")
	}
	return nil
}

// String describes c for logs and error causes, e.g. `role "org:admin"`.
func (c Check) String() string {
	switch c.kind {
	case checkRole:
		return fmt.Sprintf("role %q", c.name)
	case checkPermission:
		return fmt.Sprintf("permission %q", c.name)
	case checkFeature:
		return fmt.Sprintf("feature %q", c.name)
	case checkPlan:
		return fmt.Sprintf("plan %q", c.name)
	case checkReverification:
		return "reverification " + c.reverify.String()
	case checkActiveOrg:
		return "active organization"
	case checkScope:
		return fmt.Sprintf("scope %q", c.name)
	case checkAnyOf:
		parts := make([]string, len(c.anyOf))
		for i, sub := range c.anyOf {
			parts[i] = sub.String()
		}
		return "any of (" + strings.Join(parts, ", ") + ")"
	}
	return "zero Check"
}
