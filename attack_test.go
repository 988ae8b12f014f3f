package ginclerk_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// attack is one hostile request: what a client sends and the exact reason
// ginclerk must refuse it with ("" marks a control row that must pass).
type attack struct {
	name string
	// jwks verifies against the Backend API key source instead of the PEM
	// key, for rows about kid lookup (a PEM key ignores kid).
	jwks bool
	// token is sent as "Authorization: Bearer <token>" unless send is set.
	token  string
	send   func(r *http.Request)
	reason string
}

// attackKit is what the rows are made of: the instance's key, an attacker's
// key with the same kid, and a server counting any request an attacker's
// jku or x5u would make ginclerk send (there must be none).
type attackKit struct {
	key, attacker *ginclerktest.Key
	lure          *httptest.Server
	lured         atomic.Int64
}

func newAttackKit(t *testing.T) *attackKit {
	kit := &attackKit{
		key:      ginclerktest.DefaultKey(t),
		attacker: ginclerktest.SharedKey(t, 1).WithKID("ins_test_1"),
	}
	kit.lure = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		kit.lured.Add(1)
		_, _ = w.Write(ginclerktest.JWKS(kit.attacker))
	}))
	t.Cleanup(kit.lure.Close)
	return kit
}

// attacks is the attack table: hostile tokens and requests, each of which
// must end signed out with the reason Clerk gives it.
func (kit *attackKit) attacks(t *testing.T) []attack {
	key, evil := kit.key, kit.attacker
	sign := func(header, payload string) string { return key.Sign([]byte(header), []byte(payload)) }
	forge := func(header, payload string) string { return evil.Sign([]byte(header), []byte(payload)) }
	hdr := func(over map[string]string) string { return craftHeader("ins_test_1", over) }
	pay := craftPayload
	valid := mint(t, key)
	big := strings.Repeat("A", 13<<10)
	var attackerSet struct{ Keys []json.RawMessage }
	require.NoError(t, json.Unmarshal(ginclerktest.JWKS(evil), &attackerSet))
	attackerJWK := attackerSet.Keys[0]
	header, payload := pairs, pairs // overrides of the header's and the payload's members
	bearer := func(tokens ...string) func(r *http.Request) {
		return func(r *http.Request) {
			for _, tok := range tokens {
				r.Header.Add("Authorization", "Bearer "+tok)
			}
		}
	}
	cookies := func(values ...string) func(r *http.Request) {
		return func(r *http.Request) {
			for _, v := range values {
				r.AddCookie(&http.Cookie{Name: "__session", Value: v})
			}
			r.AddCookie(&http.Cookie{Name: "__client_uat", Value: "1"})
		}
	}
	const (
		invalid   = ginclerk.ReasonTokenInvalid
		algorithm = ginclerk.ReasonTokenInvalidAlgorithm
		signature = ginclerk.ReasonTokenInvalidSignature
		failed    = ginclerk.ReasonTokenVerificationFailed
		expired   = ginclerk.ReasonSessionTokenExpired
		mismatch  = ginclerk.ReasonTokenTypeMismatch
	)
	return []attack{
		// Controls: the table's tokens differ from these in one way only.
		{name: "control: minted token", token: valid},
		{name: "control: crafted token", token: sign(hdr(nil), pay(nil))},
		{name: "control: crafted token through the JWKS", jwks: true, token: sign(hdr(nil), pay(nil))},

		// alg: only RS256, checked in the header whatever the signature.
		{name: "alg none, empty signature", token: signInput(hdr(header("alg", `"none"`)), pay(nil)) + ".", reason: algorithm},
		{name: "alg none, no signature segment", token: signInput(hdr(header("alg", `"none"`)), pay(nil)), reason: invalid},
		{name: "alg None", token: withAlg("None", pay(nil), rs384(key)), reason: algorithm},
		{name: "alg rs256 (case)", token: sign(hdr(header("alg", `"rs256"`)), pay(nil)), reason: algorithm},
		{name: "alg RS256 with trailing space", token: sign(hdr(header("alg", `"RS256 "`)), pay(nil)), reason: algorithm},
		{name: "alg RS256 escaped", token: sign(hdr(header("alg", `"RS\u0032\u0035\u0036"`)), pay(nil)), reason: algorithm},
		{name: "alg missing", token: sign(hdr(header("alg", "")), pay(nil)), reason: algorithm},
		{name: "alg not a string", token: sign(hdr(header("alg", `["RS256"]`)), pay(nil)), reason: algorithm},
		{name: "alg HS256 keyed with the PEM", token: withAlg("HS256", pay(nil), hs256(hmacKeyPEM(key))), reason: algorithm},
		{name: "alg HS256 keyed with the DER", token: withAlg("HS256", pay(nil), hs256(hmacKeyDER(t, key))), reason: algorithm},
		{name: "alg RS384 by the real key", token: withAlg("RS384", pay(nil), rs384(key)), reason: algorithm},
		{name: "alg PS256 by the real key", token: withAlg("PS256", pay(nil), ps256(key)), reason: algorithm},
		{name: "alg ES256", token: withAlg("ES256", pay(nil), es256(t)), reason: algorithm},
		{name: "valid RS256 signature under alg none", token: mint(t, key, ginclerktest.Header("alg", "none")), reason: algorithm},
		{name: "valid RS256 signature under alg HS256", token: mint(t, key, ginclerktest.Header("alg", "HS256")), reason: algorithm},
		{name: "valid RS256 signature under alg PS256", token: mint(t, key, ginclerktest.Header("alg", "PS256")), reason: algorithm},

		// Embedded or remote keys (jku, x5u, jwk, x5c): never used, never fetched.
		{name: "jku to the attacker's JWKS", token: forge(hdr(header("jku", `"`+kit.lure.URL+`/jwks"`)), pay(nil)), reason: signature},
		{name: "x5u to the attacker's cert", token: forge(hdr(header("x5u", `"`+kit.lure.URL+`/cert"`)), pay(nil)), reason: signature},
		{name: "jwk embedding the attacker's key", token: forge(hdr(header("jwk", string(attackerJWK))), pay(nil)), reason: signature},
		{name: "x5c with the attacker's certificate", token: forge(hdr(header("x5c", `["`+selfSignedX5C(t, evil)+`"]`)), pay(nil)), reason: signature},
		{name: "jku through the JWKS source", jwks: true, token: forge(hdr(header("jku", `"`+kit.lure.URL+`/jwks"`)), pay(nil)), reason: signature},
		{name: "jku ignored on a genuine token", token: sign(hdr(header("jku", `"`+kit.lure.URL+`/jwks"`)), pay(nil))},
		{name: "signed by another key", token: mint(t, evil), reason: signature},
		{name: "crit", token: sign(hdr(header("crit", `["exp"]`, "exp", "1")), pay(nil)), reason: invalid},

		// kid: a bounded lookup key, nothing more.
		{name: "kid path traversal (JWKS)", jwks: true, token: sign(craftHeader("../../../../etc/passwd", nil), pay(nil)), reason: ginclerk.ReasonJWKKidMismatch},
		{name: "kid path traversal (PEM, forged)", token: forge(craftHeader("../../../../etc/passwd", nil), pay(nil)), reason: signature},
		{name: "kid URL (JWKS)", jwks: true, token: sign(craftHeader(kit.lure.URL+"/jwks", nil), pay(nil)), reason: ginclerk.ReasonJWKKidMismatch},
		{name: "kid 300 bytes", jwks: true, token: sign(craftHeader(strings.Repeat("k", 300), nil), pay(nil)), reason: invalid},
		{name: "kid 10 KB", jwks: true, token: sign(craftHeader(strings.Repeat("k", 10<<10), nil), pay(nil)), reason: invalid},
		{name: "kid a number", jwks: true, token: sign(hdr(header("kid", "1")), pay(nil)), reason: invalid},
		{name: "kid an object", token: sign(hdr(header("kid", `{"kid":"ins_test_1"}`)), pay(nil)), reason: invalid},
		{name: "kid null", jwks: true, token: sign(hdr(header("kid", "null")), pay(nil)), reason: invalid},

		// Size bounds, checked before any decoding.
		{name: "token over 16 KiB", token: sign(hdr(nil), pay(payload("pad", `"`+big+`"`))), reason: invalid},
		{name: "token of 1 MiB", token: strings.Repeat("A", 1<<20) + "." + segment(valid, 1) + "." + segment(valid, 2), reason: invalid},
		{name: "header over 2 KiB", token: sign(hdr(header("pad", `"`+strings.Repeat("A", 3<<10)+`"`)), pay(nil)), reason: invalid},

		// Shape and canonical encoding: three unpadded base64url segments.
		{name: "4 segments", token: valid + "." + segment(valid, 2), reason: invalid},
		{name: "5 segments", token: valid + ".." + segment(valid, 2), reason: invalid},
		{name: "2 segments", token: segment(valid, 0) + "." + segment(valid, 1), reason: invalid},
		{name: "empty segments", token: "..", reason: invalid},
		{name: "empty header", token: "." + segment(valid, 1) + "." + segment(valid, 2), reason: invalid},
		{name: "padded header", token: signRS256(key, b64pad(hdr(nil))+"."+segment(valid, 1)), reason: invalid},
		{name: "padded payload", token: signRS256(key, segment(valid, 0)+"."+b64pad(pay(nil))), reason: invalid},
		{name: "padded signature", token: valid + "==", reason: invalid},
		{name: "standard base64 alphabet (+ and /)", token: stdBase64(t, key, hdr(header("x", `"?>~?>~"`)), pay(payload("x", `"??>>~~"`))), reason: invalid},
		{name: "non-canonical header bits", token: signRS256(key, nonCanonical(t, b64url.EncodeToString([]byte(spacedTo(hdr(nil)))))+"."+segment(valid, 1)), reason: invalid},
		{name: "non-canonical payload bits", token: signRS256(key, segment(valid, 0)+"."+nonCanonical(t, b64url.EncodeToString([]byte(spacedTo(pay(nil)))))), reason: invalid},
		{name: "non-canonical signature bits", token: segment(valid, 0) + "." + segment(valid, 1) + "." + nonCanonical(t, segment(valid, 2)), reason: invalid},
		{name: "header not JSON", token: signRS256(key, b64url.EncodeToString([]byte("RS256"))+"."+segment(valid, 1)), reason: invalid},
		{name: "header an array", token: sign(`["RS256"]`, pay(nil)), reason: invalid},
		{name: "payload an array", token: sign(hdr(nil), `[{"sub":"user_test_1"}]`), reason: invalid},
		{name: "payload with trailing garbage", token: sign(hdr(nil), pay(nil)+"x"), reason: invalid},
		{name: "payload truncated", token: sign(hdr(nil), strings.TrimSuffix(pay(nil), "}")), reason: invalid},

		// Duplicate members: parser-differential bait.
		{name: "duplicate alg in header", token: sign(`{"alg":"RS256","alg":"none","kid":"ins_test_1","typ":"JWT"}`, pay(nil)), reason: invalid},
		{name: "escaped duplicate alg in header", token: sign(`{"alg":"RS256","\u0061lg":"HS256","kid":"ins_test_1"}`, pay(nil)), reason: invalid},
		{name: "duplicate kid in header", jwks: true, token: sign(`{"alg":"RS256","kid":"nope","kid":"ins_test_1"}`, pay(nil)), reason: invalid},
		{name: "duplicate sub in payload", token: sign(hdr(nil), strings.TrimSuffix(pay(nil), "}")+`,"sub":"user_admin"}`), reason: invalid},
		{name: "escaped duplicate sub in payload", token: sign(hdr(nil), strings.TrimSuffix(pay(nil), "}")+`,"s\u0075b":"user_admin"}`), reason: invalid},
		{name: "duplicate exp in payload", token: sign(hdr(nil), strings.TrimSuffix(pay(nil), "}")+`,"exp":99999999999}`), reason: invalid},
		{name: "duplicate member deep in a custom claim", token: sign(hdr(nil), pay(payload("meta", `{"role":"user","r\u006fle":"admin"}`))), reason: invalid},

		// Nesting depth.
		{name: "payload nested 1000 deep", token: sign(hdr(nil), pay(payload("x", nested(1000)))), reason: invalid},
		{name: "payload nested 64 deep", token: sign(hdr(nil), pay(payload("x", nested(64)))), reason: invalid},
		{name: "header nested 50 deep", token: sign(hdr(header("x", nested(50))), pay(nil)), reason: invalid},

		// Time claims: JSON numbers only, within ±2^53.
		{name: "exp a numeric string", token: sign(hdr(nil), pay(payload("exp", `"1795000000"`))), reason: failed},
		{name: "exp missing", token: mint(t, key, ginclerktest.Without("exp")), reason: failed},
		{name: "exp null", token: sign(hdr(nil), pay(payload("exp", "null"))), reason: failed},
		{name: "exp a float in the past", token: sign(hdr(nil), pay(payload("exp", unixAt(-time.Hour)+".5"))), reason: expired},
		{name: "exp a float in the future (Clerk accepts numbers)", token: sign(hdr(nil), pay(payload("exp", unixAt(time.Minute)+".9")))},
		{name: "exp in exponent form", token: sign(hdr(nil), pay(payload("exp", "1.7e9"))), reason: expired},
		{name: "exp huge (1e300)", token: sign(hdr(nil), pay(payload("exp", "1e300"))), reason: invalid},
		{name: "exp 2^53+1", token: sign(hdr(nil), pay(payload("exp", "9007199254740993"))), reason: invalid},
		{name: "exp 2^63", token: sign(hdr(nil), pay(payload("exp", "9223372036854775808"))), reason: invalid},
		{name: "exp negative", token: sign(hdr(nil), pay(payload("exp", "-1"))), reason: expired},
		{name: "exp -2^53", token: sign(hdr(nil), pay(payload("exp", "-9007199254740992"))), reason: expired},
		{name: "exp zero", token: sign(hdr(nil), pay(payload("exp", "0"))), reason: expired},
		{name: "exp true", token: sign(hdr(nil), pay(payload("exp", "true"))), reason: failed},
		{name: "nbf a numeric string", token: sign(hdr(nil), pay(payload("nbf", `"0"`))), reason: failed},
		{name: "nbf huge", token: sign(hdr(nil), pay(payload("nbf", "1e20"))), reason: invalid},
		{name: "nbf a float in the future", token: sign(hdr(nil), pay(payload("nbf", unixAt(time.Minute)+".5"))), reason: ginclerk.ReasonSessionTokenNBF},
		{name: "iat a numeric string", token: sign(hdr(nil), pay(payload("iat", `"0"`))), reason: failed},
		{name: "iat huge negative", token: sign(hdr(nil), pay(payload("iat", "-1e300"))), reason: invalid},
		{name: "iat in the future", token: sign(hdr(nil), pay(payload("iat", unixAt(time.Hour)))), reason: ginclerk.ReasonSessionTokenIatInTheFuture},
		{name: "expired", token: mint(t, key, ginclerktest.ExpiresIn(-time.Minute)), reason: expired},

		// sub: a non-empty string.
		{name: "sub empty", token: sign(hdr(nil), pay(payload("sub", `""`))), reason: invalid},
		{name: "sub missing", token: mint(t, key, ginclerktest.Without("sub")), reason: failed},
		{name: "sub a number", token: sign(hdr(nil), pay(payload("sub", "42"))), reason: failed},
		{name: "sub null", token: sign(hdr(nil), pay(payload("sub", "null"))), reason: failed},
		{name: "sub an array", token: sign(hdr(nil), pay(payload("sub", `["user_test_1"]`))), reason: failed},
		{name: "sid a number", token: sign(hdr(nil), pay(payload("sid", "1"))), reason: invalid},
		{name: "sts an object", token: sign(hdr(nil), pay(payload("sts", `{"active":true}`))), reason: invalid},
		{name: "payload with a byte-order mark", token: sign(hdr(nil), "\ufeff"+pay(nil)), reason: invalid},
		{name: "JWS JSON serialization", token: `{"payload":"` + segment(valid, 1) + `","signatures":[{"protected":"` + segment(valid, 0) + `","signature":"` + segment(valid, 2) + `"}]}`, reason: invalid},
		{name: "b64 false without crit is just an unknown member", token: sign(hdr(header("b64", "false")), pay(nil))},
		{name: "zip DEF (JWE compression) is ignored, payload must still be JSON", token: sign(hdr(header("zip", `"DEF"`)), "\x78\x9c"+pay(nil)), reason: invalid},

		// NUL bytes and newlines, in the token and in its JSON.
		{name: "NUL byte in the token", token: insertAt(valid, 2, "\x00"), reason: invalid},
		{name: "newline in the signature", token: insertAt(valid, 2, "\n"), reason: invalid},
		{name: "CRLF in the payload segment", token: insertAt(valid, 1, "\r\n"), reason: invalid},
		{name: "space in the header segment", token: insertAt(valid, 0, " "), reason: invalid},
		{name: "raw NUL inside a JSON string", token: sign(hdr(nil), pay(payload("sub", "\"user\x00admin\""))), reason: invalid},
		{name: "raw newline inside a JSON string", token: sign(hdr(nil), pay(payload("sub", "\"user\nadmin\""))), reason: invalid},
		{name: "invalid UTF-8 in sub", token: sign(hdr(nil), pay(payload("sub", "\"user\xff\""))), reason: invalid},
		{name: "lone surrogate in sub", token: sign(hdr(nil), pay(payload("sub", `"user\ud800"`))), reason: invalid},

		// Token sources: ambiguity is refused, never resolved.
		{name: "two Authorization headers", send: bearer(valid, valid), reason: invalid},
		{name: "two Authorization headers, one forged", send: bearer(mint(t, evil), valid), reason: invalid},
		{name: "two __session cookies", send: cookies(valid, valid), reason: invalid},
		{name: "two __session cookies in one Cookie header", send: func(r *http.Request) {
			r.Header.Set("Cookie", "__session="+valid+"; __session=garbage")
		}, reason: invalid},
		{name: "an invalid header token does not fall back to a valid cookie", send: func(r *http.Request) {
			bearer("garbage")(r)
			cookies(valid)(r)
		}, reason: invalid},
		{name: "forged cookie", send: cookies(mint(t, evil)), reason: signature},

		// Not session tokens: OAuth access tokens, M2M tokens, other cat values.
		{name: "JWT template (no sid, template cat)", token: mint(t, key, ginclerktest.Without("sid"), ginclerktest.Header("cat", "cl_B7d4PD222AAA")), reason: mismatch},
		{name: "JWT template with a sid", token: mint(t, key, ginclerktest.Header("cat", "cl_B7d4PD222AAA")), reason: mismatch},
		{name: "no sid, no cat", token: mint(t, key, ginclerktest.Without("sid"), ginclerktest.WithoutHeader("cat")), reason: mismatch},
		{name: "sid empty", token: mint(t, key, ginclerktest.SessionID("")), reason: mismatch},
		{name: "M2M token", token: mint(t, key, ginclerktest.Header("cat", "cl_B7d4PD333AAA"), ginclerktest.Subject("mch_2abc"), ginclerktest.Without("sid")), reason: mismatch},
		{name: "M2M subject under the session category", token: mint(t, key, ginclerktest.Subject("mch_2abc")), reason: mismatch},
		{name: "M2M subject after a malformed claim", token: mint(t, key, ginclerktest.Set("nbf", "soon"), ginclerktest.Subject("mch_2abc")), reason: mismatch},
		{name: "M2M subject spelled with an escape", token: sign(hdr(nil), pay(payload("sub", `"\u006dch_2abc"`))), reason: mismatch},
		{name: "cat not a string", token: mint(t, key, ginclerktest.Header("cat", 1)), reason: mismatch},
		{name: "typ at+jwt: an OAuth access token", token: mint(t, key, ginclerktest.Header("typ", "at+jwt")), reason: mismatch},
		{name: "typ application/at+jwt: an OAuth access token", token: mint(t, key, ginclerktest.Header("typ", "application/at+jwt")), reason: mismatch},
		{name: "typ jwt (lower case)", token: mint(t, key, ginclerktest.Header("typ", "jwt")), reason: invalid},
		{name: "typ absent (optional in RFC 7515)", token: mint(t, key, ginclerktest.WithoutHeader("typ"))},
	}
}

