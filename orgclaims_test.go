package ginclerk_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// orgWant is the organization part of the Auth a token decodes to.
type orgWant struct {
	id, role, slug string
	perms          []string // nil: absent; []string{}: present but none
}

// TestOrgClaimsDecoded sends v1 and v2 tokens through WithAuth and checks
// the exact organization the handler sees — each rule
// of Clerk's jwtPayloadParser, odd input included.
func TestOrgClaimsDecoded(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	org := ginclerktest.Org
	perms := ginclerktest.OrgPermissions
	fea := ginclerktest.Features
	set := ginclerktest.Set
	per66 := make([]string, 66)
	for i := range per66 {
		per66[i] = "p" + strconv.Itoa(i)
	}
	tests := []struct {
		name   string
		claims []ginclerktest.Claim
		want   orgWant
		reason string // non-empty: the token is refused with it
	}{
		{"no organization", nil, orgWant{}, ""},
		{"v2 example", []ginclerktest.Claim{org("org_1", "acme", "admin"), fea("o:invoices,u:beta"), perms("read,manage", "3")},
			orgWant{"org_1", "org:admin", "acme", []string{"org:invoices:read", "org:invoices:manage"}}, ""},
		{"fpm counts org-scoped features only", []ginclerktest.Claim{org("org_1", "acme", "member"),
			fea("u:beta,o:a,ou:b,uo:c,x:skipped,o:d"), perms("read,manage", "1,2,3,2")},
			orgWant{"org_1", "org:member", "acme", []string{"org:a:read", "org:b:manage", "org:c:read", "org:c:manage", "org:d:manage"}}, ""},
		{"rol already prefixed is prefixed again", []ginclerktest.Claim{org("org_1", "", "org:admin")},
			orgWant{"org_1", "org:org:admin", "", []string{}}, ""},
		{"empty rol gives no role", []ginclerktest.Claim{set("o", map[string]any{"id": "org_1", "rol": ""})},
			orgWant{"org_1", "", "", []string{}}, ""},
		{"o without id keeps role and permissions", []ginclerktest.Claim{org("", "", "admin"), fea("o:a"), perms("read", "1")},
			orgWant{"", "org:admin", "", []string{"org:a:read"}}, ""},
		{"per empty", []ginclerktest.Claim{org("org_1", "", "admin"), fea("o:a"), perms("", "1")},
			orgWant{"org_1", "org:admin", "", []string{}}, ""},
		{"fpm empty", []ginclerktest.Claim{org("org_1", "", "admin"), fea("o:a"), perms("read", "")},
			orgWant{"org_1", "org:admin", "", []string{}}, ""},
		{"elements trimmed as a whole", []ginclerktest.Claim{org("org_1", "", "admin"), fea(" o:a , o: b"), perms(" read , manage ", " 3 , 1 ")},
			orgWant{"org_1", "org:admin", "", []string{"org:a:read", "org:a:manage", "org: b:read"}}, ""},
		{"non-digit mask gives that feature nothing", []ginclerktest.Claim{org("org_1", "", "admin"), fea("o:a,o:b,o:c"), perms("read", "1,x,1")},
			orgWant{"org_1", "org:admin", "", []string{"org:a:read", "org:c:read"}}, ""},
		{"signed mask gives nothing", []ginclerktest.Claim{org("org_1", "", "admin"), fea("o:a"), perms("read", "-1")},
			orgWant{"org_1", "org:admin", "", []string{}}, ""},
		{"leading zeros", []ginclerktest.Claim{org("org_1", "", "admin"), fea("o:a"), perms("read,manage", "003")},
			orgWant{"org_1", "org:admin", "", []string{"org:a:read", "org:a:manage"}}, ""},
		{"mask beyond 64 bits", []ginclerktest.Claim{org("org_1", "", "admin"), fea("o:a"), perms(strings.Join(per66, ","), "36893488147419103232")},
			orgWant{"org_1", "org:admin", "", []string{"org:a:p65"}}, ""},
		{"bits beyond per ignored", []ginclerktest.Claim{org("org_1", "", "admin"), fea("o:a"), perms("read", "6")},
			orgWant{"org_1", "org:admin", "", []string{}}, ""},
		{"duplicates repeat", []ginclerktest.Claim{org("org_1", "", "admin"), fea("o:a"), perms("read,read", "3")},
			orgWant{"org_1", "org:admin", "", []string{"org:a:read", "org:a:read"}}, ""},
		{"blank permission names survive", []ginclerktest.Claim{org("org_1", "", "admin"), fea("o:a"), perms("read,,manage", "7")},
			orgWant{"org_1", "org:admin", "", []string{"org:a:read", "org:a:", "org:a:manage"}}, ""},
		{"more masks than features", []ginclerktest.Claim{org("org_1", "", "admin"), fea("o:a"), perms("read", "1,1,1")},
			orgWant{"org_1", "org:admin", "", []string{"org:a:read"}}, ""},
		{"v2 ignores org_* claims", []ginclerktest.Claim{ginclerktest.OrgV1("org_v1", "v1", "org:admin", "org:x:y"), ginclerktest.Version(2)},
			orgWant{}, ""},
		{"v as a string uses v1 rules", []ginclerktest.Claim{ginclerktest.OrgV1("org_v1", "v1", "org:admin", "org:x:y"), set("v", "2"),
			org("org_2", "v2", "member")},
			orgWant{"org_v1", "org:admin", "v1", []string{"org:x:y"}}, ""},
		{"v 3 uses v1 rules", []ginclerktest.Claim{ginclerktest.OrgV1("org_v1", "v1", "org:admin"), ginclerktest.Version(3), org("org_2", "v2", "member")},
			orgWant{"org_v1", "org:admin", "v1", []string{}}, ""},
		{"v1 example", []ginclerktest.Claim{ginclerktest.OrgV1("org_1", "acme", "org:billing", "org:invoices:read", "org:invoices:manage")},
			orgWant{"org_1", "org:billing", "acme", []string{"org:invoices:read", "org:invoices:manage"}}, ""},
		{"v1 without permissions claim", []ginclerktest.Claim{ginclerktest.Without("v"), set("org_id", "org_1"), set("org_role", "org:admin")},
			orgWant{"org_1", "org:admin", "", nil}, ""},
		{"fea element without scope", []ginclerktest.Claim{org("org_1", "", "admin"), fea("o:a,b"), perms("read", "1")},
			orgWant{}, ginclerk.ReasonTokenInvalid},
		{"fea trailing comma", []ginclerktest.Claim{org("org_1", "", "admin"), fea("o:a,")}, orgWant{}, ginclerk.ReasonTokenInvalid},
		{"fea not a string", []ginclerktest.Claim{org("org_1", "", "admin"), set("fea", 42)}, orgWant{}, ginclerk.ReasonTokenInvalid},
		{"per not a string", []ginclerktest.Claim{set("o", map[string]any{"id": "org_1", "per": []string{"read"}, "fpm": "1"}), fea("o:a")},
			orgWant{}, ginclerk.ReasonTokenInvalid},
		{"fpm not a string", []ginclerktest.Claim{set("o", map[string]any{"id": "org_1", "per": "read", "fpm": 1}), fea("o:a")},
			orgWant{}, ginclerk.ReasonTokenInvalid},
		{"o not an object", []ginclerktest.Claim{set("o", "org_1")}, orgWant{}, ginclerk.ReasonTokenInvalid},
		{"malformed fea without o is not read for permissions", []ginclerktest.Claim{fea("o:a,b")}, orgWant{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s seen
			w := do(router(&s, ck.WithAuth()), get(mint(t, key, tt.claims...)))
			require.Equal(t, 200, w.Code)
			a := s.auth
			if tt.reason != "" {
				assert.False(t, a.IsSignedIn())
				assert.Equal(t, tt.reason, a.Reason)
				assert.Empty(t, a.OrgID)
				assert.Nil(t, a.OrgPermissions, "a refused token yields no partial Auth")
				return
			}
			require.True(t, a.IsSignedIn(), "reason %q: %s", a.Reason, a.Message)
			assert.Equal(t, tt.want.id, a.OrgID, "OrgID")
			assert.Equal(t, tt.want.role, a.OrgRole, "OrgRole")
			assert.Equal(t, tt.want.slug, a.OrgSlug, "OrgSlug")
			if tt.want.perms == nil {
				assert.Nil(t, a.OrgPermissions)
			} else {
				require.NotNil(t, a.OrgPermissions, "present but empty must not be nil")
				assert.Equal(t, tt.want.perms, a.OrgPermissions)
			}
		})
	}
}

