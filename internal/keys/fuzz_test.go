package keys

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/jsonx"
)

// fuzzMaxTime bounds one parse under the fuzzer.
const fuzzMaxTime = time.Second

// fuzzKeys makes the keys the seeds are built from. They are generated
// here rather than shared with the other tests, so the fuzz targets do not
// depend on helpers that may change.
func fuzzKeys(f *testing.F) (rsa2048 *rsa.PrivateKey, rsa1024 *rsa.PrivateKey, ec *ecdsa.PrivateKey) {
	var err error
	if rsa2048, err = rsa.GenerateKey(rand.Reader, 2048); err == nil {
		if rsa1024, err = rsa.GenerateKey(rand.Reader, 1024); err == nil {
			ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		}
	}
	if err != nil {
		f.Fatal(err)
	}
	return rsa2048, rsa1024, ec
}

// FuzzParsePEM: no panic, bounded time, every error wraps ErrInvalidPEM and
// never quotes its input (a secret key pasted into CLERK_JWT_KEY must not
// reach a log), and every accepted key is an RSA key within the size and
// exponent bounds that round-trips through a standard PEM.
func FuzzParsePEM(f *testing.F) {
	k, short, ec := fuzzKeys(f)
	pkix, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	pkcs1 := x509.MarshalPKCS1PublicKey(&k.PublicKey)
	ecDER, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	shortDER, _ := x509.MarshalPKIXPublicKey(&short.PublicKey)
	block := func(label string, der []byte) string {
		return string(pem.EncodeToMemory(&pem.Block{Type: label, Bytes: der}))
	}
	body := base64.StdEncoding.EncodeToString(pkix)
	for _, seed := range []string{
		block("PUBLIC KEY", pkix),
		block("RSA PUBLIC KEY", pkcs1),
		body,
		strings.TrimRight(body, "="),
		"-----BEGIN PUBLIC KEY-----" + body + "-----END PUBLIC KEY-----",
		strings.ReplaceAll(block("PUBLIC KEY", pkix), "\n", `\n`),
		`"` + block("PUBLIC KEY", pkix) + `"`,
		block("PUBLIC KEY", ecDER),
		block("PUBLIC KEY", shortDER),
		block("PRIVATE KEY", pkix),
		block("PUBLIC KEY", pkix) + block("PUBLIC KEY", pkix),
		"-----BEGIN PUBLIC KEY-----\nProc-Type: 4,ENCRYPTED\n\n" + body + "\n-----END PUBLIC KEY-----",
		"sk_test_0123456789abcdef0123456789abcdef",
		"-----BEGIN PUBLIC KEY-----",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start := time.Now()
		pub, err := ParsePEM(s)
		if took := time.Since(start); took > fuzzMaxTime {
			t.Fatalf("ParsePEM took %v", took)
		}
		if err != nil {
			if pub != nil {
				t.Fatal("a key with an error")
			}
			if !errors.Is(err, ErrInvalidPEM) {
				t.Fatalf("error does not wrap ErrInvalidPEM: %v", err)
			}
			if len(s) >= 32 && strings.Contains(err.Error(), s) {
				t.Fatal("the error quotes its input")
			}
			return
		}
		checkKey(t, pub)
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParsePEM(string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})))
		if err != nil || !again.Equal(pub) {
			t.Fatalf("accepted key does not round-trip: %v", err)
		}
	})
}

