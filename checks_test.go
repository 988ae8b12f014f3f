package ginclerk_test

import (
	"testing"
	"time"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
)

// TestClaimChecks pins the claim checks (sub, exp, nbf, iat, azp) at their
// boundaries, with the default 5 s skew and the fixed test clock.
func TestClaimChecks(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	plain := pemClerk(t, key)
	parties := pemClerk(t, key, ginclerk.WithAuthorizedParties("https://app.example.com", "http://localhost:3000"))
	noSkew := pemClerk(t, key, ginclerk.WithClockSkew(0))
	sec := time.Second
	tests := []struct {
		name   string
		ck     *ginclerk.Clerk
		claims []ginclerktest.Claim
		reason string
	}{
		{"valid", plain, nil, ""},
		{"exp just inside the skew", plain, []ginclerktest.Claim{ginclerktest.ExpiresIn(-4 * sec)}, ""},
		{"exp exactly at now-skew", plain, []ginclerktest.Claim{ginclerktest.ExpiresIn(-5 * sec)}, ginclerk.ReasonSessionTokenExpired},
		{"exp at now without skew", noSkew, []ginclerktest.Claim{ginclerktest.ExpiresIn(0)}, ginclerk.ReasonSessionTokenExpired},
		{"exp missing", plain, []ginclerktest.Claim{ginclerktest.Without("exp")}, ginclerk.ReasonTokenVerificationFailed},
		{"exp as a numeric string", plain, []ginclerktest.Claim{ginclerktest.Set("exp", "9999999999")}, ginclerk.ReasonTokenVerificationFailed},
		{"nbf within the skew", plain, []ginclerktest.Claim{ginclerktest.NotBefore(testNow.Add(5 * sec))}, ""},
		{"nbf beyond the skew", plain, []ginclerktest.Claim{ginclerktest.NotBefore(testNow.Add(6 * sec))}, ginclerk.ReasonSessionTokenNBF},
		{"nbf absent", plain, []ginclerktest.Claim{ginclerktest.Without("nbf")}, ""},
		{"iat beyond the skew", plain, []ginclerktest.Claim{ginclerktest.IssuedAt(testNow.Add(6 * sec))}, ginclerk.ReasonSessionTokenIatInTheFuture},
		{"iat absent", plain, []ginclerktest.Claim{ginclerktest.Without("iat")}, ""},
		{"sub missing", plain, []ginclerktest.Claim{ginclerktest.Without("sub")}, ginclerk.ReasonTokenVerificationFailed},
		{"sub empty", plain, []ginclerktest.Claim{ginclerktest.Subject("")}, ginclerk.ReasonTokenInvalid},
		{"azp listed", parties, []ginclerktest.Claim{ginclerktest.AuthorizedParty("https://app.example.com")}, ""},
		{"azp not listed", parties, []ginclerktest.Claim{ginclerktest.AuthorizedParty("https://evil.example")}, ginclerk.ReasonTokenInvalidAuthorizedParties},
		{"azp missing with a list", parties, []ginclerktest.Claim{ginclerktest.Without("azp")}, ginclerk.ReasonTokenInvalidAuthorizedParties},
		{"azp missing without a list", plain, []ginclerktest.Claim{ginclerktest.Without("azp")}, ""},
		{"no sid: a JWT template", plain, []ginclerktest.Claim{ginclerktest.Without("sid")}, ginclerk.ReasonTokenTypeMismatch},
		{"template category", plain, []ginclerktest.Claim{ginclerktest.Header("cat", "cl_B7d4PD222AAA")}, ginclerk.ReasonTokenTypeMismatch},
		{"M2M category", plain, []ginclerktest.Claim{ginclerktest.Header("cat", "cl_B7d4PD333AAA")}, ginclerk.ReasonTokenTypeMismatch},
		{"ignore category", plain, []ginclerktest.Claim{ginclerktest.Header("cat", "cl_I7d4PD111III")}, ""},
		{"no category", plain, []ginclerktest.Claim{ginclerktest.WithoutHeader("cat")}, ""},
		{"machine subject", plain, []ginclerktest.Claim{ginclerktest.Subject("mch_123")}, ginclerk.ReasonTokenTypeMismatch},
		{"typ absent", plain, []ginclerktest.Claim{ginclerktest.WithoutHeader("typ")}, ""},
		{"typ at+jwt", plain, []ginclerktest.Claim{ginclerktest.Header("typ", "at+jwt")}, ginclerk.ReasonTokenTypeMismatch},
		{"typ lower-case jwt", plain, []ginclerktest.Claim{ginclerktest.Header("typ", "jwt")}, ginclerk.ReasonTokenInvalid},
		{"alg HS256", plain, []ginclerktest.Claim{ginclerktest.Header("alg", "HS256")}, ginclerk.ReasonTokenInvalidAlgorithm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s seen
			do(router(&s, tt.ck.WithAuth()), get(mint(t, key, tt.claims...)))
			assert.Equal(t, tt.reason, s.auth.Reason, s.auth.Message)
			assert.Equal(t, tt.reason == "", s.auth.IsSignedIn())
		})
	}
}

// TestSignatureBeforeClaims: a token signed by another key under the
// configured kid is refused for its signature, whatever its claims, so a
// forger learns nothing about them.
func TestSignatureBeforeClaims(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	forger := ginclerktest.SharedKey(t, 1).WithKID(key.KID)
	ck := pemClerk(t, key)
	tests := []struct {
		name   string
		claims []ginclerktest.Claim
	}{
		{"valid claims", nil},
		{"expired", []ginclerktest.Claim{ginclerktest.ExpiresIn(-time.Hour)}},
		{"no sid", []ginclerktest.Claim{ginclerktest.Without("sid")}},
		{"exp missing", []ginclerktest.Claim{ginclerktest.Without("exp")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s seen
			do(router(&s, ck.WithAuth()), get(mint(t, forger, tt.claims...)))
			assert.Equal(t, ginclerk.ReasonTokenInvalidSignature, s.auth.Reason)
		})
	}
}