// pairs turns name, raw JSON, name, raw JSON… into a map of overrides.
func pairs(kv ...string) map[string]string {
	m := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// unixAt is testNow+d in Unix seconds, as JSON.
func unixAt(d time.Duration) string {
	return strconv.FormatInt(testNow.Add(d).Unix(), 10)
}

// b64pad is base64url with padding, which JWS forbids.
func b64pad(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) }

// attackClerks returns the PEM instance and the JWKS instance every row is
// sent through; opts come last (a test's own logger, for instance).
func (kit *attackKit) attackClerks(t *testing.T, opts ...ginclerk.Option) (pem, jwks *ginclerk.Clerk, srv *ginclerktest.Server) {
	srv = ginclerktest.NewServer(t, kit.key)
	return pemClerk(t, kit.key, opts...), apiClerk(t, srv, opts...), srv
}

// attackRequest builds the row's request.
func (a attack) request() *http.Request {
	req := get("")
	if a.send != nil {
		a.send(req)
	} else {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	return req
}

// TestAttacks sends every row through RequireAuth (behind ErrorHandler) and
// WithAuth and checks the exact reason, the status, that the handler never
// runs signed in — and that nothing in the response echoes the token.
func TestAttacks(t *testing.T) {
	t.Parallel()
	kit := newAttackKit(t)
	pem, jwks, _ := kit.attackClerks(t)
	rows := kit.attacks(t)
	for _, a := range rows {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			ck := pem
			if a.jwks {
				ck = jwks
			}
			checkAttack(t, ck, a)
		})
	}
	t.Cleanup(func() { assert.Zero(t, kit.lured.Load(), "ginclerk fetched an attacker-supplied jku/x5u") })
}

