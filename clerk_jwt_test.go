package ginclerk_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
)

// Ports of @clerk/backend's src/jwt/__tests__/assertions.test.ts and
// verifyJwt.test.ts, as session tokens through VerifyToken (which reports
// the verifier's reasons, as Clerk's verifyJwt does). Options Clerk
// has and an API session middleware does not (audience, custom header types,
// an issuer function) are not ported: they belong to machine tokens.

// TestClerkJWTAssertions ports assertions.test.ts: one row per expectation.
func TestClerkJWTAssertions(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	now := testNow.Unix()
	noSkew, skew6 := ginclerk.WithClockSkew(0), ginclerk.WithClockSkew(6*time.Second)
	skew1ms := ginclerk.WithClockSkew(time.Millisecond)
	parties := func(p ...string) ginclerk.Option { return ginclerk.WithAuthorizedParties(p...) }
	const (
		invalid, alg = ginclerk.ReasonTokenInvalid, ginclerk.ReasonTokenInvalidAlgorithm
		expired      = ginclerk.ReasonTokenExpired
		early        = ginclerk.ReasonTokenNotActiveYet
		future       = ginclerk.ReasonTokenIatInTheFuture
	)
	tests := []struct {
		name   string // Clerk's describe: it
		claims []ginclerktest.Claim
		opts   []ginclerk.Option
		reason string
	}{
		{"assertHeaderType: does not throw error if type is missing and allowed types are not configured", []ginclerktest.Claim{ginclerktest.WithoutHeader("typ")}, nil, ""},
		{"assertHeaderType: does not throw error if type matches default allowed type (JWT)", nil, nil, ""},
		{"assertHeaderType: throws error if type is not JWT (default): empty", []ginclerktest.Claim{ginclerktest.Header("typ", "")}, nil, invalid},
		{"assertHeaderType: throws error if type is not JWT (default): Aloha", []ginclerktest.Claim{ginclerktest.Header("typ", "Aloha")}, nil, invalid},

		{"assertHeaderAlgorithm: does not throw if algorithm is supported: RS256", nil, nil, ""},
		{"assertHeaderAlgorithm: RS384 (deliberate: RS256 only)", []ginclerktest.Claim{ginclerktest.Header("alg", "RS384")}, nil, alg},
		{"assertHeaderAlgorithm: RS512 (deliberate: RS256 only)", []ginclerktest.Claim{ginclerktest.Header("alg", "RS512")}, nil, alg},
		{"assertHeaderAlgorithm: throws error if algorithm is missing", []ginclerktest.Claim{ginclerktest.Header("alg", "")}, nil, alg},
		{"assertHeaderAlgorithm: throws error if algorithm is not supported: ES256", []ginclerktest.Claim{ginclerktest.Header("alg", "ES256")}, nil, alg},
		{"assertHeaderAlgorithm: throws error if algorithm is not supported: ES384", []ginclerktest.Claim{ginclerktest.Header("alg", "ES384")}, nil, alg},
		{"assertHeaderAlgorithm: throws error if algorithm is not supported: ES512", []ginclerktest.Claim{ginclerktest.Header("alg", "ES512")}, nil, alg},
		{"assertHeaderAlgorithm: throws error if algorithm is not supported: PS512", []ginclerktest.Claim{ginclerktest.Header("alg", "PS512")}, nil, alg},
		{"assertHeaderAlgorithm: throws error if algorithm is not supported: Aloha", []ginclerktest.Claim{ginclerktest.Header("alg", "Aloha")}, nil, alg},

		{"assertSubClaim: does not throw if sub exists: empty (deliberate: an empty sub is token-invalid)", []ginclerktest.Claim{ginclerktest.Subject("")}, nil, invalid},
		{"assertSubClaim: throws error if sub is missing", []ginclerktest.Claim{ginclerktest.Without("sub")}, nil, ginclerk.ReasonTokenVerificationFailed},

		{"assertAuthorizedPartiesClaim: does not throw if azp missing", []ginclerktest.Claim{ginclerktest.Without("azp")}, nil, ""},
		{"assertAuthorizedPartiesClaim: does not throw if azp empty", []ginclerktest.Claim{ginclerktest.AuthorizedParty("")}, nil, ""},
		{"assertAuthorizedPartiesClaim: does not throw if authorizedParties missing or empty", []ginclerktest.Claim{ginclerktest.AuthorizedParty("azp")}, []ginclerk.Option{parties()}, ""},
		{"assertAuthorizedPartiesClaim: throws error if azp is not included in authorizedParties", []ginclerktest.Claim{ginclerktest.AuthorizedParty("azp")}, []ginclerk.Option{parties("azp-1")}, ginclerk.ReasonTokenInvalidAuthorizedParties},
		{"assertAuthorizedPartiesClaim: does not throw if azp is included in authorizedParties", []ginclerktest.Claim{ginclerktest.AuthorizedParty("azp")}, []ginclerk.Option{parties("azp")}, ""},

		{"assertExpirationClaim: throws err if exp is in the past", []ginclerktest.Claim{ginclerktest.Set("exp", now-5)}, []ginclerk.Option{noSkew}, expired},
		{"assertExpirationClaim: does not throw error if exp is in the past but less than clock skew", []ginclerktest.Claim{ginclerktest.Set("exp", now-5)}, []ginclerk.Option{skew6}, ""},
		{"assertExpirationClaim: throws err if exp is in now", []ginclerktest.Claim{ginclerktest.Set("exp", now)}, []ginclerk.Option{noSkew}, expired},
		{"assertExpirationClaim: does not throw error if exp is now but there is clock skew", []ginclerktest.Claim{ginclerktest.Set("exp", now)}, []ginclerk.Option{ginclerk.WithClockSkew(time.Second)}, ""},
		{"assertExpirationClaim: does not throw error if exp is in the future", []ginclerktest.Claim{ginclerktest.Set("exp", now+5)}, []ginclerk.Option{noSkew}, ""},
		{"assertExpirationClaim: does not throw error if exp is in the future, with skew", []ginclerktest.Claim{ginclerktest.Set("exp", now+5)}, []ginclerk.Option{skew6}, ""},

		{"assertActivationClaim: does not throw error if nbf is undefined", []ginclerktest.Claim{ginclerktest.Without("nbf")}, []ginclerk.Option{noSkew}, ""},
		{"assertActivationClaim: does not throw error if nbf is in the past", []ginclerktest.Claim{ginclerktest.Set("nbf", now-5)}, []ginclerk.Option{noSkew}, ""},
		{"assertActivationClaim: does not throw err if nbf is in the past but less than clock skew", []ginclerktest.Claim{ginclerktest.Set("nbf", now-5)}, []ginclerk.Option{skew6}, ""},
		{"assertActivationClaim: does not throw error if nbf is now", []ginclerktest.Claim{ginclerktest.Set("nbf", now)}, []ginclerk.Option{noSkew}, ""},
		{"assertActivationClaim: does not throw error if nbf is now and there is clock skew", []ginclerktest.Claim{ginclerktest.Set("nbf", now)}, []ginclerk.Option{skew1ms}, ""},
		{"assertActivationClaim: throws error if nbf is in the future", []ginclerktest.Claim{ginclerktest.Set("nbf", now+5)}, []ginclerk.Option{noSkew}, early},
		{"assertActivationClaim: does not throw error if nbf is in the future but less than clock skew", []ginclerktest.Claim{ginclerktest.Set("nbf", now+5)}, []ginclerk.Option{skew6}, ""},

		{"assertIssuedAtClaim: does not throw error if iat is undefined", []ginclerktest.Claim{ginclerktest.Without("iat")}, []ginclerk.Option{noSkew}, ""},
		{"assertIssuedAtClaim: does not throw error if iat is in the past", []ginclerktest.Claim{ginclerktest.Set("iat", now-5)}, []ginclerk.Option{noSkew}, ""},
		{"assertIssuedAtClaim: does not throw err if iat is in the past but less than clock skew", []ginclerktest.Claim{ginclerktest.Set("iat", now-5)}, []ginclerk.Option{skew6}, ""},
		{"assertIssuedAtClaim: does not throw error if iat is now", []ginclerktest.Claim{ginclerktest.Set("iat", now)}, []ginclerk.Option{noSkew}, ""},
		{"assertIssuedAtClaim: does not throw error if iat is now and there is clock skew", []ginclerktest.Claim{ginclerktest.Set("iat", now)}, []ginclerk.Option{skew1ms}, ""},
		{"assertIssuedAtClaim: throws error if iat is in the future", []ginclerktest.Claim{ginclerktest.Set("iat", now+5)}, []ginclerk.Option{noSkew}, future},
		{"assertIssuedAtClaim: does not throw error if iat is in the future but less than clock skew", []ginclerktest.Claim{ginclerktest.Set("iat", now+5)}, []ginclerk.Option{skew6}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ck := pemClerk(t, key, tt.opts...)
			auth, _ := ck.VerifyToken(context.Background(), mint(t, key, tt.claims...))
			assert.Equal(t, tt.reason, auth.Reason)
		})
	}
}

