package benchkit

import (
	"time"

	"github.com/ginclerk/ginclerk/ginclerktest"
)

// SessionClaims shape a realistic Clerk v2 session token, minted at now and
// valid for lifetime: an active organization with permissions, features,
// plans and fva — about 500 bytes of payload. The issuer is on
// clerk.accounts.dev because clerk-sdk-go accepts no other.
func SessionClaims(now time.Time, lifetime time.Duration) []ginclerktest.Claim {
	return []ginclerktest.Claim{
		ginclerktest.At(now),
		ginclerktest.ExpiresIn(lifetime),
		ginclerktest.Subject("user_2vYxUc1NsTpQ6OcZ7mKf9gIjE4d"),
		ginclerktest.SessionID("sess_2vYxSa9LqRnO4MaX5kId7eGhC2b"),
		ginclerktest.Issuer("https://clean-mole-12.clerk.accounts.dev"),
		ginclerktest.AuthorizedParty("https://dashboard.example.com"),
		ginclerktest.Org("org_2vYxRt8KpQmN3LzW4jHc6dFgB1a", "acme-inc", "admin"),
		ginclerktest.OrgPermissions("read,manage,export", "3,1,5"),
		ginclerktest.Features("o:dashboard,u:profile,ou:billing,o:reports"),
		ginclerktest.Plans("u:free,o:pro"),
		ginclerktest.FVA(12, -1),
		ginclerktest.Set("jti", "a1b2c3d4e5f6a7b8c9d0"),
	}
}
