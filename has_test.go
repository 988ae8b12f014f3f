package ginclerk_test

import (
	"testing"

	"github.com/ginclerk/ginclerk"
	"github.com/stretchr/testify/assert"
)

// orgAdmin is a signed-in Auth with an active organization, as a v2 token
// decodes: role "org:admin", two permissions, features and plans of every
// scope, and fva [3, 20].
func orgAdmin() *ginclerk.Auth {
	return &ginclerk.Auth{
		UserID:         "user_1",
		SessionID:      "sess_1",
		SessionStatus:  "active",
		OrgID:          "org_1",
		OrgRole:        "org:admin",
		OrgPermissions: []string{"org:invoices:read", "org:invoices:manage"},
		Features: []ginclerk.Entitlement{
			{Scope: ginclerk.EntitlementOrg, Name: "invoices"},
			{Scope: ginclerk.EntitlementUser, Name: "beta"},
			{Scope: ginclerk.EntitlementBoth, Name: "export"},
		},
		Plans: []ginclerk.Entitlement{
			{Scope: ginclerk.EntitlementOrg, Name: "team"},
			{Scope: ginclerk.EntitlementUser, Name: "pro"},
		},
		FactorVerificationAge: &[2]int{3, 20},
	}
}

// orgAdminWith returns orgAdmin changed by f.
func orgAdminWith(f func(a *ginclerk.Auth)) *ginclerk.Auth {
	a := orgAdmin()
	f(a)
	return a
}

type hasCase struct {
	name   string
	auth   *ginclerk.Auth
	checks []ginclerk.Check
	want   bool
}

func runHas(t *testing.T, tests []hasCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.auth.Has(tt.checks...), "Has(%v)", tt.checks)
		})
	}
}

func checkList(c ...ginclerk.Check) []ginclerk.Check { return c }

func TestHasFailsClosed(t *testing.T) {
	t.Parallel()
	signedOut := &ginclerk.Auth{Reason: ginclerk.ReasonSessionTokenExpired}
	var nilAuth *ginclerk.Auth
	runHas(t, []hasCase{
		{"nothing asked", orgAdmin(), nil, false},
		{"signed out", signedOut, checkList(ginclerk.Role("org:admin")), false},
		{"signed out with stale org data", orgAdminWith(func(a *ginclerk.Auth) { a.Reason = ginclerk.ReasonSessionTokenExpired }),
			checkList(ginclerk.Role("org:admin")), false},
		{"nil Auth", nilAuth, checkList(ginclerk.Role("org:admin")), false},
		{"zero Check", orgAdmin(), checkList(ginclerk.Check{}), false},
		{"every check must pass", orgAdmin(), checkList(ginclerk.Role("org:admin"), ginclerk.Permission("org:invoices:delete")), false},
		{"all pass", orgAdmin(), checkList(ginclerk.Role("org:admin"), ginclerk.Permission("org:invoices:read"),
			ginclerk.Feature("invoices"), ginclerk.Plan("pro"), ginclerk.Reverification(ginclerk.ReverifyModerate)), true},
		{"AnyOf one passes", orgAdmin(), checkList(ginclerk.AnyOf(ginclerk.Role("org:member"), ginclerk.Permission("org:invoices:read"))), true},
		{"AnyOf none passes", orgAdmin(), checkList(ginclerk.AnyOf(ginclerk.Role("org:member"), ginclerk.Plan("gold"))), false},
		{"AnyOf empty", orgAdmin(), checkList(ginclerk.AnyOf()), false},
		{"ActiveOrg", orgAdmin(), checkList(ginclerk.ActiveOrg()), true},
		{"ActiveOrg without org", orgAdminWith(func(a *ginclerk.Auth) { a.OrgID = "" }), checkList(ginclerk.ActiveOrg()), false},
	})
}