// TestClerkAssertAuthorizedPartiesEmptyParty: Clerk's
// assertAuthorizedPartiesClaim('azp', [”]) refuses the token; ginclerk
// refuses the configuration (deliberate: an empty party matches no origin).
func TestClerkAssertAuthorizedPartiesEmptyParty(t *testing.T) {
	t.Parallel()
	_, err := ginclerk.New(append(ginclerktest.DefaultKey(t).Options(), ginclerk.WithAuthorizedParties(""))...)
	require.Error(t, err)
}

// TestClerkVerifyJWT ports verifyJwt.test.ts's decodeJwt and verifyJwt
// cases with Clerk's fixtures, through VerifyToken, which reports the
// verifier's reasons as Clerk's verifyJwt does.
func TestClerkVerifyJWT(t *testing.T) {
	t.Parallel()
	srv := fxServer(t)
	keys := func(o ...ginclerk.Option) []ginclerk.Option { return append(srv.Options(), o...) }
	azp := ginclerk.WithAuthorizedParties("https://accounts.inspired.puma-74.lcl.dev")
	oauth := fxToken(`{"alg":"RS256","kid":"`+fxKid+`","typ":"at+jwt"}`, `{"sub":"user_2vYVtestTESTtestTESTtestTESTtest","exp":1666648310,"iat":1666648250}`)
	oauthApp := fxToken(`{"alg":"RS256","kid":"`+fxKid+`","typ":"application/at+jwt"}`, `{"sub":"user_2vYVtestTESTtestTESTtestTESTtest","exp":1666648310,"iat":1666648250}`)
	tests := []struct {
		name   string
		token  string
		opts   []ginclerk.Option
		reason string
	}{
		{"decodeJwt: returns an error if null is given as jwt", "null", keys(), ginclerk.ReasonTokenInvalid},
		{"decodeJwt: returns an error if undefined is given as jwt", "undefined", keys(), ginclerk.ReasonTokenInvalid},
		{"decodeJwt: returns an error if empty string is given as jwt (an API: no token)", "", keys(), ginclerk.ReasonSessionTokenAndUATMissing},
		{"decodeJwt: throws an error if invalid string is given as jwt", "whatever", keys(), ginclerk.ReasonTokenInvalid},
		{"decodeJwt: throws an error if number is given as jwt", "42", keys(), ginclerk.ReasonTokenInvalid},
		{"decodeJwt: returns an error if the token segments are not valid base64url", "aaa.bbb.ccc", keys(), ginclerk.ReasonTokenInvalid},
		{"decodeJwt: returns an error if the token segments do not decode to JSON", "YWJj.YWJj.YWJj", keys(), ginclerk.ReasonTokenInvalid},
		{"verifyJwt: returns the valid JWT payload if valid key & issuer & azp is given", fxMockJwt, keys(ginclerk.WithPublishableKey(fxPKTest), azp), ""},
		{"verifyJwt: returns the reason of the failure when verifications fail", "invalid-jwt", keys(ginclerk.WithPublishableKey(fxPKTest), azp), ginclerk.ReasonTokenInvalid},
		{"verifyJwt: verifies JWT with default headerType (JWT)", fxMockJwt, keys(azp), ""},
		{"verifyJwt: an OAuth JWT (at+jwt) is not a session", oauth, keys(azp), ginclerk.ReasonTokenTypeMismatch},
		{"verifyJwt: an OAuth JWT (application/at+jwt) is not a session", oauthApp, keys(azp), ginclerk.ReasonTokenTypeMismatch},
		{"verifyJwt: rejects an expired JWT when clockSkewInMs is explicitly 0", fxMockJwt, keys(ginclerk.WithClock(fxAt(fxExp-fxIat+1)), ginclerk.WithClockSkew(0)), ginclerk.ReasonTokenExpired},
		{"verifyJwt: accepts a recently expired JWT within the default clock skew", fxMockJwt, keys(ginclerk.WithClock(fxAt(fxExp - fxIat + 1))), ""},
		{"verifyJwt: default clock skew: expired 60 s after exp", fxMockJwt, keys(ginclerk.WithClock(fxAt(fxExp - fxIat + 60))), ginclerk.ReasonTokenExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			auth, _ := fxClerk(t, tt.opts...).VerifyToken(context.Background(), tt.token)
			assert.Equal(t, tt.reason, auth.Reason)
		})
	}
}

// TestClerkImportKey ports cryptoKeys.test.ts for the one key a session
// middleware imports: the PEM public key (CLERK_JWT_KEY).
func TestClerkImportKey(t *testing.T) {
	t.Parallel()
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	require.NoError(t, err)
	privatePEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	tests := []struct {
		name, key string
		ok        bool
	}{
		{"imports a pkcs8 formatted secret for verification (pemEncodedPublicKey)", fxPemEncodedPublicKey, true},
		{"mockPEMKey: the same without its PEM armour", fxMockPEMKey, true},
		{"throws an error if the key is a string and not pem formatted", "not a key", false},
		{"throws an error if a private key is imported for verification", privatePEM, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ck, err := ginclerk.New(ginclerk.WithJWTKey(tt.key), quiet())
			if !tt.ok {
				require.Error(t, err)
				assert.NotContains(t, err.Error(), "PRIVATE", "the key is never echoed")
				return
			}
			require.NoError(t, err)
			require.NoError(t, ck.Close())
		})
	}
}