// TestSessionClaimsDecoded pins the rest of the auth object: status,
// actor, fva, features, plans and the raw claims and token.
func TestSessionClaimsDecoded(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	tok := mint(t, key,
		ginclerktest.Actor("user_admin", map[string]any{"iss": "https://dashboard.clerk.com"}),
		ginclerktest.FVA(7, -1),
		ginclerktest.Features("u:beta,ou:export,zz:dropped"),
		ginclerktest.Plans("u:free,o:team"),
		ginclerktest.Set("tier", "gold"))
	var s seen
	do(router(&s, ck.WithAuth()), get(tok))
	a := s.auth
	require.True(t, a.IsSignedIn(), a.Message)
	assert.Equal(t, ginclerktest.DefaultUserID, a.UserID)
	assert.Equal(t, ginclerktest.DefaultSessionID, a.SessionID)
	assert.Equal(t, "active", a.SessionStatus)
	require.NotNil(t, a.Actor)
	assert.Equal(t, "user_admin", a.Actor.Subject)
	assert.JSONEq(t, `{"sub":"user_admin","iss":"https://dashboard.clerk.com"}`, a.Actor.Claims)
	require.NotNil(t, a.FactorVerificationAge)
	assert.Equal(t, [2]int{7, -1}, *a.FactorVerificationAge)
	assert.Equal(t, []ginclerk.Entitlement{{Scope: ginclerk.EntitlementUser, Name: "beta"}, {Scope: ginclerk.EntitlementBoth, Name: "export"}}, a.Features)
	assert.Equal(t, []ginclerk.Entitlement{{Scope: ginclerk.EntitlementUser, Name: "free"}, {Scope: ginclerk.EntitlementOrg, Name: "team"}}, a.Plans)
	assert.Equal(t, tok, a.Token)
	var raw map[string]any
	require.NoError(t, json.Unmarshal([]byte(a.Claims), &raw))
	assert.Equal(t, "gold", raw["tier"])
	assert.Same(t, a, s.ctxAuth, "the context carries the same Auth")

	do(router(&s, ck.WithAuth()), get(mint(t, key, ginclerktest.Without("fva", "act"))))
	assert.Nil(t, s.auth.FactorVerificationAge, "no fva claim: nil, not [0 0]")
	assert.Nil(t, s.auth.Actor)
}