// FuzzParseJWKS: no panic (jwx parses hostile bodies), bounded time, every
// failure is jwk-remote-failed-to-load, and every accepted key passes the
// filter (RSA, sig, RS256, kid bounded, 2048–16384 bits) and — when the
// body is strict JSON — is the key encoding/json reads under that kid.
func FuzzParseJWKS(f *testing.F) {
	k, short, ec := fuzzKeys(f)
	b64 := base64.RawURLEncoding
	rsaJWK := func(kid string, pub *rsa.PublicKey) map[string]any {
		return map[string]any{"use": "sig", "kty": "RSA", "kid": kid, "alg": "RS256",
			"n": b64.EncodeToString(pub.N.Bytes()), "e": b64.EncodeToString(big.NewInt(int64(pub.E)).Bytes())}
	}
	body := func(keys ...map[string]any) []byte {
		b, _ := json.Marshal(map[string]any{"keys": keys})
		return b
	}
	good := rsaJWK("ins_1", &k.PublicKey)
	point, err := ec.PublicKey.Bytes() // 0x04 || X || Y
	if err != nil {
		f.Fatal(err)
	}
	with := func(name string, v any) map[string]any {
		m := map[string]any{}
		for key, val := range good {
			m[key] = val
		}
		if v == nil {
			delete(m, name)
		} else {
			m[name] = v
		}
		return m
	}
	for _, seed := range [][]byte{
		body(good),
		body(good, rsaJWK("ins_2", &short.PublicKey)),
		body(good, good),
		body(with("use", "enc")),
		body(with("alg", "RS512")),
		body(with("kid", nil)),
		body(with("kid", strings.Repeat("k", 300))),
		body(with("e", "AQAB"+"AA")),
		body(with("n", "AA"+good["n"].(string))),
		body(map[string]any{"kty": "EC", "crv": "P-256", "kid": "ec",
			"x": b64.EncodeToString(point[1:33]), "y": b64.EncodeToString(point[33:])}),
		body(map[string]any{"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"}),
		body(),
		[]byte(`{"keys":null}`),
		[]byte(`{"keys":[{}]}`),
		[]byte(`{}`),
		[]byte(`[]`),
		[]byte(`<html>502</html>`),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		keys, skipped, cerr := parseJWKS(data)
		if took := time.Since(start); took > fuzzMaxTime {
			t.Fatalf("parseJWKS took %v", took)
		}
		if skipped < 0 {
			t.Fatalf("skipped %d", skipped)
		}
		if cerr != nil {
			if cerr.Reason != clerkerr.JWKRemoteFailedToLoad || keys != nil {
				t.Fatalf("failure %q with %d keys", cerr.Reason, len(keys))
			}
			return
		}
		if len(keys) == 0 {
			t.Fatal("success without keys")
		}
		for kid, pub := range keys {
			if kid == "" || len(kid) > maxKidLen {
				t.Fatalf("kid of %d bytes", len(kid))
			}
			checkKey(t, pub)
		}
		if jsonx.Validate(data, 64) == nil {
			crossCheckJWKS(t, data, keys)
		}
	})
}

// crossCheckJWKS reads a strict-JSON body with encoding/json and checks that
// each accepted key is the first RSA key listed under its kid.
func crossCheckJWKS(t *testing.T, data []byte, keys map[string]*rsa.PublicKey) {
	t.Helper()
	var set struct {
		Keys []struct {
			Kid, Kty, N, Use, Alg string
		} `json:"keys"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return // a member of another type: jwx and encoding/json disagree on typing, not on keys
	}
	for kid, pub := range keys {
		found := false
		for _, k := range set.Keys {
			if k.Kid != kid || k.Kty != "RSA" {
				continue
			}
			n, err := decodeAnyBase64(k.N)
			if err == nil && new(big.Int).SetBytes(n).Cmp(pub.N) == 0 {
				found = true
				break
			}
		}
		if !found {
			t.Fatalf("key %q is not what encoding/json reads under that kid", kid)
		}
	}
}

func decodeAnyBase64(s string) ([]byte, error) {
	var err error
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.StdEncoding} {
		var b []byte
		if b, err = enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, err
}

// checkKey asserts the bounds every key this package hands out must meet.
func checkKey(t *testing.T, pub *rsa.PublicKey) {
	t.Helper()
	if pub == nil || pub.N == nil {
		t.Fatal("nil key accepted")
	}
	if bits := pub.N.BitLen(); bits < minRSABits || bits > maxRSABits {
		t.Fatalf("accepted a %d-bit key", bits)
	}
	if pub.E < 3 || pub.E%2 == 0 {
		t.Fatalf("accepted exponent %d", pub.E)
	}
}
