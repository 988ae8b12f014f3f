package claims

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// names70 is a per list p0,p1,…,p69: masks wider than 64 bits occur.
var names70 = func() string {
	var b strings.Builder
	for i := range 70 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "p%d", i)
	}
	return b.String()
}()

func TestDecodeV2Organization(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		extra    string
		wantID   string
		wantSlug string
		wantRole string
		wantPerm []string // nil = absent
	}{
		{
			name:     "typical",
			extra:    v2(`{"id":"org_1","slg":"acme","rol":"admin","per":"read,manage","fpm":"3,1"}`, `"o:dashboard,u:profile,ou:billing"`),
			wantID:   "org_1",
			wantSlug: "acme",
			wantRole: "org:admin",
			wantPerm: []string{"org:dashboard:read", "org:dashboard:manage", "org:billing:read"},
		},
		{
			name:     "role already prefixed is prefixed again",
			extra:    v2(`{"id":"org_1","rol":"org:admin"}`, ""),
			wantID:   "org_1",
			wantRole: "org:org:admin",
			wantPerm: []string{},
		},
		{
			name:     "empty role gives no role",
			extra:    v2(`{"id":"org_1","rol":""}`, ""),
			wantID:   "org_1",
			wantPerm: []string{},
		},
		{
			name:     "escaped role",
			extra:    v2(`{"rol":"adm\u0069n"}`, ""),
			wantRole: "org:admin",
			wantPerm: []string{},
		},
		{
			name:     "feature name keeps the space after the colon",
			extra:    v2(`{"id":"org_1","per":"read","fpm":"1"}`, `"o: a"`),
			wantID:   "org_1",
			wantPerm: []string{"org: a:read"},
		},
		{
			name:     "mask wider than 64 bits",
			extra:    v2(`{"per":"`+names70+`","fpm":"590295810358705651713"}`, `"o:big"`), // 2^69 + 1
			wantPerm: []string{"org:big:p0", "org:big:p69"},
		},
		{
			name:     "bit 64 exactly",
			extra:    v2(`{"per":"`+names70+`","fpm":"18446744073709551616"}`, `"o:big"`), // 2^64
			wantPerm: []string{"org:big:p64"},
		},
		{
			name:     "long mask with leading zeros still fits 64 bits",
			extra:    v2(`{"per":"`+names70+`","fpm":"000000000000000000000000009"}`, `"o:big"`),
			wantPerm: []string{"org:big:p0", "org:big:p3"},
		},
		{
			name:     "leading zeros",
			extra:    v2(`{"per":"read,manage","fpm":"0003"}`, `"o:a"`),
			wantPerm: []string{"org:a:read", "org:a:manage"},
		},
		{
			name:     "non-digit mask gives that feature nothing",
			extra:    v2(`{"per":"read,manage","fpm":"12a,1"}`, `"o:a,o:b"`),
			wantPerm: []string{"org:b:read"},
		},
		{
			name:     "signed, exponent, empty and spaced masks",
			extra:    v2(`{"per":"read","fpm":"+1,-1,1e0,,1 1, 1 "}`, `"o:a,o:b,o:c,o:d,o:e,o:f"`),
			wantPerm: []string{"org:f:read"},
		},
		{
			name:     "zero mask",
			extra:    v2(`{"per":"read","fpm":"0"}`, `"o:a"`),
			wantPerm: []string{},
		},
		{
			name:     "zero masks walk no permissions",
			extra:    v2(`{"per":"`+names70+`","fpm":"0,00,1"}`, `"o:a,o:b,o:c"`),
			wantPerm: []string{"org:c:p0"},
		},
		{
			name:     "bits beyond per are ignored",
			extra:    v2(`{"per":"read","fpm":"7"}`, `"o:a"`),
			wantPerm: []string{"org:a:read"},
		},
		{
			name:     "fpm entries beyond the features are ignored",
			extra:    v2(`{"per":"read","fpm":"1,1,1"}`, `"o:a"`),
			wantPerm: []string{"org:a:read"},
		},
		{
			name:     "features beyond the fpm entries get nothing",
			extra:    v2(`{"per":"read","fpm":"1"}`, `"o:a,o:b"`),
			wantPerm: []string{"org:a:read"},
		},
		{
			name:     "only org-scoped features take fpm positions",
			extra:    v2(`{"per":"read,write","fpm":"1,2,3"}`, `"u:x,o:a,x:skipped,uo:b,u:y,ou:c"`),
			wantPerm: []string{"org:a:read", "org:b:write", "org:c:read", "org:c:write"},
		},
		{
			name:     "duplicates repeat",
			extra:    v2(`{"per":"read","fpm":"1,1"}`, `"o:a,o:a"`),
			wantPerm: []string{"org:a:read", "org:a:read"},
		},
		{
			name:     "blank permission names survive",
			extra:    v2(`{"per":"read,,manage","fpm":"7"}`, `"o:a"`),
			wantPerm: []string{"org:a:read", "org:a:", "org:a:manage"},
		},
		{
			name:     "per names and fpm entries are trimmed",
			extra:    v2(`{"per":" read , manage ","fpm":" 2 "}`, `"o:a"`),
			wantPerm: []string{"org:a:manage"},
		},
		{
			name:     "JavaScript trim: NBSP and BOM trimmed, NEL kept",
			extra:    v2(`{"per":"\u00a0read\ufeff,\u0085manage","fpm":"3"}`, `"o:a"`),
			wantPerm: []string{"org:a:read", "org:a:\u0085manage"},
		},
		{
			name:     "unescaped UTF-8 spaces trimmed too",
			extra:    v2("{\"per\":\"\u3000read\u2028\",\"fpm\":\"1\"}", `"o:a"`),
			wantPerm: []string{"org:a:read"},
		},
		{
			name:     "o without id still yields role and permissions",
			extra:    v2(`{"rol":"member","per":"read","fpm":"1"}`, `"o:a"`),
			wantRole: "org:member",
			wantPerm: []string{"org:a:read"},
		},
		{
			name:     "empty per gives an empty list",
			extra:    v2(`{"id":"org_1","per":"","fpm":"3"}`, `"o:a"`),
			wantID:   "org_1",
			wantPerm: []string{},
		},
		{
			name:     "empty fpm gives an empty list",
			extra:    v2(`{"id":"org_1","per":"read","fpm":""}`, `"o:a"`),
			wantID:   "org_1",
			wantPerm: []string{},
		},
		{
			name:     "absent per and fpm give an empty list",
			extra:    v2(`{"id":"org_1"}`, `"o:a"`),
			wantID:   "org_1",
			wantPerm: []string{},
		},
		{
			name:     "falsy per and fpm mean empty",
			extra:    v2(`{"id":"org_1","per":false,"fpm":0}`, `"o:a"`),
			wantID:   "org_1",
			wantPerm: []string{},
		},
		{
			name:     "no fea gives an empty list",
			extra:    v2(`{"id":"org_1","per":"read","fpm":"1"}`, ""),
			wantID:   "org_1",
			wantPerm: []string{},
		},
		{
			name:     "falsy fea means no features",
			extra:    v2(`{"id":"org_1","per":"read","fpm":"1"}`, `null`),
			wantID:   "org_1",
			wantPerm: []string{},
		},
		{
			name:     "org_* claims ignored under v2",
			extra:    v2(`{"id":"org_1","rol":"admin"}`, "") + `,"org_id":"org_v1","org_role":5,"org_permissions":"junk"`,
			wantID:   "org_1",
			wantRole: "org:admin",
			wantPerm: []string{},
		},
		{
			name:  "v2 without o has no organization",
			extra: v2("", `"o:a"`) + `,"org_id":"org_v1"`,
		},
		{
			name:  "v2 with null o has no organization",
			extra: v2(`null`, ""),
		},
		{
			name:  "v2 with false o has no organization",
			extra: v2(`false`, ""),
		},
		{
			name:     "v 2.0 is the number 2",
			extra:    `,"v":2.0,"o":{"rol":"admin"}`,
			wantRole: "org:admin",
			wantPerm: []string{},
		},
		{
			name:     "v 2e0 is the number 2",
			extra:    `,"v":2e0,"o":{"rol":"admin"}`,
			wantRole: "org:admin",
			wantPerm: []string{},
		},
		{
			name:     "unknown members of o are ignored",
			extra:    v2(`{"id":"org_1","x":[1,2],"per":"read","fpm":"1","nested":{"id":"no"}}`, `"o:a"`),
			wantID:   "org_1",
			wantPerm: []string{"org:a:read"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Decode(payload(t, tt.extra))
			require.NoError(t, err)
			assert.Equal(t, 2, c.Version)
			assert.Equal(t, tt.wantID, c.OrgID)
			assert.Equal(t, tt.wantSlug, c.OrgSlug)
			assert.Equal(t, tt.wantRole, c.OrgRole)
			if tt.wantPerm == nil {
				assert.Nil(t, c.OrgPermissions)
			} else {
				require.NotNil(t, c.OrgPermissions, "present organization: permissions must be non-nil")
				assert.Equal(t, tt.wantPerm, c.OrgPermissions)
			}
		})
	}
}

