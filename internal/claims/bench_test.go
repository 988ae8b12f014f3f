package claims

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// typicalV2 is a realistic ~500-byte v2 session-token payload: an active
// organization with two org features, an impersonating actor and fva.
var typicalV2 = []byte(`{"azp":"https://dashboard.example.com","exp":1767225600,"fea":"o:dashboard,u:profile,ou:billing,o:reports",` +
	`"fva":[12,-1],"iat":1767225540,"iss":"https://clean-mole-12.clerk.accounts.dev","jti":"a1b2c3d4e5f6a7b8c9d0",` +
	`"nbf":1767225530,"o":{"fpm":"3,1,5","id":"org_2vYxRt8KpQmN3LzW4jHc6dFgB1a","per":"read,manage,export",` +
	`"rol":"admin","slg":"acme-inc"},"pla":"u:free,o:pro","sid":"sess_2vYxSa9LqRnO4MaX5kId7eGhC2b","sts":"active",` +
	`"act":{"sub":"user_2vYxTb0MrSoP5NbY6lJe8fHiD3c","iss":"https://dashboard.clerk.com"},` +
	`"sub":"user_2vYxUc1NsTpQ6OcZ7mKf9gIjE4d","v":2}`)

func TestTypicalV2(t *testing.T) {
	t.Parallel()
	c, err := Decode(typicalV2)
	require.NoError(t, err)
	assert.Equal(t, "org:admin", c.OrgRole)
	assert.Equal(t, []string{"org:dashboard:read", "org:dashboard:manage", "org:billing:read",
		"org:reports:read", "org:reports:export"}, c.OrgPermissions)
	assert.Equal(t, []Entitlement{{ScopeOrg, "dashboard"}, {ScopeUser, "profile"}, {ScopeBoth, "billing"}, {ScopeOrg, "reports"}}, c.Features)
	assert.Equal(t, []Entitlement{{ScopeUser, "free"}, {ScopeOrg, "pro"}}, c.Plans)
	assert.Equal(t, "user_2vYxTb0MrSoP5NbY6lJe8fHiD3c", c.ActorSubject)
	assert.Equal(t, [2]int{12, -1}, c.FVA)
}

// maxTypicalAllocs bounds the allocations of decoding typicalV2: the Claims
// struct, the payload's one string copy (every unescaped string claim is a
// substring of it), the role ("org:" + rol), the two entitlement slices, and
// the permissions (one shared buffer plus the slice).
const maxTypicalAllocs = 7

func TestDecodeAllocations(t *testing.T) {
	// Not parallel: AllocsPerRun is skewed by other goroutines allocating.
	if testing.Short() {
		t.Skip("allocation count is checked in full runs")
	}
	allocs := testing.AllocsPerRun(200, func() {
		if _, err := Decode(typicalV2); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("Decode of a %d-byte v2 payload: %.0f allocations", len(typicalV2), allocs)
	assert.LessOrEqual(t, allocs, float64(maxTypicalAllocs))
}

func BenchmarkDecode(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(typicalV2)))
	for b.Loop() {
		if _, err := Decode(typicalV2); err != nil {
			b.Fatal(err)
		}
	}
}
