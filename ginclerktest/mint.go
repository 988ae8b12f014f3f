package ginclerktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"testing"
	"time"
)

// Defaults of minted tokens that tests can assert against, for example
// assert.Equal(t, ginclerktest.DefaultUserID, ginclerk.GetAuth(c).UserID).
const (
	// DefaultUserID is the sub claim of minted tokens.
	DefaultUserID = "user_test_1"
	// DefaultSessionID is the sid claim of minted tokens.
	DefaultSessionID = "sess_test_1"
	// DefaultIssuer is the iss claim of minted tokens: the Frontend API URL
	// of a made-up instance (.test is a reserved TLD). DefaultPublishableKey
	// encodes the same host.
	DefaultIssuer = "https://clerk.example.test"
)

// The other defaults of minted tokens, as Clerk sets them.
const (
	defaultSessionStatus   = "active"
	defaultAuthorizedParty = "http://localhost:3000" // the origin of the app that asked for the token
	sessionCategory        = "cl_B7d4PD111AAA"       // the "cat" header Clerk gives session tokens
	sessionLifetime        = 60 * time.Second        // exp minus the time base
	notBeforeSkew          = 10 * time.Second        // Clerk backdates nbf by 10 s
)

// Claim changes one aspect of a minted token: a claim, a header member, or
// the time base. Claims apply in order, so a later Claim overrides an
// earlier one; time claims given as durations are resolved against the
// time base (At) after all Claims have applied, so At may come anywhere.
type Claim func(*token)

// token is a session token under construction.
type token struct {
	now    time.Time
	header map[string]any
	claims map[string]any
}

// relTime is a time claim relative to the time base, resolved at the end.
type relTime time.Duration

// Mint returns a session token signed by k with RS256, shaped exactly like
// a Clerk v2 session token. Without Claims, the header is
// {"alg":"RS256","cat":"cl_B7d4PD111AAA","kid":k.KID,"typ":"JWT"} and the
// payload, relative to the time base (default time.Now()), is
//
//	{"azp":"http://localhost:3000", "exp":now+60s, "fva":[0,-1], "iat":now,
//	 "iss":DefaultIssuer, "nbf":now-10s, "sid":DefaultSessionID,
//	 "sts":"active", "sub":DefaultUserID, "v":2}
//
// Members are in sorted order, as in Clerk's tokens, so a token is a
// deterministic function of its key, Claims and time base. A value Set or
// Header cannot encode as JSON fails t; t may be nil outside a test (an
// Example, a development server), and Mint then panics instead.
func (k *Key) Mint(t testing.TB, opts ...Claim) string {
	if t != nil {
		t.Helper()
	}
	tok, err := k.mint(opts)
	if err != nil {
		if t == nil {
			panic(err)
		}
		t.Fatal(err)
	}
	return tok
}

func (k *Key) mint(opts []Claim) (string, error) {
	tk := &token{
		header: map[string]any{"alg": "RS256", "cat": sessionCategory, "kid": k.KID, "typ": "JWT"},
		claims: map[string]any{
			"azp": defaultAuthorizedParty,
			"exp": relTime(sessionLifetime),
			"fva": [2]int{0, -1},
			"iat": relTime(0),
			"iss": DefaultIssuer,
			"nbf": relTime(-notBeforeSkew),
			"sid": DefaultSessionID,
			"sts": defaultSessionStatus,
			"sub": DefaultUserID,
			"v":   2,
		},
	}
	for _, opt := range opts {
		opt(tk)
	}
	if tk.now.IsZero() {
		tk.now = time.Now()
	}
	for name, v := range tk.claims {
		if d, ok := v.(relTime); ok {
			tk.claims[name] = tk.now.Add(time.Duration(d)).Unix()
		}
	}
	header, err := marshal(tk.header)
	if err != nil {
		return "", fmt.Errorf("ginclerktest: encoding the token header: %w", err)
	}
	payload, err := marshal(tk.claims)
	if err != nil {
		return "", fmt.Errorf("ginclerktest: encoding the token claims: %w", err)
	}
	return k.Sign(header, payload), nil
}

// marshal encodes v as compact JSON with sorted object members and without
// HTML escaping, as JavaScript's JSON.stringify (which Clerk uses) does.
func marshal(v map[string]any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// set records a claim; it is the building block of most Claims.
func set(name string, value any) Claim {
	return func(tk *token) { tk.claims[name] = value }
}

// object returns the claim name as a fresh map to merge members into:
// a copy of the current value when it is an object, else an empty map, so
// that a map a caller passed to Set is never modified.
func (tk *token) object(name string) map[string]any {
	cur, _ := tk.claims[name].(map[string]any)
	m := maps.Clone(cur)
	if m == nil {
		m = map[string]any{}
	}
	tk.claims[name] = m
	return m
}
