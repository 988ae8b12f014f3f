package verify

import (
	"math"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk/internal/claims"
	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/stretchr/testify/assert"
)

// TestCheckClaimsAtFractionalInstants: the whole-second claims are compared
// with instants that carry fractions of a second exactly as the time.Time
// rules state them — exp must be after now-skew, nbf and iat not after
// now+skew — and an exp too far ahead for time.Unix arithmetic is in the
// future, not (by overflow) in the past.
func TestCheckClaimsAtFractionalInstants(t *testing.T) {
	t.Parallel()
	const sec = int64(1_764_000_000)
	base := time.Unix(sec, 0)
	for _, skew := range []time.Duration{0, 5 * time.Second, 1500 * time.Millisecond} {
		v := New(Config{Skew: skew})
		for _, frac := range []time.Duration{0, 1, 500 * time.Millisecond, time.Second - 1} {
			now := base.Add(frac)
			for delta := int64(-8); delta <= 8; delta++ {
				claim := sec + delta
				want := ""
				switch {
				case !time.Unix(claim, 0).After(now.Add(-skew)):
					want = clerkerr.TokenExpired
				}
				assert.Equal(t, want, reasonOf(v.CheckClaimsAt(&claims.Claims{Expiry: claim}, now)), "exp %+d, now +%v, skew %v", delta, frac, skew)

				want = ""
				if time.Unix(claim, 0).After(now.Add(skew)) {
					want = clerkerr.TokenNotActiveYet
				}
				nbf := &claims.Claims{Expiry: math.MaxInt64, NotBefore: claim, HasNotBefore: true}
				assert.Equal(t, want, reasonOf(v.CheckClaimsAt(nbf, now)), "nbf %+d, now +%v, skew %v", delta, frac, skew)

				if want != "" {
					want = clerkerr.TokenIatInTheFuture
				}
				iat := &claims.Claims{Expiry: math.MaxInt64, IssuedAt: claim, HasIssuedAt: true}
				assert.Equal(t, want, reasonOf(v.CheckClaimsAt(iat, now)), "iat %+d, now +%v, skew %v", delta, frac, skew)
			}
		}
	}
}
