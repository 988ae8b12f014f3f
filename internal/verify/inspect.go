package verify

import (
	"strconv"
	"unsafe"

	"github.com/ginclerk/ginclerk/internal/jsonx"
)

// Unverified is what a request's routing reads from a token before verifying
// it, as @clerk/backend reads it with decodeJwt: which of two cookies to
// trust, whether a cookie predates the client's last sign-in. Nothing in it
// is trusted; it may only decide a refusal or which token to verify.
type Unverified struct {
	// Kind is the token's kind as a JWT (KindSession, KindNonSessionJWT,
	// KindM2MJWT or KindOAuthJWT): cookies carry no opaque credentials.
	Kind Kind
	// Issuer is iss when it is a string. IssuerTruthy is whether iss is
	// present and truthy in JavaScript's sense, the test Clerk applies.
	Issuer       string
	IssuerTruthy bool
	// IssuedAt and Expiry are iat and exp when they are JSON numbers.
	IssuedAt, Expiry       float64
	HasIssuedAt, HasExpiry bool
}

// Inspect decodes token's header and payload without verifying anything. Its
// error is the one Verify would give for the same undecodable token
// (token-invalid). It allocates the payload once; Issuer aliases it.
func Inspect(token string) (Unverified, error) {
	seg, err := split(token)
	if err != nil {
		return Unverified{}, err
	}
	h, err := parseHeader(seg.header)
	if err != nil {
		return Unverified{}, err
	}
	payload, err := decodePayload(seg.payload)
	if err != nil {
		return Unverified{}, err
	}
	u := Unverified{Kind: kindOfJWT(&h, payload)}
	for name, value := range jsonx.Members(payload) {
		switch string(name) {
		case "iss":
			u.IssuerTruthy = truthy(value)
			if jsonx.KindOf(value) == jsonx.KindString {
				u.Issuer = stringView(value)
			}
		case "iat":
			u.IssuedAt, u.HasIssuedAt = jsonNumber(value)
		case "exp":
			u.Expiry, u.HasExpiry = jsonNumber(value)
		}
	}
	return u, nil
}

// stringView returns the JSON string value raw as a string, aliasing raw
// when it has no escapes.
func stringView(raw []byte) string {
	for _, c := range raw {
		if c == '\\' {
			s, _ := jsonx.String(raw)
			return s
		}
	}
	inner := raw[1 : len(raw)-1]
	return unsafe.String(unsafe.SliceData(inner), len(inner))
}

// jsonNumber returns a JSON number's value.
func jsonNumber(raw []byte) (float64, bool) {
	if jsonx.KindOf(raw) != jsonx.KindNumber {
		return 0, false
	}
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(raw), len(raw)), 64)
	return f, err == nil
}

// truthy is JavaScript's truthiness of a JSON value: false for null, false,
// 0 and "", true for everything else (objects and arrays included).
func truthy(raw []byte) bool {
	switch jsonx.KindOf(raw) {
	case jsonx.KindNull:
		return false
	case jsonx.KindBool:
		return string(raw) == "true"
	case jsonx.KindString:
		return len(raw) > 2
	case jsonx.KindNumber:
		f, ok := jsonNumber(raw)
		return ok && f != 0
	}
	return true
}