// TestHasThroughTokens evaluates Has on Auths decoded from real v1 and v2
// tokens, so the decoder and Has agree on names and prefixes.
func TestHasThroughTokens(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	v2 := []ginclerktest.Claim{ginclerktest.Org("org_1", "acme", "admin"), ginclerktest.Features("o:invoices,u:beta"),
		ginclerktest.OrgPermissions("read,manage", "1"), ginclerktest.Plans("o:team"), ginclerktest.FVA(2, 5)}
	v1 := []ginclerktest.Claim{ginclerktest.OrgV1("org_1", "acme", "org:admin", "org:invoices:read")}
	tests := []struct {
		name   string
		claims []ginclerktest.Claim
		check  ginclerk.Check
		want   bool
	}{
		{"v2 role", v2, ginclerk.Role("org:admin"), true},
		{"v2 role unprefixed", v2, ginclerk.Role("admin"), true},
		{"v2 permission", v2, ginclerk.Permission("org:invoices:read"), true},
		{"v2 permission not granted by the mask", v2, ginclerk.Permission("org:invoices:manage"), false},
		{"v2 org feature", v2, ginclerk.Feature("org:invoices"), true},
		{"v2 user feature", v2, ginclerk.Feature("user:beta"), true},
		{"v2 org plan", v2, ginclerk.Plan("team"), true},
		{"v2 strict reverification", v2, ginclerk.Reverification(ginclerk.ReverifyStrict), true},
		{"v2 default fva [0,-1] is fresh", nil, ginclerk.Reverification(ginclerk.ReverifyStrictMFA), true},
		{"v2 without fva", []ginclerktest.Claim{ginclerktest.Without("fva")}, ginclerk.Reverification(ginclerk.ReverifyLax), false},
		{"v1 role", v1, ginclerk.Role("admin"), true},
		{"v1 permission", v1, ginclerk.Permission("invoices:read"), true},
		{"v1 other permission", v1, ginclerk.Permission("invoices:manage"), false},
		{"v1 no features", v1, ginclerk.Feature("invoices"), false},
		{"no org: role", nil, ginclerk.Role("org:admin"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s seen
			do(router(&s, ck.WithAuth()), get(mint(t, key, tt.claims...)))
			require.True(t, s.auth.IsSignedIn(), s.auth.Message)
			assert.Equal(t, tt.want, s.auth.Has(tt.check))
		})
	}
}

