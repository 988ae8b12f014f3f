package ginclerk_test

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
)

// FuzzRequest drives the real middlewares, configured with a PEM key, with
// an arbitrary Authorization header and Cookie header. Properties: no panic;
// a verdict in bounded time; WithAuth and RequireAuth agree; only 200 or 401
// (a PEM key cannot fail to load); no response header and no log line
// echoes the token; and a request is signed in only if its token — taken
// from the Authorization header, else the __session cookie — is one that crypto/rsa and
// encoding/json, independently of ginclerk, find signed by the configured
// key and valid.
func FuzzRequest(f *testing.F) {
	key := ginclerktest.DefaultKey(f)
	evil := ginclerktest.SharedKey(f, 1).WithKID(key.KID)
	at := func(k *ginclerktest.Key, opts ...ginclerktest.Claim) string {
		return k.Mint(f, append([]ginclerktest.Claim{ginclerktest.At(testNow)}, opts...)...)
	}
	valid := at(key)
	uat := strconv.FormatInt(testNow.Unix(), 10)
	for _, seed := range [][2]string{
		{"Bearer " + valid, ""},
		{"bearer   " + valid, "__session=" + at(key, ginclerktest.Subject("user_cookie"))},
		{valid, ""},
		{"", "__session=" + valid},
		{"", "__client_uat=" + uat + "; __session=" + valid},
		{"", "__client_uat=0; __session=" + valid},
		{"", "__session=" + valid + "; __session=" + valid},
		{"Basic dXNlcjpwYXNz", "__session=" + valid},
		{"Bearer garbage", "__session=" + valid},
		{"Bearer " + at(evil), ""},
		{"Bearer " + at(key, ginclerktest.ExpiresIn(-time.Minute)), ""},
		{"Bearer " + at(key, ginclerktest.Header("alg", "none")), ""},
		{"Bearer " + at(key, ginclerktest.Without("sid")), ""},
		{"Bearer " + valid + "\n", ""},
		{"Bearer a.b.c", "__session=a.b.c"},
		{"", ""},
	} {
		f.Add(seed[0], seed[1])
	}
	// Every log line is checked for anything token-like as it is written.
	spy := newLogSpy()
	ck, err := ginclerk.New(append(key.Options(), ginclerk.WithClock(fixedClock), ginclerk.WithLogger(spy.logger()))...)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = ck.Close() })
	var lax, strict seen
	laxRouter, strictRouter := router(&lax, ck.WithAuth()), router(&strict, ck.RequireAuth())

	f.Fuzz(func(t *testing.T, authorization, cookie string) {
		req := func() *http.Request {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if authorization != "" {
				r.Header["Authorization"] = []string{authorization}
			}
			if cookie != "" {
				r.Header["Cookie"] = []string{cookie}
			}
			return r
		}
		lax, strict = seen{}, seen{}
		start := time.Now()
		wl := do(laxRouter, req())
		ws := do(strictRouter, req())
		if took := time.Since(start); took > 2*time.Second {
			t.Fatalf("verdict took %v", took)
		}
		if !lax.ran || lax.auth == nil {
			t.Fatal("WithAuth did not run the handler")
		}
		signedIn := lax.auth.IsSignedIn()
		switch {
		case signedIn != (ws.Code == http.StatusOK) || signedIn != strict.ran:
			t.Fatalf("lax signed in %v, strict %d (handler ran %v)", signedIn, ws.Code, strict.ran)
		case ws.Code != http.StatusOK && ws.Code != http.StatusUnauthorized:
			t.Fatalf("strict status %d", ws.Code)
		case !signedIn && lax.auth.Reason == "":
			t.Fatal("signed out without a reason")
		}
		spy.take()
		if leaks := spy.leaks(); len(leaks) > 0 {
			t.Fatalf("logs leak: %v", leaks)
		}
		token, fromCookie := expectedToken(req())
		for _, w := range []*httptest.ResponseRecorder{wl, ws} {
			if len(token) >= 24 && strings.Count(token, ".") >= 2 && strings.Contains(responseText(w), token) {
				t.Fatal("the response echoes the token")
			}
		}
		if !signedIn {
			return
		}
		if lax.auth.Token != token {
			t.Fatalf("signed in with a token from the wrong place: %q, want %q", lax.auth.Token, token)
		}
		if why := invalidToken(&key.Private.PublicKey, token, fromCookie, lax.auth, req()); why != "" {
			t.Fatalf("signed in with an invalid token: %s", why)
		}
	})
}

// expectedToken reads the request's token as Clerk's rules place it,
// written independently of token.go: the Authorization header (Bearer in
// any case, or a value with no space), else the only __session cookie.
func expectedToken(r *http.Request) (token string, fromCookie bool) {
	if values := r.Header.Values("Authorization"); len(values) == 1 {
		v := strings.TrimSpace(values[0])
		scheme, rest, found := strings.Cut(v, " ")
		switch {
		case v != "" && !found && !strings.EqualFold(v, "Bearer"):
			return v, false
		case strings.EqualFold(scheme, "Bearer") && strings.TrimLeft(rest, " ") != "":
			return strings.TrimLeft(rest, " "), false
		}
	}
	var session []string
	for _, c := range r.Cookies() {
		if c.Name == "__session" {
			session = append(session, c.Value)
		}
	}
	if len(session) == 1 {
		return session[0], true
	}
	return "", false
}