func TestHasRole(t *testing.T) {
	t.Parallel()
	runHas(t, []hasCase{
		{"exact", orgAdmin(), checkList(ginclerk.Role("org:admin")), true},
		{"without prefix", orgAdmin(), checkList(ginclerk.Role("admin")), true},
		{"repeated prefix asked", orgAdmin(), checkList(ginclerk.Role("org:org:admin")), true},
		{"doubled prefix held (v2 rol \"org:admin\")", orgAdminWith(func(a *ginclerk.Auth) { a.OrgRole = "org:org:admin" }),
			checkList(ginclerk.Role("org:admin")), true},
		{"v1 role without prefix", orgAdminWith(func(a *ginclerk.Auth) { a.OrgRole = "admin" }), checkList(ginclerk.Role("org:admin")), true},
		{"other role", orgAdmin(), checkList(ginclerk.Role("org:member")), false},
		{"case matters", orgAdmin(), checkList(ginclerk.Role("org:Admin")), false},
		{"prefix only", orgAdmin(), checkList(ginclerk.Role("org:")), false},
		{"empty", orgAdmin(), checkList(ginclerk.Role("")), false},
		{"empty with empty role held", orgAdminWith(func(a *ginclerk.Auth) { a.OrgRole = "org:" }), checkList(ginclerk.Role("")), false},
		{"no active org", orgAdminWith(func(a *ginclerk.Auth) { a.OrgID = "" }), checkList(ginclerk.Role("org:admin")), false},
		{"no role", orgAdminWith(func(a *ginclerk.Auth) { a.OrgRole = "" }), checkList(ginclerk.Role("org:admin")), false},
	})
}

func TestHasPermission(t *testing.T) {
	t.Parallel()
	runHas(t, []hasCase{
		{"exact", orgAdmin(), checkList(ginclerk.Permission("org:invoices:read")), true},
		{"without prefix", orgAdmin(), checkList(ginclerk.Permission("invoices:manage")), true},
		{"two held", orgAdmin(), checkList(ginclerk.Permission("org:invoices:read"), ginclerk.Permission("org:invoices:manage")), true},
		{"not held", orgAdmin(), checkList(ginclerk.Permission("org:invoices:delete")), false},
		{"feature name alone", orgAdmin(), checkList(ginclerk.Permission("org:invoices")), false},
		{"empty", orgAdmin(), checkList(ginclerk.Permission("")), false},
		{"no active org", orgAdminWith(func(a *ginclerk.Auth) { a.OrgID = "" }), checkList(ginclerk.Permission("org:invoices:read")), false},
		{"permissions absent", orgAdminWith(func(a *ginclerk.Auth) { a.OrgPermissions = nil }), checkList(ginclerk.Permission("org:invoices:read")), false},
		{"permissions empty", orgAdminWith(func(a *ginclerk.Auth) { a.OrgPermissions = []string{} }), checkList(ginclerk.Permission("org:invoices:read")), false},
		{"held name without prefix is not normalised (as Clerk)", orgAdminWith(func(a *ginclerk.Auth) { a.OrgPermissions = []string{"invoices:read"} }),
			checkList(ginclerk.Permission("invoices:read")), false},
	})
}

