package verify

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/jsonx"
)

// catM2M is the header cat Clerk gives M2M JWTs.
const catM2M = "cl_B7d4PD333AAA"

// MachineClaims is what a verified machine JWT says, in the shape of
// Clerk's M2MToken and IdPOAuthAccessToken resources.
type MachineClaims struct {
	// Kind is KindM2MJWT or KindOAuthJWT.
	Kind Kind
	// ID is the jti claim.
	ID string
	// Subject is sub: the machine (mch_…) or the user (user_…).
	Subject string
	// ClientID is an OAuth token's client_id.
	ClientID string
	// Scopes are an M2M token's scopes (space-separated) or else its aud,
	// and an OAuth token's scp (a list) or else its scope (space-separated).
	Scopes []string
	// Claims are an M2M token's custom claims — every claim but iss, sub,
	// exp, nbf, iat and jti — as a JSON object; empty when there are none.
	Claims string
}

// VerifyMachine verifies an M2M or OAuth access-token JWT of kind want
// (KindM2MJWT or KindOAuthJWT) with the session keys, RS256 and the clock
// skew, as @clerk/backend's verifyMachineJwt does. An M2M JWT with a cat
// header other than Clerk's M2M category is token-invalid; one without a
// cat is accepted, as Clerk accepts it while M2M JWTs minted before
// categories are still in circulation. Every other failure is
// token-verification-failed, except when the keys themselves cannot be had:
// those keep the reasons a session would get (jwk-remote-failed-to-load,
// secret-key-invalid, jwk-failed-to-resolve), since they are our outage or
// misconfiguration, not the client's fault.
func (v *Verifier) VerifyMachine(ctx context.Context, token string, want Kind) (*MachineClaims, error) {
	seg, err := split(token)
	if err != nil {
		return nil, machineFailed(err)
	}
	h, err := parseHeader(seg.header)
	if err != nil {
		return nil, machineFailed(err)
	}
	payload, err := decodePayload(seg.payload)
	if err != nil {
		return nil, machineFailed(err)
	}
	if kind := kindOfJWT(&h, payload); kind != want {
		return nil, wrongKind(kind)
	}
	if want == KindM2MJWT && h.catPresent && !h.catM2M {
		return nil, clerkerr.New(clerkerr.TokenInvalid, "M2M token has a cat header that is not Clerk's M2M category")
	}
	switch {
	case !h.algOK:
		return nil, verificationFailed("machine token is not signed with RS256")
	case want == KindM2MJWT && !h.typOK:
		return nil, verificationFailed("M2M token header typ must be JWT")
	case h.err != nil:
		return nil, machineFailed(h.err)
	}
	key, err := v.cfg.Keys.Key(ctx, h.kid)
	if err != nil {
		return nil, keyFailed(err)
	}
	if err := verifySignature(key, token[:seg.signedLen], seg.signature); err != nil {
		return nil, verificationFailed("machine token signature is invalid")
	}
	return v.machineClaims(payload, want, v.cfg.Now())
}

