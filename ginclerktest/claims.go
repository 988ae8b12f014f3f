package ginclerktest

import "time"

// At sets the time base of the token: iat, and the defaults of exp and nbf,
// are computed from it. Default: time.Now() when the token is minted. Use it
// with ginclerk.WithClock for deterministic tests.
func At(now time.Time) Claim { return func(tk *token) { tk.now = now } }

// Subject sets sub, the user ID. Default: DefaultUserID.
func Subject(sub string) Claim { return set("sub", sub) }

// SessionID sets sid. Default: DefaultSessionID.
func SessionID(sid string) Claim { return set("sid", sid) }

// SessionStatus sets sts, e.g. "pending". Default: "active".
func SessionStatus(sts string) Claim { return set("sts", sts) }

// AuthorizedParty sets azp, the origin that requested the token. Default:
// "http://localhost:3000".
func AuthorizedParty(azp string) Claim { return set("azp", azp) }

// Issuer sets iss. Default: DefaultIssuer.
func Issuer(iss string) Claim { return set("iss", iss) }

// Version sets v, the claims version: 2 (the default) selects Clerk's
// compact organization claims (o, fea, pla); use Without("v") for a v1
// token, as Clerk's older tokens have no v.
func Version(v int) Claim { return set("v", v) }

// ExpiresIn sets exp to the time base (At, default the time of minting) plus
// d; a negative d mints an expired token. Default: 60 s.
func ExpiresIn(d time.Duration) Claim { return set("exp", relTime(d)) }

// IssuedAt sets iat to t. Default: the time base.
func IssuedAt(t time.Time) Claim { return set("iat", t.Unix()) }

// NotBefore sets nbf to t. Default: the time base minus 10 s.
func NotBefore(t time.Time) Claim { return set("nbf", t.Unix()) }

// FVA sets fva, the factor verification age: minutes since the first and
// the second factor were verified, -1 for a factor that is not enabled.
// Default: [0, -1].
func FVA(first, second int) Claim { return set("fva", [2]int{first, second}) }

// Actor sets act, the impersonation claim: {"sub": sub} plus the members of
// extra (which may override sub). Default: absent.
func Actor(sub string, extra map[string]any) Claim {
	return func(tk *token) {
		act := map[string]any{"sub": sub}
		for name, v := range extra {
			act[name] = v
		}
		tk.claims["act"] = act
	}
}

// Set sets the claim name to value, encoded with encoding/json — for custom
// claims from session-token customization, and for malformed values in
// negative tests (Set("exp", "1700000000"), Set("fea", 42)). A
// json.RawMessage is embedded as is (it must be valid JSON); for invalid
// JSON, sign hand-made bytes with Key.Sign. A value that cannot be encoded
// fails Mint.
func Set(name string, value any) Claim { return set(name, value) }

// Without deletes claims, including defaults: Without("sid") mints a token
// that is not a session token, Without("exp") one that never expires.
func Without(names ...string) Claim {
	return func(tk *token) {
		for _, name := range names {
			delete(tk.claims, name)
		}
	}
}

// Header sets the member name of the JOSE header to value (encoded with
// encoding/json), for tests of header checks: Header("alg", "none"),
// Header("typ", "at+jwt"), Header("kid", "unknown"). The signature is still
// RS256 by the key, whatever alg says.
func Header(name string, value any) Claim {
	return func(tk *token) { tk.header[name] = value }
}

// WithoutHeader deletes members of the JOSE header, e.g. WithoutHeader("kid").
func WithoutHeader(names ...string) Claim {
	return func(tk *token) {
		for _, name := range names {
			delete(tk.header, name)
		}
	}
}
