package verify

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

const (
	invalid   = clerkerr.TokenInvalid
	algorithm = clerkerr.TokenInvalidAlgorithm
	signature = clerkerr.TokenInvalidSignature
	mismatch  = clerkerr.TokenTypeMismatch
)

// TestVerify runs whole tokens through the pipeline: one row per check of
// a Clerk session token, each differing from a valid token in one way.
func TestVerify(t *testing.T) {
	t.Parallel()
	k, evil := testKeys(t)
	valid := sign(k, hdr(), claimsAt())
	tests := []struct {
		name, token, reason string
	}{
		{"valid", valid, ""},
		{"valid without typ, kid or cat", sign(k, hdr("typ", "", "kid", "", "cat", ""), claimsAt()), ""},
		{"valid with the ignore category", sign(k, hdr("cat", `"`+catIgnore+`"`), claimsAt()), ""},
		{"valid with jku, x5u, jwk, x5c (ignored)", sign(k, hdr("jku", `"http://evil"`, "x5u", `"http://evil"`, "jwk", `{"kty":"RSA"}`, "x5c", `["AA=="]`), claimsAt()), ""},
		{"empty", "", invalid},
		{"one segment", "abc", invalid},
		{"four segments", valid + ".x", invalid},
		{"empty payload", "eyJhbGciOiJSUzI1NiJ9..c2ln", invalid},
		{"outside the alphabet", valid[:20] + "+" + valid[21:], invalid},
		{"alg none, empty signature", enc.EncodeToString([]byte(hdr("alg", `"none"`))) + "." + enc.EncodeToString([]byte(claimsAt())) + ".", algorithm},
		{"empty signature", strings.TrimRight(valid, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"), signature},
		{"alg HS256", sign(k, hdr("alg", `"HS256"`), claimsAt()), algorithm},
		{"alg missing", sign(k, hdr("alg", ""), claimsAt()), algorithm},
		{"typ at+jwt: an OAuth JWT", sign(k, hdr("typ", `"at+jwt"`), claimsAt()), mismatch},
		{"typ application/at+jwt: an OAuth JWT", sign(k, hdr("typ", `"application/at+jwt"`), claimsAt()), mismatch},
		{"typ AT+JWT: not OAuth, not JWT", sign(k, hdr("typ", `"AT+JWT"`), claimsAt()), invalid},
		{"OAuth JWT with alg HS256: the kind first", sign(k, hdr("typ", `"at+jwt"`, "alg", `"HS256"`), claimsAt()), mismatch},
		{"crit", sign(k, hdr("crit", `["b64"]`), claimsAt()), invalid},
		{"forged", sign(evil, hdr(), claimsAt()), signature},
		{"signature truncated", truncatedSig(k), signature},
		{"signature over 1024 bytes", valid + strings.Repeat("A", 1400), signature},
		{"payload not JSON", sign(k, hdr(), "sub=user"), invalid},
		{"payload a string", sign(k, hdr(), `"{}"`), invalid},
		{"payload duplicate sub", sign(k, hdr(), strings.TrimSuffix(claimsAt(), "}")+`,"sub":"user_2"}`), invalid},
		{"payload 17 deep", sign(k, hdr(), claimsAt("x", strings.Repeat("[", 16)+strings.Repeat("]", 16))), invalid},
		{"payload 16 deep", sign(k, hdr(), claimsAt("x", strings.Repeat("[", 15)+strings.Repeat("]", 15))), ""},
		{"sub missing", sign(k, hdr(), claimsAt("sub", "")), clerkerr.TokenVerificationFailed},
		{"sub a number", sign(k, hdr(), claimsAt("sub", "42")), clerkerr.TokenVerificationFailed},
		{"sub empty", sign(k, hdr(), claimsAt("sub", `""`)), invalid},
		{"exp missing", sign(k, hdr(), claimsAt("exp", "")), clerkerr.TokenVerificationFailed},
		{"exp a string", sign(k, hdr(), claimsAt("exp", `"`+unixAt(time.Minute)+`"`)), clerkerr.TokenVerificationFailed},
		{"expired", sign(k, hdr(), claimsAt("exp", unixAt(-time.Minute))), clerkerr.TokenExpired},
		{"not active yet", sign(k, hdr(), claimsAt("nbf", unixAt(time.Minute))), clerkerr.TokenNotActiveYet},
		{"issued in the future", sign(k, hdr(), claimsAt("iat", unixAt(time.Minute))), clerkerr.TokenIatInTheFuture},
		{"template category", sign(k, hdr("cat", `"cl_B7d4PD222AAA"`), claimsAt()), mismatch},
		{"machine subject", sign(k, hdr(), claimsAt("sub", `"mch_1"`)), mismatch},
		{"machine subject escaped", sign(k, hdr(), claimsAt("sub", `"\u006dch_1"`)), mismatch},
		{"machine subject under the alg none", sign(k, hdr("alg", `"none"`), claimsAt("sub", `"mch_1"`)), mismatch},
		{"M2M category", sign(k, hdr("cat", `"cl_B7d4PD333AAA"`), claimsAt()), mismatch},
		{"no sid", sign(k, hdr(), claimsAt("sid", "")), mismatch},
	}
	v := newVerifier(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := v.Verify(context.Background(), tt.token)
			assert.Equal(t, tt.reason, reasonOf(err), "%v", err)
			if tt.reason == "" {
				require.NotNil(t, c)
				assert.Equal(t, "user_test_1", c.Subject)
				assert.Equal(t, "sess_test_1", c.SessionID)
				return
			}
			assert.Nil(t, c)
			assertNotEchoed(t, err, tt.token)
		})
	}
}