// machineClaims decodes and checks the claims of a machine JWT whose
// signature verified.
func (v *Verifier) machineClaims(payload []byte, kind Kind, now time.Time) (*MachineClaims, error) {
	m := &MachineClaims{Kind: kind}
	var exp, nbf, iat, aud, scopes, scp, scope []byte
	custom := make([]byte, 0, len(payload))
	for name, value := range jsonx.Members(payload) {
		switch string(name) {
		case "sub":
			m.Subject, _ = stringValue(value)
			continue
		case "jti":
			m.ID, _ = stringValue(value)
			continue
		case "exp":
			exp = value
			continue
		case "nbf":
			nbf = value
			continue
		case "iat":
			iat = value
			continue
		case "iss":
			continue
		case "aud":
			aud = value
		case "scopes":
			scopes = value
		case "scp":
			scp = value
		case "scope":
			scope = value
		case "client_id":
			m.ClientID, _ = stringValue(value)
		}
		// Custom claims are every claim but the six registered ones above.
		custom = appendMember(custom, name, value)
	}
	if err := v.checkMachineTimes(exp, nbf, iat, now); err != nil {
		return nil, err
	}
	if m.Subject == "" {
		return nil, verificationFailed("machine token has no sub")
	}
	audience, audOK := audienceList(aud)
	if err := v.checkMachineAudience(kind, aud, audience, audOK); err != nil {
		return nil, err
	}
	var ok bool
	if kind == KindM2MJWT {
		m.Scopes, ok = m2mScopes(scopes, audience, audOK)
		if len(custom) > 0 {
			m.Claims = "{" + string(custom) + "}"
		}
	} else {
		m.Scopes, ok = oauthScopes(scp, scope)
	}
	if !ok {
		return nil, verificationFailed("machine token scopes are not strings")
	}
	return m, nil
}

// appendMember appends "name":value to a JSON object's members. name is
// unescaped (as jsonx.Members yields it), so it is encoded again unless it
// needs no escape — Clerk's claim names never do.
func appendMember(dst, name, value []byte) []byte {
	if len(dst) > 0 {
		dst = append(dst, ',')
	}
	if plainName(name) {
		dst = append(dst, '"')
		dst = append(dst, name...)
		dst = append(dst, '"')
	} else {
		encoded, _ := json.Marshal(string(name)) // a string always encodes
		dst = append(dst, encoded...)
	}
	dst = append(dst, ':')
	return append(dst, value...)
}

// plainName reports whether name can be written between quotes as is:
// printable ASCII other than the quote and the backslash.
func plainName(name []byte) bool {
	for _, c := range name {
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// checkMachineTimes applies exp (required), nbf and iat with the skew.
func (v *Verifier) checkMachineTimes(exp, nbf, iat []byte, now time.Time) error {
	skew := v.cfg.Skew
	e, ok := jsonNumber(exp)
	if !ok {
		return verificationFailed("machine token exp is missing or not a number")
	}
	if !unixFloat(e).After(now.Add(-skew)) {
		return verificationFailed("machine token has expired")
	}
	for _, c := range [...]struct {
		raw  []byte
		what string
	}{{nbf, "is not active yet"}, {iat, "was issued in the future"}} {
		if c.raw == nil {
			continue
		}
		t, ok := jsonNumber(c.raw)
		if !ok {
			return verificationFailed("machine token nbf or iat is not a number")
		}
		if unixFloat(t).After(now.Add(skew)) {
			return verificationFailed("machine token " + c.what)
		}
	}
	return nil
}

// unixFloat is a NumericDate as a time, clamped far beyond any real date so
// that a huge number cannot overflow the conversion.
func unixFloat(f float64) time.Time {
	const limit = 1 << 40
	return time.Unix(int64(max(min(f, limit), -limit)), 0)
}

// keyFailed keeps the reasons that say the keys could not be had (our
// outage or configuration); any other key failure (an unknown kid) is the
// token's.
func keyFailed(err error) error {
	var ce *clerkerr.Error
	if errors.As(err, &ce) {
		switch ce.Reason {
		case clerkerr.JWKRemoteFailedToLoad, clerkerr.SecretKeyInvalid, clerkerr.JWKFailedToResolve:
			return err
		}
	}
	return machineFailed(err)
}

// machineFailed turns any failure into token-verification-failed, keeping
// its message.
func machineFailed(err error) error {
	var ce *clerkerr.Error
	if errors.As(err, &ce) {
		return clerkerr.Wrap(clerkerr.TokenVerificationFailed, err, "machine token rejected: %s", ce.Message)
	}
	return clerkerr.Wrap(clerkerr.TokenVerificationFailed, err, "machine token verification failed")
}

func verificationFailed(message string) error {
	return clerkerr.New(clerkerr.TokenVerificationFailed, "%s", message)
}
