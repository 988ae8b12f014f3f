package claims

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeV1Organization(t *testing.T) {
	t.Parallel()
	const org = `,"org_id":"org_1","org_role":"org:admin","org_slug":"acme","org_permissions":["org:a:read","x"]`
	tests := []struct {
		name     string
		extra    string
		wantID   string
		wantRole string
		wantSlug string
		wantPerm []string // nil = absent
	}{
		{"no v", org, "org_1", "org:admin", "acme", []string{"org:a:read", "x"}},
		{"v 1", `,"v":1` + org, "org_1", "org:admin", "acme", []string{"org:a:read", "x"}},
		{"v string 2 is not v2", `,"v":"2","o":{"id":"org_v2","rol":"admin","per":"read","fpm":"1"},"fea":"o:a"` + org,
			"org_1", "org:admin", "acme", []string{"org:a:read", "x"}},
		{"v 3", `,"v":3,"o":{"id":"org_v2"}` + org, "org_1", "org:admin", "acme", []string{"org:a:read", "x"}},
		{"v 2.5", `,"v":2.5,"o":{"id":"org_v2"}` + org, "org_1", "org:admin", "acme", []string{"org:a:read", "x"}},
		{"v null", `,"v":null` + org, "org_1", "org:admin", "acme", []string{"org:a:read", "x"}},
		{"o ignored even when malformed", `,"o":"junk"` + org, "org_1", "org:admin", "acme", []string{"org:a:read", "x"}},
		{"empty permissions present", `,"org_id":"org_1","org_permissions":[]`, "org_1", "", "", []string{}},
		{"no organization", ``, "", "", "", nil},
		{"escaped strings", `,"org_id":"org_\u0031","org_permissions":["org:a:r\u0065ad"]`, "org_1", "", "", []string{"org:a:read"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Decode(payload(t, tt.extra))
			require.NoError(t, err)
			assert.Equal(t, 1, c.Version)
			assert.Equal(t, tt.wantID, c.OrgID)
			assert.Equal(t, tt.wantRole, c.OrgRole)
			assert.Equal(t, tt.wantSlug, c.OrgSlug)
			if tt.wantPerm == nil {
				assert.Nil(t, c.OrgPermissions)
			} else {
				require.NotNil(t, c.OrgPermissions)
				assert.Equal(t, tt.wantPerm, c.OrgPermissions)
			}
		})
	}
}

func TestDecodeV1Rejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		extra string
		want  string
	}{
		{"numeric org_id", `,"org_id":1`, `"org_id" must be a string`},
		{"null org_role", `,"org_role":null`, `"org_role" must be a string`},
		{"array org_slug", `,"org_slug":[]`, `"org_slug" must be a string`},
		{"string org_permissions", `,"org_permissions":"org:a:read"`, `"org_permissions" must be an array of strings`},
		{"mixed org_permissions", `,"org_permissions":["org:a:read",1]`, `"org_permissions" must be an array of strings`},
		{"null in org_permissions", `,"org_permissions":[null]`, `"org_permissions" must be an array of strings`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Decode(payload(t, tt.extra))
			requireInvalid(t, err, tt.want)
		})
	}
}