func TestHasFeatureAndPlan(t *testing.T) {
	t.Parallel()
	noOrg := orgAdminWith(func(a *ginclerk.Auth) { a.OrgID, a.OrgRole, a.OrgPermissions = "", "", nil })
	runHas(t, []hasCase{
		{"org feature, unscoped", orgAdmin(), checkList(ginclerk.Feature("invoices")), true},
		{"org feature, org scope", orgAdmin(), checkList(ginclerk.Feature("org:invoices")), true},
		{"org feature, o scope", orgAdmin(), checkList(ginclerk.Feature("o:invoices")), true},
		{"org feature, organization scope", orgAdmin(), checkList(ginclerk.Feature("organization:invoices")), true},
		{"org feature, user scope", orgAdmin(), checkList(ginclerk.Feature("user:invoices")), false},
		{"user feature, unscoped", orgAdmin(), checkList(ginclerk.Feature("beta")), true},
		{"user feature, user scope", orgAdmin(), checkList(ginclerk.Feature("user:beta")), true},
		{"user feature, u scope", orgAdmin(), checkList(ginclerk.Feature("u:beta")), true},
		{"user feature, org scope", orgAdmin(), checkList(ginclerk.Feature("org:beta")), false},
		{"both-scoped feature, org scope", orgAdmin(), checkList(ginclerk.Feature("org:export")), true},
		{"both-scoped feature, user scope", orgAdmin(), checkList(ginclerk.Feature("user:export")), true},
		{"org feature without active org (Clerk does not look)", noOrg, checkList(ginclerk.Feature("org:invoices")), true},
		{"missing feature", orgAdmin(), checkList(ginclerk.Feature("reports")), false},
		{"unknown scope", orgAdmin(), checkList(ginclerk.Feature("team:invoices")), false},
		{"ou is a claim scope, not a query scope", orgAdmin(), checkList(ginclerk.Feature("ou:export")), false},
		{"two colons", orgAdmin(), checkList(ginclerk.Feature("org:invoices:read")), false},
		{"empty name after scope", orgAdmin(), checkList(ginclerk.Feature("org:")), false},
		{"empty", orgAdmin(), checkList(ginclerk.Feature("")), false},
		{"no features claim", orgAdminWith(func(a *ginclerk.Auth) { a.Features = nil }), checkList(ginclerk.Feature("invoices")), false},
		{"feature is not a plan", orgAdmin(), checkList(ginclerk.Plan("invoices")), false},
		{"org plan", orgAdmin(), checkList(ginclerk.Plan("org:team")), true},
		{"org plan, user scope", orgAdmin(), checkList(ginclerk.Plan("user:team")), false},
		{"user plan", orgAdmin(), checkList(ginclerk.Plan("pro")), true},
		{"user plan, org scope", orgAdmin(), checkList(ginclerk.Plan("org:pro")), false},
		{"missing plan", orgAdmin(), checkList(ginclerk.Plan("gold")), false},
		{"no plans claim", orgAdminWith(func(a *ginclerk.Auth) { a.Plans = nil }), checkList(ginclerk.Plan("pro")), false},
		{"feature and plan", orgAdmin(), checkList(ginclerk.Feature("beta"), ginclerk.Plan("org:team")), true},
	})
}