// invalidToken says what is wrong with token for a signed-in request a,
// using only the standard library, or "" when it is a valid session token.
func invalidToken(pub *rsa.PublicKey, token string, fromCookie bool, a *ginclerk.Auth, r *http.Request) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "not three segments"
	}
	var raw [3][]byte
	for i, part := range parts {
		b, err := b64url.Strict().DecodeString(part)
		if err != nil || b64url.EncodeToString(b) != part {
			return fmt.Sprintf("segment %d is not canonical base64url", i)
		}
		raw[i] = b
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], raw[2]) != nil {
		return "signature does not verify with the configured key"
	}
	var h map[string]any
	if json.Unmarshal(raw[0], &h) != nil || h["alg"] != "RS256" {
		return "header alg is not RS256"
	}
	d := json.NewDecoder(bytes.NewReader(raw[1]))
	d.UseNumber()
	var p map[string]any
	if d.Decode(&p) != nil {
		return "payload is not a JSON object"
	}
	if sub, _ := p["sub"].(string); sub == "" || sub != a.UserID {
		return fmt.Sprintf("sub %#v for user %q", p["sub"], a.UserID)
	}
	if sid, _ := p["sid"].(string); sid == "" || sid != a.SessionID {
		return fmt.Sprintf("sid %#v for session %q", p["sid"], a.SessionID)
	}
	now, skew := float64(testNow.Unix()), (5 * time.Second).Seconds() // the default clock skew
	if exp, ok := jsonNumber(p["exp"]); !ok || exp <= now-skew {
		return fmt.Sprintf("exp %v", p["exp"])
	}
	for _, name := range []string{"nbf", "iat"} {
		if v, present := p[name]; present {
			if n, ok := jsonNumber(v); !ok || n > now+skew {
				return fmt.Sprintf("%s %v", name, v)
			}
		}
	}
	if p["sts"] == "pending" {
		return "pending session signed in"
	}
	// The cookie path's staleness rule: a token older than
	// __client_uat is left over from an earlier session.
	if fromCookie {
		for _, c := range r.Cookies() {
			if c.Name != "__client_uat" {
				continue
			}
			uat, err := strconv.ParseInt(c.Value, 10, 64)
			iat, ok := jsonNumber(p["iat"])
			if err != nil || uat <= 0 || !ok || iat < float64(uat) {
				return fmt.Sprintf("iat %v before __client_uat %q", p["iat"], c.Value)
			}
		}
	}
	return ""
}

// jsonNumber is a JSON number truncated toward zero, as ginclerk reads time
// claims, within ±2^53.
func jsonNumber(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	x, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.Abs(x) > 1<<53 {
		return 0, false
	}
	return math.Trunc(x), true
}

// FuzzPublishableKey configures an instance with an arbitrary publishable
// key. Properties: no panic; a refused key is an error from New that does
// not quote the key; an accepted key pins the issuer to exactly the host it
// encodes (decoded here independently: prefix, base64, one trailing "$"),
// so a token from that host is signed in and one from any other is refused
// with token-invalid-issuer.
func FuzzPublishableKey(f *testing.F) {
	key := ginclerktest.DefaultKey(f)
	for _, seed := range []string{
		ginclerktest.DefaultPublishableKey,
		ginclerktest.PublishableKey("clerk.example.com"),
		"pk_live_" + b64std("clerk.example.com$"),
		"pk_test_" + b64std("clerk.example.com$") + "==",
		"pk_test_" + b64std("clerk.example.com$$"),
		"pk_test_" + b64std("evil.test/.clerk.example.com$"),
		"pk_test_" + b64std("user@evil.test$"),
		"pk_test_" + b64std("localhost$"),
		"pk_test_",
		"sk_test_0123456789abcdef",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, pk string) {
		ck, err := ginclerk.New(append(key.Options(), ginclerk.WithClock(fixedClock), quiet(),
			ginclerk.WithTokenCacheBytes(0), ginclerk.WithPublishableKey(pk))...)
		if err != nil {
			if len(pk) >= 24 && strings.Contains(err.Error(), pk) {
				t.Fatal("the error quotes the publishable key")
			}
			return
		}
		defer ck.Close()
		if pk == "" {
			return // no pinning
		}
		host, ok := publishableHost(pk)
		if !ok {
			t.Fatalf("accepted a publishable key that does not decode to a host")
		}
		if !utf8.ValidString(host) {
			return // no token can carry this iss: every token is refused, which fails closed
		}
		var s seen
		r := router(&s, ck.WithAuth())
		do(r, get(mint(t, key, ginclerktest.Issuer("https://"+host))))
		if !s.auth.IsSignedIn() {
			t.Fatalf("token from https://%s refused: %s", host, s.auth.Reason)
		}
		do(r, get(mint(t, key, ginclerktest.Issuer("https://"+host+".evil.test"))))
		if s.auth.Reason != ginclerk.ReasonTokenInvalidIssuer {
			t.Fatalf("token from another issuer: %q", s.auth.Reason)
		}
	})
}

// publishableHost decodes pk as Clerk's frontend does (atob tolerates
// missing padding), independently of issuer.go.
func publishableHost(pk string) (string, bool) {
	rest, ok := strings.CutPrefix(pk, "pk_test_")
	if !ok {
		if rest, ok = strings.CutPrefix(pk, "pk_live_"); !ok {
			return "", false
		}
	}
	// encoding/base64 skips CR and LF; so does atob (with other spaces).
	rest = strings.NewReplacer("\r", "", "\n", "").Replace(rest)
	b, err := base64.StdEncoding.DecodeString(padBase64(strings.TrimRight(rest, "=")))
	if err != nil {
		return "", false
	}
	host, ok := strings.CutSuffix(string(b), "$")
	return host, ok && host != "" && !strings.ContainsAny(host, "$/?#@ \t\r\n")
}

func padBase64(s string) string { return s + strings.Repeat("=", (4-len(s)%4)%4) }

func b64std(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