// truncatedSig is a valid token whose signature lost its last bytes but is
// still canonically encoded.
func truncatedSig(k *rsa.PrivateKey) string {
	input := enc.EncodeToString([]byte(hdr())) + "." + enc.EncodeToString([]byte(claimsAt()))
	return input + "." + enc.EncodeToString(rs256(k, input)[:250])
}

// assertNotEchoed checks that neither err's message nor any cause in its
// chain quotes the token or one of its segments.
func assertNotEchoed(t *testing.T, err error, token string) {
	t.Helper()
	for e := err; e != nil; e = errors.Unwrap(e) {
		msg := e.Error()
		for _, part := range append(strings.Split(token, "."), token) {
			if len(part) >= 8 && strings.Contains(msg, part) {
				t.Errorf("error %q quotes the token", msg)
			}
		}
	}
}

// TestBadBytesBeforeKeys: a byte outside unpadded base64url anywhere in a
// token is token-invalid, found before any key is fetched — a 401, not a
// 503, while Clerk's keys cannot be had.
func TestBadBytesBeforeKeys(t *testing.T) {
	t.Parallel()
	k, _ := testKeys(t)
	valid := sign(k, hdr(), claimsAt())
	first, last := strings.Index(valid, "."), strings.LastIndex(valid, ".")
	for _, where := range []struct {
		name string
		at   int
	}{{"header", first / 2}, {"payload", (first + last) / 2}, {"signature", (last + len(valid)) / 2}} {
		for _, bad := range []string{"+", "/", "=", " ", "\t", "\r", "\n", "\x00", "é"} {
			t.Run(fmt.Sprintf("%s %q", where.name, bad), func(t *testing.T) {
				t.Parallel()
				src := &countingSource{err: errors.New("keys unavailable")}
				v := New(Config{Keys: src, Now: fixedNow, Skew: testSkew})
				_, err := v.Verify(context.Background(), valid[:where.at]+bad+valid[where.at:])
				assert.Equal(t, invalid, reasonOf(err))
				assert.Zero(t, src.calls.Load(), "no key fetch")
			})
		}
	}
}

// TestSplit pins the bounds applied before any decoding. Bytes outside
// base64url in the header or payload are left to their strict decoding
// (TestBadBytesBeforeKeys); split refuses line breaks anywhere, which that
// decoding would skip, and bad bytes in the signature, decoded only after
// the key fetch.
func TestSplit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, token string
		ok          bool
	}{
		{"three segments", "a.b.c", true},
		{"empty signature (left to the signature check)", "a.b.", true},
		{"empty header", ".b.c", false},
		{"empty payload", "a..c", false},
		{"two segments", "a.b", false},
		{"four segments", "a.b.c.d", false},
		{"just dots", "...", false},
		{"exactly MaxTokenBytes", strings.Repeat("a", MaxTokenBytes-4) + ".b.c", true},
		{"one byte over", strings.Repeat("a", MaxTokenBytes-3) + ".b.c", false},
		{"padding", "a.b.c=", false},
		{"plus", "a.b.c+", false},
		{"slash", "a.b.c/", false},
		{"space", "a.b.c d", false},
		{"LF", "a.b.c\n", false},
		{"LF in the payload", "a.b\n.c", false},
		{"CR", "a\r.b.c", false},
		{"tab", "a.b.\tc", false},
		{"NUL", "a.b.c\x00", false},
		{"non-ASCII", "a.b.cé", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			seg, err := split(tt.token)
			if !tt.ok {
				assert.Equal(t, invalid, reasonOf(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.token, seg.header+"."+seg.payload+"."+seg.signature)
			assert.Equal(t, len(seg.header)+1+len(seg.payload), seg.signedLen)
		})
	}
}

