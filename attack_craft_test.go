package ginclerk_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	_ "crypto/sha512" // registers crypto.SHA384 for RS384 forgeries
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/require"
)

// Hand-crafted tokens for the attack table: everything ginclerktest.Mint
// cannot express (raw JSON bytes, other algorithms, odd encodings), built
// from the same defaults so that each row differs from a valid token in
// exactly one way.

var b64url = base64.RawURLEncoding

// craftHeader returns the JSON of a valid session-token header for kid with
// members overridden by over: a raw JSON value replaces (or adds) a member,
// "" deletes it. Members are sorted, as in Clerk's tokens.
func craftHeader(kid string, over map[string]string) string {
	return craftObject(map[string]string{
		"alg": `"RS256"`, "cat": `"cl_B7d4PD111AAA"`, "kid": strconv.Quote(kid), "typ": `"JWT"`,
	}, over)
}

// craftPayload returns the JSON of session claims valid at testNow, with
// members overridden as craftHeader does.
func craftPayload(over map[string]string) string {
	unix := func(d time.Duration) string { return strconv.FormatInt(testNow.Add(d).Unix(), 10) }
	return craftObject(map[string]string{
		"exp": unix(time.Minute), "iat": unix(0), "nbf": unix(-10 * time.Second),
		"sid": `"sess_test_1"`, "sts": `"active"`, "sub": strconv.Quote(ginclerktest.DefaultUserID), "v": "2",
	}, over)
}

func craftObject(base, over map[string]string) string {
	for name, raw := range over {
		if raw == "" {
			delete(base, name)
		} else {
			base[name] = raw
		}
	}
	names := make([]string, 0, len(base))
	for name := range base {
		names = append(names, name)
	}
	slices.Sort(names)
	var b strings.Builder
	b.WriteByte('{')
	for i, name := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(name) + ":" + base[name])
	}
	b.WriteByte('}')
	return b.String()
}

// signRS256 signs an arbitrary signing input (already encoded, possibly
// non-canonically) and returns the whole token: the signature is valid, so
// only the encoding can be what a verifier rejects.
func signRS256(k *ginclerktest.Key, input string) string {
	return input + "." + b64url.EncodeToString(rsaSign(k, crypto.SHA256, input))
}

func rsaSign(k *ginclerktest.Key, h crypto.Hash, input string) []byte {
	d := h.New()
	d.Write([]byte(input))
	sig, err := rsa.SignPKCS1v15(nil, k.Private, h, d.Sum(nil))
	if err != nil {
		panic(err)
	}
	return sig
}

// signInput is the signing input of a raw header and payload.
func signInput(header, payload string) string {
	return b64url.EncodeToString([]byte(header)) + "." + b64url.EncodeToString([]byte(payload))
}

// withAlg returns a token whose header says alg and whose signature is
// computed with sign, the way an attacker who controls alg would.
func withAlg(alg, payload string, sign func(input string) []byte) string {
	input := signInput(craftHeader("ins_test_1", map[string]string{"alg": strconv.Quote(alg)}), payload)
	return input + "." + b64url.EncodeToString(sign(input))
}

func hs256(secret []byte) func(string) []byte {
	return func(input string) []byte {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(input))
		return m.Sum(nil)
	}
}

func ps256(k *ginclerktest.Key) func(string) []byte {
	return func(input string) []byte {
		d := sha256.Sum256([]byte(input))
		sig, err := rsa.SignPSS(rand.Reader, k.Private, crypto.SHA256, d[:], nil)
		if err != nil {
			panic(err)
		}
		return sig
	}
}

func rs384(k *ginclerktest.Key) func(string) []byte {
	return func(input string) []byte { return rsaSign(k, crypto.SHA384, input) }
}

func es256(t *testing.T) func(string) []byte {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return func(input string) []byte {
		d := sha256.Sum256([]byte(input))
		r, s, err := ecdsa.Sign(rand.Reader, priv, d[:])
		if err != nil {
			panic(err)
		}
		return append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	}
}

// selfSignedX5C returns a base64 (standard, as RFC 7515 §4.1.6 says) DER
// certificate for the attacker's key, for the x5c header.
func selfSignedX5C(t *testing.T, k *ginclerktest.Key) string {
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "clerk.example.test"},
		NotBefore:    testNow.Add(-time.Hour),
		NotAfter:     testNow.Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.Private.PublicKey, k.Private)
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(der)
}

// nonCanonical returns seg (unpadded base64url) with its unused trailing
// bits set: a lenient decoder yields the same bytes, a strict one refuses.
func nonCanonical(t *testing.T, seg string) string {
	t.Helper()
	unused := map[int]int{2: 4, 3: 2}[len(seg)%4]
	require.NotZero(t, unused, "segment length %d has no unused bits", len(seg))
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := strings.IndexByte(alphabet, seg[len(seg)-1])
	return seg[:len(seg)-1] + string(alphabet[i|1])
}

// spacedTo pads a JSON object with spaces before its closing brace until its
// base64 encoding has unused trailing bits.
func spacedTo(obj string) string {
	for len(b64url.EncodeToString([]byte(obj)))%4 == 0 {
		obj = obj[:len(obj)-1] + " }"
	}
	return obj
}

// nested returns a JSON array nested depth levels deep.
func nested(depth int) string {
	return strings.Repeat("[", depth) + strings.Repeat("]", depth)
}

// insertAt inserts s into token at the middle of segment i (0, 1 or 2).
func insertAt(token string, i int, s string) string {
	seg := strings.Split(token, ".")
	seg[i] = seg[i][:len(seg[i])/2] + s + seg[i][len(seg[i])/2:]
	return strings.Join(seg, ".")
}

// segment returns the i-th dot-separated segment of token.
func segment(token string, i int) string { return strings.Split(token, ".")[i] }

// stdBase64 re-encodes a token's header and payload with the standard
// alphabet (+ and /) and re-signs it, so only the alphabet is wrong.
func stdBase64(t *testing.T, k *ginclerktest.Key, header, payload string) string {
	t.Helper()
	enc := base64.RawStdEncoding
	input := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	require.True(t, strings.ContainsAny(input, "+/"), "choose bytes whose encoding needs + or /")
	return signRS256(k, input)
}

// hmacKeyPEM is the HS256 secret of the classic key-confusion attack: the
// verifier's own public key, as the bytes of its PEM.
func hmacKeyPEM(k *ginclerktest.Key) []byte { return []byte(k.PublicKeyPEM()) }

// hmacKeyDER is the same public key as DER, the other form libraries use.
func hmacKeyDER(t *testing.T, k *ginclerktest.Key) []byte {
	der, err := x509.MarshalPKIXPublicKey(&k.Private.PublicKey)
	require.NoError(t, err)
	return der
}