// FuzzOrgClaims mints v2 tokens with arbitrary fea, pla, per, fpm and rol
// and checks that the middleware never panics, refuses only with
// token-invalid, and that what it decodes is consistent with Has.
func FuzzOrgClaims(f *testing.F) {
	f.Add("o:a,u:b,ou:c", "u:pro", "read,manage", "3,1", "admin", "org:a:read")
	f.Add("o:a,,o:b", "", "read", "1", "", "a")
	f.Add(" o: a ", "x:y", "read,,manage", "00007, 9", "org:admin", "org:org:admin")
	f.Add("o:a", "o:", "", "18446744073709551617", "member", "user:b")
	f.Add("uo:a:b", "u:a,b", "r", "-1,1e3", "a,b", "")
	key := ginclerktest.DefaultKey(f)
	ck, err := ginclerk.New(append(key.Options(), ginclerk.WithClock(fixedClock), quiet())...)
	require.NoError(f, err)
	f.Cleanup(func() { _ = ck.Close() })
	mw := ck.WithAuth()
	f.Fuzz(func(t *testing.T, fea, pla, per, fpm, rol, query string) {
		tok := key.Mint(t, ginclerktest.At(testNow), ginclerktest.Org("org_1", "", rol), ginclerktest.Features(fea),
			ginclerktest.Plans(pla), ginclerktest.OrgPermissions(per, fpm))
		var s seen
		do(router(&s, mw), get(tok))
		a := s.auth
		if !a.IsSignedIn() {
			require.Equal(t, ginclerk.ReasonTokenInvalid, a.Reason, a.Message)
			require.False(t, a.Has(ginclerk.Feature(query)))
			return
		}
		require.NotNil(t, a.OrgPermissions)
		for _, p := range a.OrgPermissions {
			require.True(t, strings.HasPrefix(p, "org:"), p)
			// Clerk strips every leading "org:" from the asked name, so a
			// permission of a feature called "org" cannot be asked for.
			if rest := p[len("org:"):]; rest != "" && !strings.HasPrefix(rest, "org:") {
				require.True(t, a.Has(ginclerk.Permission(p)), "granted %q but Has says no", p)
			}
		}
		if rol != "" && utf8.ValidString(rol) { // JSON encoding replaces invalid UTF-8
			require.Equal(t, "org:"+rol, a.OrgRole)
		}
		for _, e := range a.Features {
			if e.Name != "" && !strings.Contains(e.Name, ":") {
				require.True(t, a.Has(ginclerk.Feature(e.Name)), "feature %q", e.Name)
			}
		}
		_ = a.Has(ginclerk.Feature(query), ginclerk.Plan(query), ginclerk.Role(query), ginclerk.Permission(query))
	})
}
