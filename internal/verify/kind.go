package verify

import (
	"bytes"
	"strings"

	"github.com/ginclerk/ginclerk/internal/jsonx"
)

// Kind is the class of a credential, read from its unverified form as
// @clerk/backend reads it (tokens/machine.ts, tokens/jwtCategories.ts).
// Being unverified, a Kind only ever justifies a refusal — a credential of
// the wrong kind is refused without fetching a key or calling Clerk — never
// an acceptance: a credential of the right kind must still be verified.
type Kind uint8

// The kinds, in the order Clerk tells them apart.
const (
	// KindMalformed is neither an opaque machine credential nor a JWT whose
	// header and payload decode to JSON objects.
	KindMalformed Kind = iota
	// KindSession is a JWT with no mark of another class: a session token,
	// if it verifies.
	KindSession
	// KindNonSessionJWT is a JWT whose header cat names a class other than
	// session tokens (a JWT template; the class tags of machine tokens).
	KindNonSessionJWT
	// KindM2MJWT is a JWT whose sub starts "mch_": an M2M token in JWT form.
	KindM2MJWT
	// KindOAuthJWT is a JWT whose header typ is exactly "at+jwt" or
	// "application/at+jwt" (RFC 9068): an OAuth access token in JWT form.
	KindOAuthJWT
	// KindM2MToken is an opaque M2M token ("mt_…").
	KindM2MToken
	// KindOAuthToken is an opaque OAuth access token ("oat_…").
	KindOAuthToken
	// KindAPIKey is an opaque API key ("ak_…").
	KindAPIKey
)

// Machine-credential markers, as Clerk spells them.
const (
	prefixM2MToken   = "mt_"
	prefixOAuthToken = "oat_"
	prefixAPIKey     = "ak_"
	subjectM2M       = "mch_"
)

// Clerk's token categories (the header's cat). Session tokens carry the
// session category, or the "ignore" one on instances that stamp every class
// alike; any other cat — JWT templates, M2M tokens, unknown future classes —
// marks a token that is not a session. An absent cat predates categories.
const (
	catSession = "cl_B7d4PD111AAA"
	catIgnore  = "cl_I7d4PD111III"
)

var kindNames = [...]string{
	KindMalformed:     "malformed",
	KindSession:       "session_token",
	KindNonSessionJWT: "non_session_jwt",
	KindM2MJWT:        "m2m_token",
	KindOAuthJWT:      "oauth_token",
	KindM2MToken:      "m2m_token",
	KindOAuthToken:    "oauth_token",
	KindAPIKey:        "api_key",
}

// String returns Clerk's token type for the kind ("session_token",
// "api_key", "m2m_token", "oauth_token"), or "malformed" /
// "non_session_jwt" for the two kinds Clerk has no type for.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// IsMachine reports whether k is one of Clerk's machine token types (API
// key, M2M token, OAuth access token), opaque or JWT.
func (k Kind) IsMachine() bool { return k >= KindM2MJWT }

// KindOf classifies token without verifying anything, in Clerk's order: an
// M2M token (prefix "mt_" or sub "mch_"), then an OAuth access token (prefix
// "oat_" or typ at+jwt), then an API key (prefix "ak_"), then a JWT of
// another class (cat), else a session token if it decodes as a JWT at all.
// Its decoding is as strict as verification's, so that no token is one kind
// here and another there.
func KindOf(token string) Kind {
	jwt := KindMalformed
	if seg, err := split(token); err == nil {
		if h, err := parseHeader(seg.header); err == nil {
			if payload, err := decodePayload(seg.payload); err == nil {
				jwt = kindOfJWT(&h, payload)
			}
		}
	}
	switch {
	case strings.HasPrefix(token, prefixM2MToken) || jwt == KindM2MJWT:
		return KindM2MToken.jwtOr(jwt)
	case strings.HasPrefix(token, prefixOAuthToken) || jwt == KindOAuthJWT:
		return KindOAuthToken.jwtOr(jwt)
	case strings.HasPrefix(token, prefixAPIKey):
		return KindAPIKey
	}
	return jwt
}

// jwtOr returns the JWT form of the opaque kind k when the token decoded as
// a JWT of that very kind, else k.
func (k Kind) jwtOr(jwt Kind) Kind {
	switch {
	case k == KindM2MToken && jwt == KindM2MJWT:
		return KindM2MJWT
	case k == KindOAuthToken && jwt == KindOAuthJWT:
		return KindOAuthJWT
	}
	return k
}

// kindOfJWT classifies a JWT from its decoded header and its payload, a JSON
// object jsonx.Validate accepted. It allocates nothing for Clerk's tokens.
func kindOfJWT(h *header, payload []byte) Kind {
	return h.kind(hasM2MSubject(payload))
}

// kind classifies a JWT with this header whose sub does (m2m) or does not
// start with "mch_".
func (h *header) kind(m2m bool) Kind {
	switch {
	case m2m:
		return KindM2MJWT
	case h.oauthTyp:
		return KindOAuthJWT
	case h.foreignCat:
		return KindNonSessionJWT
	}
	return KindSession
}

// hasM2MSubject reports whether payload's sub is a string starting with
// "mch_".
func hasM2MSubject(payload []byte) bool {
	if mayHoldM2MSubject(payload) {
		for name, value := range jsonx.Members(payload) {
			if string(name) == "sub" {
				return stringHasPrefix(value, subjectM2M)
			}
		}
	}
	return false
}

// mayHoldM2MSubject reports whether payload may have a machine subject. A
// sub starting with "mch_" is spelled in the JSON either literally or with
// an escape, so a payload holding neither "mch_" nor a backslash has none:
// that spares a session token, on its first sight, a walk over its members.
func mayHoldM2MSubject(payload []byte) bool {
	return bytes.IndexByte(payload, '\\') >= 0 || bytes.Contains(payload, []byte(subjectM2M))
}

// stringIs reports whether raw is a JSON string equal to s. Only a raw
// value with an escape is decoded: Clerk compares decoded strings.
func stringIs(raw []byte, s string) bool {
	if bytes.IndexByte(raw, '\\') < 0 {
		return len(raw) == len(s)+2 && raw[0] == '"' && string(raw[1:len(raw)-1]) == s
	}
	v, err := jsonx.String(raw)
	return err == nil && v == s
}

// stringHasPrefix reports whether raw is a JSON string starting with prefix.
func stringHasPrefix(raw []byte, prefix string) bool {
	if jsonx.KindOf(raw) != jsonx.KindString {
		return false
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return len(raw) >= len(prefix)+2 && string(raw[1:1+len(prefix)]) == prefix
	}
	v, err := jsonx.String(raw)
	return err == nil && strings.HasPrefix(v, prefix)
}
