package ginclerktest

import (
	"encoding/base64"
	"encoding/json"
	"math/big"
)

// jwk is one key of a JSON Web Key Set in Clerk's wire format. Its JSON
// member order matches what Clerk's Backend API sends:
// {"use":"sig","kty":"RSA","kid":…,"alg":"RS256","n":…,"e":"AQAB"}.
type jwk struct {
	Use string `json:"use"` // always "sig"
	Kty string `json:"kty"` // always "RSA"
	KID string `json:"kid"` // the Key's KID
	Alg string `json:"alg"` // always "RS256"
	N   string `json:"n"`   // modulus, unpadded base64url, big-endian
	E   string `json:"e"`   // exponent, likewise: "AQAB" for 65537
}

// jwk returns k's public key as Clerk serves it from GET /v1/jwks.
func (k *Key) jwk() jwk {
	enc := base64.RawURLEncoding
	return jwk{
		Use: "sig",
		Kty: "RSA",
		KID: k.KID,
		Alg: "RS256",
		N:   enc.EncodeToString(k.Private.N.Bytes()),
		E:   enc.EncodeToString(big.NewInt(int64(k.Private.E)).Bytes()),
	}
}

// JWKS returns the JSON body Clerk's Backend API answers GET /v1/jwks with:
// {"keys":[…]} holding keys in order. With no keys it is {"keys":[]}.
func JWKS(keys ...*Key) []byte {
	set := struct {
		Keys []jwk `json:"keys"`
	}{Keys: make([]jwk, 0, len(keys))}
	for _, k := range keys {
		set.Keys = append(set.Keys, k.jwk())
	}
	b, err := json.Marshal(set)
	if err != nil {
		panic("ginclerktest: marshalling a JWKS: " + err.Error()) // strings only: cannot happen
	}
	return b
}