// checkAttack runs one row through both middlewares.
func checkAttack(t *testing.T, ck *ginclerk.Clerk, a attack) {
	t.Helper()
	start := time.Now()
	var strict seen
	w := do(router(&strict, ginclerk.ErrorHandler(), ck.RequireAuth()), a.request())
	var lax seen
	wl := do(router(&lax, ck.WithAuth()), a.request())
	require.Less(t, time.Since(start), 5*time.Second, "slow verdict")
	require.True(t, lax.ran, "WithAuth must always run the handler")

	if a.reason == "" {
		assert.Equal(t, http.StatusOK, w.Code, "strict: %s", w.Body)
		assert.True(t, strict.ran)
		assert.Equal(t, ginclerktest.DefaultUserID, lax.auth.UserID, "lax: %s", lax.auth.Reason)
		return
	}
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.False(t, strict.ran, "strict handler ran")
	assert.Equal(t, a.reason, jsonBody(t, w)["reason"], "strict body: %s", w.Body)
	assert.Equal(t, a.reason, w.Header().Get("X-Clerk-Auth-Reason"))
	assert.Contains(t, w.Header().Get("WWW-Authenticate"), `error_description="`+a.reason+`"`)

	assert.False(t, lax.auth.IsSignedIn(), "lax signed in")
	assert.Empty(t, lax.auth.UserID)
	assert.Empty(t, lax.auth.Token)
	assert.Equal(t, a.reason, lax.auth.Reason, "lax: %s", lax.auth.Message)
	assert.Equal(t, a.reason, wl.Header().Get("X-Clerk-Auth-Reason"))

	for _, resp := range []*httptest.ResponseRecorder{w, wl} {
		assertNoEcho(t, "response", responseText(resp), a.secrets()...)
	}
}