// TestParseHeader pins the JOSE header rules: alg exactly RS256, typ JWT
// when present, embedded and remote keys ignored, kid bounded.
func TestParseHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, json   string
		reason       string
		kid          string
		foreignCat   bool
		encodedInstd bool
	}{
		{name: "Clerk's header", json: hdr(), kid: "ins_test_1"},
		{name: "template cat", json: `{"alg":"RS256","cat":"cl_B7d4PD222AAA"}`, foreignCat: true},
		{name: "session cat escaped", json: `{"alg":"RS256","cat":"cl_B7d4PD111AA\u0041"}`},
		{name: "minimal", json: `{"alg":"RS256"}`},
		{name: "whitespace", json: "{\n \"alg\" : \"RS256\" ,\"kid\":\"k\"}\t", kid: "k"},
		{name: "escaped kid decodes", json: `{"alg":"RS256","kid":"ins\u005ftest"}`, kid: "ins_test"},
		{name: "kid of 256 bytes", json: `{"alg":"RS256","kid":"` + strings.Repeat("k", 256) + `"}`, kid: strings.Repeat("k", 256)},
		{name: "kid of 257 bytes", json: `{"alg":"RS256","kid":"` + strings.Repeat("k", 257) + `"}`, reason: invalid},
		{name: "kid a number", json: `{"alg":"RS256","kid":7}`, reason: invalid},
		{name: "kid null", json: `{"alg":"RS256","kid":null}`, reason: invalid},
		{name: "kid with an invalid escape", json: `{"alg":"RS256","kid":"\x"}`, reason: invalid},
		{name: "cat a number", json: `{"alg":"RS256","cat":1}`, foreignCat: true},
		{name: "cat null", json: `{"alg":"RS256","cat":null}`, foreignCat: true},
		{name: "alg none", json: `{"alg":"none"}`, reason: algorithm},
		{name: "alg NONE", json: `{"alg":"NONE"}`, reason: algorithm},
		{name: "alg rs256", json: `{"alg":"rs256"}`, reason: algorithm},
		{name: "alg RS256 escaped", json: `{"alg":"RS25\u0036"}`, reason: algorithm},
		{name: "alg RS256 then a NUL", json: `{"alg":"RS256\u0000"}`, reason: algorithm},
		{name: "alg null", json: `{"alg":null}`, reason: algorithm},
		{name: "alg absent", json: `{"kid":"k"}`, reason: algorithm},
		{name: "alg duplicated", json: `{"alg":"RS256","alg":"RS256"}`, reason: invalid},
		{name: "alg duplicated through an escape", json: `{"alg":"none","\u0061lg":"RS256"}`, reason: invalid},
		{name: "typ JWT", json: `{"alg":"RS256","typ":"JWT"}`},
		{name: "typ jwt", json: `{"alg":"RS256","typ":"jwt"}`, reason: invalid},
		{name: "typ at+jwt", json: `{"alg":"RS256","typ":"at+jwt"}`, reason: invalid},
		{name: "typ null", json: `{"alg":"RS256","typ":null}`, reason: invalid},
		{name: "crit empty", json: `{"alg":"RS256","crit":[]}`, reason: invalid},
		{name: "unknown members ignored", json: `{"alg":"RS256","x5t#S256":"x","b64":false,"zip":"DEF"}`},
		{name: "not an object", json: `"RS256"`, reason: invalid},
		{name: "trailing garbage", json: `{"alg":"RS256"}{}`, reason: invalid},
		{name: "depth 4", json: `{"alg":"RS256","x":[[[1]]]}`},
		{name: "depth 5", json: `{"alg":"RS256","x":[[[[1]]]]}`, reason: invalid},
		{name: "invalid UTF-8", json: "{\"alg\":\"RS256\",\"x\":\"\xff\"}", reason: invalid},
		{name: "2 KiB encoded is the limit", json: `{"alg":"RS256","x":"` + strings.Repeat("a", 1514) + `"}`},
		{name: "over 2 KiB encoded", json: `{"alg":"RS256","x":"` + strings.Repeat("a", 1515) + `"}`, reason: invalid},
		{name: "standard alphabet", json: `{"alg":"RS256","x":"??>>~~"}`, encodedInstd: true, reason: invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			encoded := enc.EncodeToString([]byte(tt.json))
			if tt.encodedInstd {
				encoded = strings.NewReplacer("-", "+", "_", "/").Replace(encoded)
				require.NotEqual(t, enc.EncodeToString([]byte(tt.json)), encoded)
			}
			h, err := parseHeader(encoded)
			if err == nil {
				err = h.check()
			}
			assert.Equal(t, tt.reason, reasonOf(err), "%v", err)
			if err == nil {
				assert.Equal(t, tt.kid, h.kid)
			}
			assert.Equal(t, tt.foreignCat, h.foreignCat)
		})
	}
}

