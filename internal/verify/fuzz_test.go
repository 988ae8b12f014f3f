package verify

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/keys"
)

// maxVerifyTime bounds one verification under the fuzzer (coverage
// instrumentation included); a real one takes well under a millisecond.
const maxVerifyTime = time.Second

// FuzzVerify feeds arbitrary tokens to the verifier. Properties: no panic,
// every error a *clerkerr.Error with a token reason, bounded time, and an
// accepted token is one that crypto/rsa and encoding/json, independently
// of this package, find correctly signed by the configured key and valid.
func FuzzVerify(f *testing.F) {
	k, evil := testKeys(f)
	for _, seed := range []string{
		sign(k, hdr(), claimsAt()),
		sign(k, hdr("kid", "", "cat", ""), claimsAt("v", "", "azp", "")),
		sign(k, hdr(), claimsAt("v", "2", "o", `{"id":"org_1","rol":"admin","per":"read,manage","fpm":"3"}`, "fea", `"o:billing"`)),
		sign(k, hdr(), claimsAt("exp", unixAt(-time.Hour))),
		sign(evil, hdr(), claimsAt()),
		sign(k, hdr("alg", `"none"`), claimsAt()),
		enc.EncodeToString([]byte(hdr("alg", `"none"`))) + "." + enc.EncodeToString([]byte(claimsAt())) + ".",
		"eyJhbGciOiJSUzI1NiJ9.e30.",
		"a.b.c",
		"..",
	} {
		f.Add(seed)
	}
	v := newVerifier(f)
	f.Fuzz(func(t *testing.T, token string) {
		checkVerdict(t, v, &k.PublicKey, token)
	})
}

// FuzzVerifySigned signs whatever header and payload the fuzzer makes with
// the configured key, so that it explores everything past the signature:
// header rules, JSON strictness, claims decoding, type and time checks. On
// top of FuzzVerify's properties, a correctly signed token is never
// refused as token-invalid-signature, and an accepted one means the same
// to encoding/json (no duplicate members, same sub, sid and exp).
func FuzzVerifySigned(f *testing.F) {
	// A 1024-bit key: verify does not care about the size (keys enforces
	// 2048 at configuration), and signing dominates each execution.
	priv, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][2]string{
		{hdr(), claimsAt()},
		{`{"alg":"RS256"}`, claimsAt("azp", "", "iss", "", "v", "")},
		{hdr("typ", `"at+jwt"`), claimsAt()},
		{hdr("cat", `"cl_B7d4PD222AAA"`), claimsAt("sid", "")},
		{hdr(), claimsAt("sub", `"mch_1"`)},
		{hdr(), claimsAt("exp", `"1795694460"`)},
		{hdr(), claimsAt("exp", unixAt(time.Minute)+".5e0", "nbf", "-0.0", "iat", "1e9")},
		{hdr(), claimsAt("o", `{"id":"org_1","rol":"admin","per":"read,manage","fpm":"3,1"}`, "fea", `"o:billing,u:beta,ou:both"`, "pla", `"u:pro"`)},
		{hdr(), claimsAt("v", "", "org_id", `"org_1"`, "org_role", `"org:admin"`, "org_permissions", `["org:a:b"]`)},
		{hdr(), claimsAt("act", `{"sub":"user_2","iss":"https://dashboard.clerk.com"}`, "fva", "[0,-1]")},
		{hdr(), strings.TrimSuffix(claimsAt(), "}") + `,"s\u0075b":"user_x"}`},
		{`{"alg":"RS256","\u0061lg":"none"}`, claimsAt()},
		{hdr("kid", `"ins\u005ftest"`), claimsAt("sub", `"user\u0000\ud83d\ude00"`)},
	} {
		f.Add([]byte(seed[0]), []byte(seed[1]))
	}
	v := New(Config{Keys: keys.Static(&priv.PublicKey), Now: fixedNow, Skew: testSkew})
	f.Fuzz(func(t *testing.T, header, payload []byte) {
		token := sign(priv, string(header), string(payload))
		err := checkVerdict(t, v, &priv.PublicKey, token)
		if reasonOf(err) == clerkerr.TokenInvalidSignature {
			t.Fatalf("a correctly signed token was refused as %v", err)
		}
	})
}

// tokenReasons are the reasons Verify may give with a Static key and no
// azp or issuer configured.
var tokenReasons = map[string]bool{
	clerkerr.TokenInvalid: true, clerkerr.TokenInvalidAlgorithm: true, clerkerr.TokenInvalidSignature: true,
	clerkerr.TokenExpired: true, clerkerr.TokenNotActiveYet: true, clerkerr.TokenIatInTheFuture: true,
	clerkerr.TokenTypeMismatch: true, clerkerr.TokenVerificationFailed: true,
}

