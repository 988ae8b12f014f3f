package ginclerktest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"testing"

	"github.com/ginclerk/ginclerk"
)

// keyBits is the size of the RSA keys NewKey generates, the size Clerk's
// instance keys have.
const keyBits = 2048

// Key is an RSA signing key standing in for a Clerk instance's key pair.
// Fields are exported so tests can wrap keys they made themselves (for
// example a too-small key); keys handed out by DefaultKey and SharedKey are
// shared across tests and must not be modified — use WithKID for a variant.
type Key struct {
	// Private signs the tokens; its public half is what ginclerk verifies with.
	Private *rsa.PrivateKey
	// KID is the key ID: the "kid" of minted token headers and of the JWK
	// the fake Backend API serves. Clerk's look like "ins_2abc…".
	KID string
}

// NewKey generates a fresh RSA-2048 key with a random KID "ins_test_<hex>".
// Generation takes a noticeable fraction of a second (more under -race), so
// prefer DefaultKey or SharedKey unless a test needs a key no other test
// has seen.
func NewKey(t testing.TB) *Key {
	t.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		t.Fatalf("ginclerktest: generating an RSA key: %v", err)
	}
	return &Key{Private: priv, KID: "ins_test_" + randomHex(8)}
}

// WithKID returns a copy of k with another KID and the same RSA key, for
// kid-mismatch and rotation tests that should not pay for key generation.
func (k *Key) WithKID(kid string) *Key {
	return &Key{Private: k.Private, KID: kid}
}

// PublicKeyPEM returns the public key as a PKIX "PUBLIC KEY" PEM block, the
// form the Clerk Dashboard shows as "JWT public key" (CLERK_JWT_KEY).
func (k *Key) PublicKeyPEM() string {
	der, err := x509.MarshalPKIXPublicKey(&k.Private.PublicKey)
	if err != nil {
		// Only possible for a malformed key that a test built by hand.
		panic(fmt.Sprintf("ginclerktest: marshalling the public key: %v", err))
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// Options returns the ginclerk options that make a Clerk instance verify
// tokens networklessly with k, and with nothing the environment says:
// WithJWTKey(k.PublicKeyPEM()) and WithoutEnvironment().
func (k *Key) Options() []ginclerk.Option {
	return []ginclerk.Option{ginclerk.WithJWTKey(k.PublicKeyPEM()), ginclerk.WithoutEnvironment()}
}

// Sign returns the compact JWS header.payload.signature, where header and
// payload are used verbatim (base64url-encoded, unpadded) and the signature
// is RS256 over them. It is the primitive behind Mint, exported for attack
// tests that need a correctly signed token around hand-crafted bytes:
// duplicate members, invalid JSON, odd headers.
func (k *Key) Sign(header, payload []byte) string {
	enc := base64.RawURLEncoding
	signingInput := enc.EncodeToString(header) + "." + enc.EncodeToString(payload)
	sum := sha256.Sum256([]byte(signingInput))
	sig, err := rsa.SignPKCS1v15(nil, k.Private, crypto.SHA256, sum[:])
	if err != nil {
		panic(fmt.Sprintf("ginclerktest: signing: %v", err))
	}
	return signingInput + "." + enc.EncodeToString(sig)
}

// randomHex returns 2n random hex digits.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails.
	return hex.EncodeToString(b)
}
