package verify

import (
	"slices"
	"strings"

	"github.com/ginclerk/ginclerk/internal/jsonx"
	"github.com/ginclerk/ginclerk/internal/machine"
)

// The audience and scope rules of machine JWTs, and the JSON readings they
// share, as @clerk/backend's M2MToken and IdPOAuthAccessToken read them.

// checkMachineAudience applies the configured audiences: an OAuth token
// must carry an aud containing one of them; an M2M token that carries an
// aud must match too.
func (v *Verifier) checkMachineAudience(kind Kind, raw []byte, aud []string, ok bool) error {
	want := v.cfg.Audiences
	if len(want) == 0 || (kind == KindM2MJWT && raw == nil) {
		return nil
	}
	if !ok || !machine.AudienceMatches(aud, want) {
		return verificationFailed("machine token audience mismatch")
	}
	return nil
}

// sessionAudienceOK applies Clerk's audience rule for session tokens: an
// aud that names audiences (a non-empty string, or a list of strings with
// a non-empty one) must name one of want; a token without one passes.
func sessionAudienceOK(payload []byte, want []string) bool {
	for name, value := range jsonx.Members(payload) {
		if string(name) != "aud" {
			continue
		}
		aud, ok := audienceList(value)
		if !ok || !slices.ContainsFunc(aud, func(a string) bool { return a != "" }) {
			return true
		}
		return slices.ContainsFunc(aud, func(a string) bool { return slices.Contains(want, a) })
	}
	return true
}

// audienceList reads aud as Clerk's [aud].flat(): a string is a list of
// one. ok is false for any other shape (absent included).
func audienceList(raw []byte) ([]string, bool) {
	if s, ok := stringValue(raw); ok {
		return []string{s}, true
	}
	return stringList(raw)
}

// m2mScopes: the space-separated scopes claim, else aud as a list.
func m2mScopes(scopes []byte, aud []string, audOK bool) ([]string, bool) {
	switch {
	case scopes != nil:
		s, ok := stringValue(scopes)
		return strings.Fields(s), ok
	case audOK:
		return aud, true
	}
	return nil, true
}

// oauthScopes: the scp list when present, else the space-separated scope.
func oauthScopes(scp, scope []byte) ([]string, bool) {
	switch {
	case scp != nil:
		return stringList(scp)
	case scope != nil:
		s, ok := stringValue(scope)
		return strings.Fields(s), ok
	}
	return nil, true
}

// stringValue decodes a JSON string value.
func stringValue(raw []byte) (string, bool) {
	if jsonx.KindOf(raw) != jsonx.KindString {
		return "", false
	}
	s, err := jsonx.String(raw)
	return s, err == nil
}

// stringList decodes a JSON array of strings.
func stringList(raw []byte) ([]string, bool) {
	if jsonx.KindOf(raw) != jsonx.KindArray {
		return nil, false
	}
	var list []string
	for elem := range jsonx.Elements(raw) {
		s, ok := stringValue(elem)
		if !ok {
			return nil, false
		}
		list = append(list, s)
	}
	return list, true
}