func TestDecodeV2Rejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		extra string
		want  string
	}{
		{"empty element", v2(`{"id":"org_1"}`, `"o:a,,u:b"`), `"fea": element 2 has no scope`},
		{"trailing comma", v2(`{"id":"org_1"}`, `"o:a,"`), `"fea": element 2 has no scope`},
		{"only commas", v2(`{"id":"org_1"}`, `",,"`), `"fea": element 1 has no scope`},
		{"element without colon", v2(`{"id":"org_1"}`, `"o:a,noscopeSECRET"`), `"fea": element 2 has no scope`},
		{"blank string fea", v2(`{"id":"org_1"}`, `" "`), `"fea": element 1 has no scope`},
		{"numeric fea", v2(`{"id":"org_1"}`, `1`), `"fea" must be a string`},
		{"true fea", v2(`{"id":"org_1"}`, `true`), `"fea" must be a string`},
		{"array fea", v2(`{"id":"org_1"}`, `["o:a"]`), `"fea" must be a string`},
		{"numeric per", v2(`{"per":5,"fpm":"1"}`, `"o:a"`), `"o.per" must be a string`},
		{"array per", v2(`{"per":["read"],"fpm":"1"}`, `"o:a"`), `"o.per" must be a string`},
		{"numeric fpm", v2(`{"per":"read","fpm":3}`, `"o:a"`), `"o.fpm" must be a string`},
		{"numeric fpm without per", v2(`{"fpm":3}`, `"o:a"`), `"o.fpm" must be a string`},
		{"string o", v2(`"org_1"`, ""), `"o" must be an object`},
		{"array o", v2(`["org_1"]`, ""), `"o" must be an object`},
		{"numeric o.id", v2(`{"id":1}`, ""), `"o.id" must be a string`},
		{"null o.slg", v2(`{"slg":null}`, ""), `"o.slg" must be a string`},
		{"numeric o.rol", v2(`{"rol":1}`, ""), `"o.rol" must be a string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Decode(payload(t, tt.extra))
			requireInvalid(t, err, tt.want)
			assert.Nil(t, c)
			assert.NotContains(t, err.Error(), "SECRET", "messages must not echo claim values")
		})
	}
}
