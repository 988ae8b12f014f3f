package keys

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParsePEM(t *testing.T) {
	t.Parallel()
	ks := testKeys(t)
	pub := &ks.rsa[0].PublicKey

	pkix, err := x509.MarshalPKIXPublicKey(pub)
	require.NoError(t, err)
	pkcs1 := x509.MarshalPKCS1PublicKey(pub)
	shortDER, err := x509.MarshalPKIXPublicKey(&ks.short.PublicKey)
	require.NoError(t, err)
	ecDER, err := x509.MarshalPKIXPublicKey(&ks.ec.PublicKey)
	require.NoError(t, err)
	privDER := x509.MarshalPKCS1PrivateKey(ks.rsa[0])

	block := func(typ string, der []byte) string {
		return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
	}
	b64 := base64.StdEncoding.EncodeToString(pkix)
	pemPKIX := block("PUBLIC KEY", pkix)

	ok := []struct{ name, in string }{
		{"pkix pem", pemPKIX},
		{"pkcs1 pem", block("RSA PUBLIC KEY", pkcs1)},
		{"crlf line endings", strings.ReplaceAll(pemPKIX, "\n", "\r\n")},
		{"surrounding whitespace", "\n\t " + pemPKIX + "\n\n"},
		{"env form literal \\n", strings.ReplaceAll(strings.TrimSpace(pemPKIX), "\n", `\n`)},
		{"env form quoted", `"` + strings.ReplaceAll(strings.TrimSpace(pemPKIX), "\n", `\n`) + `"`},
		{"one line with armour", "-----BEGIN PUBLIC KEY----- " + b64 + " -----END PUBLIC KEY-----"},
		{"body only one line", b64},
		{"body only wrapped", strings.Join(strings.Split(strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(pemPKIX, "-----BEGIN PUBLIC KEY-----"), "-----END PUBLIC KEY-----\n")), "\n"), "\n")},
		{"body only without padding", strings.TrimRight(b64, "=")},
		{"pkcs1 body only", base64.StdEncoding.EncodeToString(pkcs1)},
	}
	for _, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParsePEM(tc.in)
			require.NoError(t, err)
			assert.True(t, got.Equal(pub), "parsed a different key")
		})
	}

	bad := []struct{ name, in, want string }{
		{"empty", "  ", "empty"},
		{"short rsa key", block("PUBLIC KEY", shortDER), "1024 bits"},
		{"ec key", block("PUBLIC KEY", ecDER), "not an RSA key"},
		{"ec key body only", base64.StdEncoding.EncodeToString(ecDER), "not an RSA key"},
		{"garbage", "this is not a key!", "not base64"},
		{"garbage that is valid base64", "helloworld", "not a PKIX or PKCS#1"},
		{"base64 of garbage", base64.StdEncoding.EncodeToString([]byte("not a key at all")), "not a PKIX or PKCS#1"},
		{"private key", block("RSA PRIVATE KEY", privDER), "private key"},
		{"secret key pasted", "sk_live_ABCDEFsecret", "Clerk API key"},
		{"certificate", block("CERTIFICATE", pkix), "unsupported PEM type"},
		{"mismatched end", "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END RSA PUBLIC KEY-----", "does not match"},
		{"missing end", "-----BEGIN PUBLIC KEY-----\n" + b64, "missing -----END"},
		{"two blocks", pemPKIX + pemPKIX, "after the -----END"},
		{"text before block", "key: " + pemPKIX, "before the -----BEGIN"},
		{"armour but empty", "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----", "no key data"},
		{"encrypted headers", "-----BEGIN PUBLIC KEY-----\nProc-Type: 4,ENCRYPTED\n\n" + b64 + "\n-----END PUBLIC KEY-----", "PEM headers"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParsePEM(tc.in)
			require.Error(t, err)
			assert.Nil(t, got)
			assert.True(t, errors.Is(err, ErrInvalidPEM))
			assert.Contains(t, err.Error(), tc.want)
			if len(strings.TrimSpace(tc.in)) > 8 {
				assert.NotContains(t, err.Error(), strings.TrimSpace(tc.in), "error must not quote the input")
			}
		})
	}
}

// TestStatic is not parallel: testing.AllocsPerRun refuses parallel tests.
func TestStatic(t *testing.T) {
	pub := &testKeys(t).rsa[0].PublicKey
	src := Static(pub)
	for _, kid := range []string{"", "ins_whatever", strings.Repeat("x", 10000)} {
		got, err := src.Key(context.Background(), kid)
		require.NoError(t, err)
		assert.Same(t, pub, got, "a PEM source ignores kid")
	}
	allocs := testing.AllocsPerRun(100, func() { _, _ = src.Key(context.Background(), "k") })
	assert.Zero(t, allocs)
	assert.Panics(t, func() { Static(nil) })
}