// TestHeaderBeforeKeyLookup: a token whose shape or header is wrong never
// reaches the key source, so it cannot cause a JWKS fetch.
func TestHeaderBeforeKeyLookup(t *testing.T) {
	t.Parallel()
	k, _ := testKeys(t)
	src := &countingSource{key: &k.PublicKey}
	v := newVerifier(t, func(c *Config) { c.Keys = src })
	for _, token := range []string{
		"garbage",
		sign(k, hdr("alg", `"none"`, "kid", `"forged-1"`), claimsAt()),
		sign(k, hdr("typ", `"at+jwt"`, "kid", `"forged-2"`), claimsAt()),
		sign(k, hdr("crit", `["x"]`, "kid", `"forged-3"`), claimsAt()),
		sign(k, `{"alg":"RS256","kid":"forged-4","kid":"ins_test_1"}`, claimsAt()),
		sign(k, hdr("kid", `"`+strings.Repeat("k", 300)+`"`), claimsAt()),
	} {
		_, err := v.Verify(context.Background(), token)
		require.Error(t, err)
	}
	assert.Zero(t, src.calls.Load())

	_, err := v.Verify(context.Background(), sign(k, hdr("kid", `"ins\u005ftest\u005f9"`), claimsAt()))
	require.NoError(t, err)
	_, ok := src.kids.Load("ins_test_9")
	assert.True(t, ok, "the source sees the unescaped kid")
}

// TestKeyErrorsPassThrough: the key source's reason reaches the caller, and
// a failed lookup stops verification.
func TestKeyErrorsPassThrough(t *testing.T) {
	t.Parallel()
	k, _ := testKeys(t)
	for _, reason := range []string{clerkerr.JWKKidMismatch, clerkerr.JWKRemoteFailedToLoad, clerkerr.SecretKeyInvalid} {
		src := &countingSource{err: clerkerr.New(reason, "no key")}
		v := newVerifier(t, func(c *Config) { c.Keys = src })
		_, err := v.Verify(context.Background(), sign(k, hdr(), claimsAt()))
		assert.Equal(t, reason, reasonOf(err))
	}
}

// TestSignatureBeforeClaims: a forged token learns nothing about its claims:
// whatever is wrong with them, the answer is token-invalid-signature. Only
// what the token's author wrote in plain sight is judged before the
// signature, as Clerk judges it: a payload that is not a JSON object
// (token-invalid), and a token of another kind (token-type-mismatch).
func TestSignatureBeforeClaims(t *testing.T) {
	t.Parallel()
	_, evil := testKeys(t)
	v := newVerifier(t)
	for payload, want := range map[string]string{
		claimsAt():                                          signature,
		claimsAt("exp", unixAt(-time.Hour)):                 signature,
		claimsAt("nbf", unixAt(time.Hour)):                  signature,
		claimsAt("sub", ""):                                 signature,
		claimsAt("sid", ""):                                 signature,
		claimsAt("exp", `"soon"`):                           signature,
		claimsAt("sub", `"mch_1"`):                          mismatch,
		`{"sub":"a","sub":"b"}`:                             invalid,
		`not json`:                                          invalid,
		strings.Repeat("[", 100) + strings.Repeat("]", 100): invalid,
	} {
		_, err := v.Verify(context.Background(), sign(evil, hdr(), payload))
		assert.Equal(t, want, reasonOf(err), "payload %.40s", payload)
	}
}

