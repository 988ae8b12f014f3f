package ginclerktest_test

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk/ginclerktest"
)

func TestNewKey(t *testing.T) {
	t.Parallel()
	a, b := ginclerktest.NewKey(t), ginclerktest.NewKey(t)
	for _, k := range []*ginclerktest.Key{a, b} {
		assert.Equal(t, 2048, k.Private.N.BitLen())
		assert.Equal(t, 65537, k.Private.E)
		assert.True(t, strings.HasPrefix(k.KID, "ins_test_"), k.KID)
	}
	assert.NotEqual(t, a.KID, b.KID, "fresh keys have distinct KIDs")
	assert.False(t, a.Private.PublicKey.Equal(&b.Private.PublicKey), "fresh keys are distinct")
}

func TestSharedKey(t *testing.T) {
	t.Parallel()
	assert.Same(t, ginclerktest.SharedKey(t, 0), ginclerktest.DefaultKey(t))
	seen := map[string]bool{}
	for i, want := range []string{"ins_test_1", "ins_test_2", "ins_test_3"} {
		k := ginclerktest.SharedKey(t, i)
		assert.Same(t, k, ginclerktest.SharedKey(t, i), "generated once")
		assert.Equal(t, want, k.KID)
		assert.Equal(t, 2048, k.Private.N.BitLen())
		n := k.Private.N.String()
		assert.False(t, seen[n], "shared keys are distinct")
		seen[n] = true
	}
}

func TestSharedKeyOutOfRange(t *testing.T) {
	t.Parallel()
	for _, i := range []int{-1, 8} {
		msg := (&fatalTB{TB: t}).run(func(tb testing.TB) { ginclerktest.SharedKey(tb, i) })
		assert.Contains(t, msg, "out of range")
	}
}

func TestWithKID(t *testing.T) {
	t.Parallel()
	k := ginclerktest.DefaultKey(t)
	v := k.WithKID("ins_other")
	assert.Equal(t, "ins_other", v.KID)
	assert.Same(t, k.Private, v.Private)
	assert.Equal(t, "ins_test_1", k.KID, "the shared key is untouched")
}

func TestPublicKeyPEM(t *testing.T) {
	t.Parallel()
	k := ginclerktest.DefaultKey(t)
	block, rest := pem.Decode([]byte(k.PublicKeyPEM()))
	require.NotNil(t, block)
	assert.Empty(t, rest)
	assert.Equal(t, "PUBLIC KEY", block.Type)
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	require.NoError(t, err)
	assert.True(t, k.Private.PublicKey.Equal(pub))
}

func TestJWK(t *testing.T) {
	t.Parallel()
	k := ginclerktest.DefaultKey(t)
	raw := ginclerktest.JWKS(k)
	// Clerk's member order, and e for 65537.
	assert.Regexp(t, `^\{"keys":\[\{"use":"sig","kty":"RSA","kid":"ins_test_1","alg":"RS256","n":"[A-Za-z0-9_-]+","e":"AQAB"\}\]\}$`, string(raw))

	var set struct{ Keys []jwk }
	require.NoError(t, json.Unmarshal(raw, &set))
	require.Len(t, set.Keys, 1)
	n, err := base64.RawURLEncoding.DecodeString(set.Keys[0].N)
	require.NoError(t, err)
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: 65537}
	assert.True(t, k.Private.PublicKey.Equal(pub), "n round-trips")
}

func TestJWKS(t *testing.T) {
	t.Parallel()
	a, b := ginclerktest.SharedKey(t, 0), ginclerktest.SharedKey(t, 1)
	tests := []struct {
		name string
		keys []*ginclerktest.Key
		kids []string
	}{
		{"empty", nil, []string{}},
		{"one", []*ginclerktest.Key{a}, []string{"ins_test_1"}},
		{"two in order", []*ginclerktest.Key{b, a}, []string{"ins_test_2", "ins_test_1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var set struct {
				Keys []jwk `json:"keys"`
			}
			raw := ginclerktest.JWKS(tt.keys...)
			require.NoError(t, json.Unmarshal(raw, &set))
			require.NotNil(t, set.Keys, "always an array, never null: %s", raw)
			kids := []string{}
			for i, j := range set.Keys {
				kids = append(kids, j.KID)
				assert.Equal(t, tt.keys[i].PublicKeyPEM(), j.publicKeyPEM(t), "the key of the JWK")
			}
			assert.Equal(t, tt.kids, kids)
		})
	}
}

// jwk is a JWKS member as a client decodes it.
type jwk struct {
	Use, Kty, KID, Alg, N, E string
}

// publicKeyPEM rebuilds the public key the JWK describes.
func (j jwk) publicKeyPEM(t *testing.T) string {
	t.Helper()
	n, err := base64.RawURLEncoding.DecodeString(j.N)
	require.NoError(t, err)
	e, err := base64.RawURLEncoding.DecodeString(j.E)
	require.NoError(t, err)
	k := &ginclerktest.Key{Private: &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}}}
	return k.PublicKeyPEM()
}