// checkVerdict verifies token and checks the properties common to both
// fuzz targets. It returns Verify's error.
func checkVerdict(t *testing.T, v *Verifier, pub *rsa.PublicKey, token string) error {
	t.Helper()
	start := time.Now()
	c, err := v.Verify(context.Background(), token)
	if took := time.Since(start); took > maxVerifyTime {
		t.Fatalf("verification took %v", took)
	}
	if err != nil {
		var ce *clerkerr.Error
		if !errors.As(err, &ce) || !tokenReasons[ce.Reason] || ce.Message == "" {
			t.Fatalf("unexpected error %#v", err)
		}
		if c != nil {
			t.Fatal("claims returned with an error")
		}
		return err
	}
	if c == nil {
		t.Fatal("nil claims without an error")
	}
	if reason := independentlyValid(pub, token); reason != "" {
		t.Fatalf("accepted a token that is not valid: %s", reason)
	}
	var p map[string]any
	_ = json.Unmarshal(mustDecode(strings.Split(token, ".")[1]), &p)
	if p["sub"] != c.Subject || p["sid"] != c.SessionID {
		t.Fatalf("claims differ from encoding/json's reading: sub %q/%q sid %q/%q", c.Subject, p["sub"], c.SessionID, p["sid"])
	}
	return nil
}

// independentlyValid re-checks an accepted token with the standard library
// only, as a second implementation of the checks would. It
// returns what is wrong, or "".
func independentlyValid(pub *rsa.PublicKey, token string) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "not three segments"
	}
	var raw [3][]byte
	for i, part := range parts {
		b, err := enc.Strict().DecodeString(part)
		if err != nil || enc.EncodeToString(b) != part {
			return fmt.Sprintf("segment %d is not canonical base64url", i)
		}
		raw[i] = b
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], raw[2]); err != nil {
		return "signature does not verify"
	}
	for i, doc := range raw[:2] {
		if err := noDuplicates(doc); err != nil {
			return fmt.Sprintf("segment %d: %v", i, err)
		}
	}
	var h map[string]any
	if err := json.Unmarshal(raw[0], &h); err != nil {
		return "header: " + err.Error()
	}
	if h["alg"] != "RS256" {
		return fmt.Sprintf("alg %v", h["alg"])
	}
	if typ, ok := h["typ"]; ok && typ != "JWT" {
		return fmt.Sprintf("typ %v", typ)
	}
	if _, ok := h["crit"]; ok {
		return "crit"
	}
	if cat, ok := h["cat"]; ok && cat != catSession && cat != catIgnore {
		return fmt.Sprintf("cat %v", cat)
	}
	d := json.NewDecoder(bytes.NewReader(raw[1]))
	d.UseNumber()
	var p map[string]any
	if err := d.Decode(&p); err != nil {
		return "payload: " + err.Error()
	}
	if sub, _ := p["sub"].(string); sub == "" || strings.HasPrefix(sub, "mch_") {
		return fmt.Sprintf("sub %#v", p["sub"])
	}
	if sid, _ := p["sid"].(string); sid == "" {
		return fmt.Sprintf("sid %#v", p["sid"])
	}
	now, skew := float64(testNow.Unix()), testSkew.Seconds()
	exp, ok := number(p["exp"])
	if !ok || exp <= now-skew {
		return fmt.Sprintf("exp %v", p["exp"])
	}
	for _, name := range []string{"nbf", "iat"} {
		if v, present := p[name]; present {
			if n, ok := number(v); !ok || n > now+skew {
				return fmt.Sprintf("%s %v", name, v)
			}
		}
	}
	return ""
}

// number is a JSON number truncated toward zero, as the verifier reads
// time claims, within the ±2^53 it accepts.
func number(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return math.Trunc(f), true
}

// noDuplicates walks doc with encoding/json's tokenizer and reports an
// object member name that occurs twice (after unescaping).
func noDuplicates(doc []byte) error {
	d := json.NewDecoder(bytes.NewReader(doc))
	type frame struct {
		names  map[string]bool
		object bool
		key    bool // the next token in this object is a member name
	}
	var stack []*frame
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.key {
			if delim, ok := tok.(json.Delim); ok && delim == '}' {
				stack = stack[:len(stack)-1]
				continue
			}
			name := tok.(string)
			if top.names[name] {
				return fmt.Errorf("duplicate member %q", name)
			}
			top.names[name] = true
			top.key = false
			continue
		}
		if top != nil && top.object {
			top.key = true
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{names: map[string]bool{}, object: true, key: true})
		case json.Delim('['):
			stack = append(stack, &frame{})
		case json.Delim(']'), json.Delim('}'):
			stack = stack[:len(stack)-1]
		}
	}
}

func mustDecode(seg string) []byte {
	b, err := enc.DecodeString(seg)
	if err != nil {
		panic(err)
	}
	return b
}