// TestCheckClaims pins the time windows with skew, azp and iss.
func TestCheckClaims(t *testing.T) {
	t.Parallel()
	k, _ := testKeys(t)
	parties := func(c *Config) { c.AuthorizedParties = []string{"https://app.example", "http://localhost:3000"} }
	issuer := func(c *Config) { c.Issuer = "https://clerk.example.test" }
	noSkew := func(c *Config) { c.Skew = 0 }
	tests := []struct {
		name    string
		payload string
		cfg     []func(*Config)
		reason  string
	}{
		{"exp one second past the skew", claimsAt("exp", unixAt(-testSkew+time.Second)), nil, ""},
		{"exp at now minus skew", claimsAt("exp", unixAt(-testSkew)), nil, clerkerr.TokenExpired},
		{"exp at now without skew", claimsAt("exp", unixAt(0)), []func(*Config){noSkew}, clerkerr.TokenExpired},
		{"exp a second ahead without skew", claimsAt("exp", unixAt(time.Second)), []func(*Config){noSkew}, ""},
		{"nbf at now plus skew", claimsAt("nbf", unixAt(testSkew)), nil, ""},
		{"nbf a second beyond", claimsAt("nbf", unixAt(testSkew+time.Second)), nil, clerkerr.TokenNotActiveYet},
		{"nbf absent", claimsAt("nbf", ""), nil, ""},
		{"iat at now plus skew", claimsAt("iat", unixAt(testSkew)), nil, ""},
		{"iat a second beyond", claimsAt("iat", unixAt(testSkew+time.Second)), nil, clerkerr.TokenIatInTheFuture},
		{"iat absent", claimsAt("iat", ""), nil, ""},
		{"exp fraction truncated", claimsAt("exp", unixAt(-testSkew)+".999"), nil, clerkerr.TokenExpired},
		{"exp checked before nbf", claimsAt("exp", unixAt(-time.Hour), "nbf", unixAt(time.Hour)), nil, clerkerr.TokenExpired},
		{"azp listed", claimsAt(), []func(*Config){parties}, ""},
		{"azp unlisted", claimsAt("azp", `"https://evil.example"`), []func(*Config){parties}, clerkerr.TokenInvalidAuthorizedParties},
		{"azp absent with a list", claimsAt("azp", ""), []func(*Config){parties}, clerkerr.TokenInvalidAuthorizedParties},
		{"azp empty with a list", claimsAt("azp", `""`), []func(*Config){parties}, clerkerr.TokenInvalidAuthorizedParties},
		{"azp absent without a list", claimsAt("azp", ""), nil, ""},
		{"azp a prefix of a listed party", claimsAt("azp", `"https://app.example.evil"`), []func(*Config){parties}, clerkerr.TokenInvalidAuthorizedParties},
		{"iss matches", claimsAt(), []func(*Config){issuer}, ""},
		{"iss other", claimsAt("iss", `"https://clerk.evil.test"`), []func(*Config){issuer}, clerkerr.TokenInvalidIssuer},
		{"iss trailing slash", claimsAt("iss", `"https://clerk.example.test/"`), []func(*Config){issuer}, clerkerr.TokenInvalidIssuer},
		{"iss absent", claimsAt("iss", ""), []func(*Config){issuer}, clerkerr.TokenInvalidIssuer},
		{"iss unchecked without an issuer", claimsAt("iss", `"https://clerk.evil.test"`), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := newVerifier(t, tt.cfg...)
			_, err := v.Verify(context.Background(), sign(k, hdr(), tt.payload))
			assert.Equal(t, tt.reason, reasonOf(err), "%v", err)
		})
	}
}

// TestVerifySignatureSkipsClockChecks: the cacheable half checks no time,
// so a cached verdict is never stale; CheckClaims must still run.
func TestVerifySignatureSkipsClockChecks(t *testing.T) {
	t.Parallel()
	k, _ := testKeys(t)
	v := newVerifier(t)
	c, err := v.VerifySignature(context.Background(), sign(k, hdr(), claimsAt("exp", unixAt(-time.Hour))))
	require.NoError(t, err)
	assert.Equal(t, clerkerr.TokenExpired, reasonOf(v.CheckClaims(c)))
}

// TestVerifyKeepsTokenUncopied: Verify, whose claims serve one use, hands
// back the caller's token itself, while VerifySignature, whose verdict may
// be cached, keeps a copy that shares nothing with the caller's memory.
func TestVerifyKeepsTokenUncopied(t *testing.T) {
	t.Parallel()
	k, _ := testKeys(t)
	v := newVerifier(t)
	token := sign(k, hdr(), claimsAt())
	once, err := v.Verify(context.Background(), token)
	require.NoError(t, err)
	cached, err := v.VerifySignature(context.Background(), token)
	require.NoError(t, err)
	assert.Equal(t, token, once.Token)
	assert.Equal(t, token, cached.Token)
	assert.Same(t, unsafe.StringData(token), unsafe.StringData(once.Token))
	assert.NotSame(t, unsafe.StringData(token), unsafe.StringData(cached.Token))
}
