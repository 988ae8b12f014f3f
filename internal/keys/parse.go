package keys

import (
	"crypto/rsa"
	"errors"
	"fmt"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

// maxKidLen bounds a kid both in a JWKS and in a token header: Clerk's kids
// are ~30 bytes, and an attacker-chosen kid is never worth hashing at length.
const maxKidLen = 256

// parseJWKS turns a JWKS document into the lookup table the hot path reads.
// Only keys that can verify an RS256 session are kept: kty RSA, use "sig" or
// absent, alg RS256 or absent, a kid, 2048–16384 bits. Other keys are skipped
// rather than fatal, so that Clerk publishing a new key type one day does not
// take every verification down; an empty result is an error.
func parseJWKS(body []byte) (map[string]*rsa.PublicKey, int, *clerkerr.Error) {
	// WithIgnoreParseError: a single key jwx cannot parse (an unknown kty or
	// curve) is dropped instead of failing the whole set; syntax errors in the
	// document itself still fail.
	set, err := jwk.Parse(body, jwk.WithIgnoreParseError(true))
	if err != nil {
		return nil, 0, clerkerr.Wrap(clerkerr.JWKRemoteFailedToLoad, err,
			"could not load Clerk's signing keys: invalid JWKS response")
	}
	keys := make(map[string]*rsa.PublicKey, set.Len())
	skipped := 0
	for i := range set.Len() {
		k, _ := set.Key(i)
		kid, pub, err := usableKey(k)
		if err != nil && k != nil {
			kid = k.KeyID()
		}
		// Two keys under one kid: the last one listed wins, as in Clerk JS,
		// whose key cache assigns each key in turn. An unusable last key
		// takes its kid down with it rather than resurrecting a key Clerk
		// would no longer use.
		if _, dup := keys[kid]; dup {
			delete(keys, kid)
			skipped++
		}
		if err != nil {
			skipped++
			continue
		}
		keys[kid] = pub
	}
	if len(keys) == 0 {
		return nil, skipped, clerkerr.Wrap(clerkerr.JWKRemoteFailedToLoad,
			fmt.Errorf("JWKS has no usable keys (%d skipped)", skipped),
			"could not load Clerk's signing keys: no usable RS256 signing key in the JWKS")
	}
	return keys, skipped, nil
}

var errUnusable = errors.New("unusable key")

// usableKey returns kid and the RSA public key of k, or errUnusable.
func usableKey(k jwk.Key) (string, *rsa.PublicKey, error) {
	if k == nil || k.KeyType() != jwa.RSA {
		return "", nil, errUnusable
	}
	if use := k.KeyUsage(); use != "" && use != string(jwk.ForSignature) {
		return "", nil, errUnusable
	}
	if alg := k.Algorithm().String(); alg != "" && alg != jwa.RS256.String() {
		return "", nil, errUnusable
	}
	kid := k.KeyID()
	if kid == "" || len(kid) > maxKidLen {
		return "", nil, errUnusable
	}
	// PublicKey also strips private parts if Clerk ever published them by
	// mistake: we only ever need to verify.
	pk, err := k.PublicKey()
	if err != nil {
		return "", nil, errUnusable
	}
	pub := new(rsa.PublicKey)
	if err := pk.Raw(pub); err != nil || checkRSA(pub) != nil {
		return "", nil, errUnusable
	}
	return kid, pub, nil
}
