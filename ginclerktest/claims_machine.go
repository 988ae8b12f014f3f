package ginclerktest

import "strings"

// m2mCategory is the "cat" header Clerk gives M2M JWTs.
const m2mCategory = "cl_B7d4PD333AAA"

// sessionOnly are the claims of a session token that machine tokens lack.
var sessionOnly = []string{"azp", "fva", "sid", "sts", "v"}

// M2M makes the token an M2M JWT as Clerk issues them: header cat
// cl_B7d4PD333AAA (Clerk's M2M category), sub machineID (Clerk's start with "mch_"), a random jti
// "mt_…", and scopes as a space-separated "scopes" claim (absent when none
// are given); the session claims azp, fva, sid, sts and v are removed.
// Later Claims may change any of it, e.g. Header("cat", …) or
// Set("aud", …).
func M2M(machineID string, scopes ...string) Claim {
	jti := m2mPrefix + randomHex(12)
	return func(tk *token) {
		tk.header["cat"] = m2mCategory
		tk.machine(jti, "scopes", scopes)
		tk.claims["sub"] = machineID
	}
}

// OAuth makes the token an OAuth access-token JWT (RFC 9068) as Clerk
// issues them: header typ "at+jwt" and no cat, client_id clientID, a random
// jti "oat_…", and scopes as the space-separated "scope" claim (absent when
// none are given; use Set("scp", []string{…}) for the list form Clerk
// prefers when present); the session claims azp, fva, sid, sts and v are
// removed and sub stays the user. Combine with Audience.
func OAuth(clientID string, scopes ...string) Claim {
	jti := oauthPrefix + randomHex(12)
	return func(tk *token) {
		tk.header["typ"] = "at+jwt"
		delete(tk.header, "cat")
		tk.machine(jti, "scope", scopes)
		tk.claims["client_id"] = clientID
	}
}

// machine turns a session token into a machine token: no session claims,
// the given jti, and scopes space-separated in the claim scopeClaim (absent
// when there are none).
func (tk *token) machine(jti, scopeClaim string, scopes []string) {
	for _, name := range sessionOnly {
		delete(tk.claims, name)
	}
	tk.claims["jti"] = jti
	if len(scopes) > 0 {
		tk.claims[scopeClaim] = strings.Join(scopes, " ")
	}
}

// Audience sets aud: a string for one audience, a list for several (both
// forms occur), and no aud at all for none. Default: absent.
func Audience(aud ...string) Claim {
	return func(tk *token) {
		switch len(aud) {
		case 0:
			delete(tk.claims, "aud")
		case 1:
			tk.claims["aud"] = aud[0]
		default:
			tk.claims["aud"] = append([]string{}, aud...)
		}
	}
}