func TestHasReverification(t *testing.T) {
	t.Parallel()
	fva := func(first, second int) *ginclerk.Auth {
		return orgAdminWith(func(a *ginclerk.Auth) { a.FactorVerificationAge = &[2]int{first, second} })
	}
	after := ginclerk.ReverificationAfter
	runHas(t, []hasCase{
		// Presets: strict_mfa 10 min multi-factor, strict 10 min second
		// factor, moderate 60, lax 1440.
		{"strict, both fresh", fva(3, 9), checkList(ginclerk.Reverification(ginclerk.ReverifyStrict)), true},
		{"strict, second at the limit", fva(3, 10), checkList(ginclerk.Reverification(ginclerk.ReverifyStrict)), false},
		{"strict, stale first does not matter", fva(500, 9), checkList(ginclerk.Reverification(ginclerk.ReverifyStrict)), true},
		{"strict, no second factor: first decides", fva(9, -1), checkList(ginclerk.Reverification(ginclerk.ReverifyStrict)), true},
		{"strict, no second factor, stale first", fva(10, -1), checkList(ginclerk.Reverification(ginclerk.ReverifyStrict)), false},
		{"strict_mfa, both fresh", fva(9, 9), checkList(ginclerk.Reverification(ginclerk.ReverifyStrictMFA)), true},
		{"strict_mfa, stale first", fva(11, 9), checkList(ginclerk.Reverification(ginclerk.ReverifyStrictMFA)), false},
		{"strict_mfa, no second factor", fva(9, -1), checkList(ginclerk.Reverification(ginclerk.ReverifyStrictMFA)), true},
		{"strict_mfa, no first factor", fva(-1, 1), checkList(ginclerk.Reverification(ginclerk.ReverifyStrictMFA)), false},
		{"moderate", fva(0, 59), checkList(ginclerk.Reverification(ginclerk.ReverifyModerate)), true},
		{"moderate, stale", fva(0, 60), checkList(ginclerk.Reverification(ginclerk.ReverifyModerate)), false},
		{"lax", fva(0, 1439), checkList(ginclerk.Reverification(ginclerk.ReverifyLax)), true},
		{"lax, stale", fva(0, 1440), checkList(ginclerk.Reverification(ginclerk.ReverifyLax)), false},
		{"unknown preset", fva(0, 0), checkList(ginclerk.Reverification("paranoid")), false},
		{"preset given as a string constant", fva(0, 0), checkList(ginclerk.Reverification("strict")), true},
		// Custom level and age.
		{"first factor", fva(4, 500), checkList(after(5, ginclerk.FirstFactor)), true},
		{"first factor, stale", fva(5, 0), checkList(after(5, ginclerk.FirstFactor)), false},
		{"first factor not enabled", fva(-1, 0), checkList(after(5, ginclerk.FirstFactor)), false},
		{"second factor, no first", fva(-1, 4), checkList(after(5, ginclerk.SecondFactor)), true},
		{"multi factor", fva(4, 4), checkList(after(5, ginclerk.MultiFactor)), true},
		{"multi factor, stale second", fva(4, 5), checkList(after(5, ginclerk.MultiFactor)), false},
		{"zero minutes", fva(0, 0), checkList(after(0, ginclerk.FirstFactor)), false},
		{"negative minutes", fva(0, 0), checkList(after(-5, ginclerk.FirstFactor)), false},
		{"unknown level", fva(0, 0), checkList(after(5, "third_factor")), false},
		// fva that cannot be trusted.
		{"no fva", orgAdminWith(func(a *ginclerk.Auth) { a.FactorVerificationAge = nil }), checkList(ginclerk.Reverification(ginclerk.ReverifyLax)), false},
		{"no factor enabled", fva(-1, -1), checkList(ginclerk.Reverification(ginclerk.ReverifyLax)), false},
		{"age below -1", fva(-2, 0), checkList(ginclerk.Reverification(ginclerk.ReverifyLax)), false},
		{"second age below -1", fva(0, -7), checkList(after(5, ginclerk.FirstFactor)), false},
	})
}

func TestCheckString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		check ginclerk.Check
		want  string
	}{
		{ginclerk.Role("org:admin"), `role "org:admin"`},
		{ginclerk.Permission("org:a:b"), `permission "org:a:b"`},
		{ginclerk.Feature("x"), `feature "x"`},
		{ginclerk.Plan("org:pro"), `plan "org:pro"`},
		{ginclerk.Reverification(ginclerk.ReverifyStrict), "reverification strict"},
		{ginclerk.ReverificationAfter(15, ginclerk.MultiFactor), "reverification multi_factor within 15 minutes"},
		{ginclerk.ActiveOrg(), "active organization"},
		{ginclerk.AnyOf(ginclerk.Role("a"), ginclerk.Plan("b")), `any of (role "a", plan "b")`},
		{ginclerk.Check{}, "zero Check"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.check.String())
	}
}

// TestHasAllocations: authorization runs on every request; evaluating the
// checks allocates nothing.
func TestHasAllocations(t *testing.T) {
	// Not parallel: AllocsPerRun is skewed by other goroutines allocating.
	a := orgAdmin()
	rule := []ginclerk.Check{ginclerk.Role("admin"), ginclerk.Permission("invoices:manage"), ginclerk.Feature("org:invoices"),
		ginclerk.Plan("user:pro"), ginclerk.Reverification(ginclerk.ReverifyModerate),
		ginclerk.AnyOf(ginclerk.Role("org:owner"), ginclerk.ActiveOrg())}
	allocs := testing.AllocsPerRun(100, func() {
		if !a.Has(rule...) {
			t.Fatal("rule should pass")
		}
	})
	assert.Zero(t, allocs)
}
