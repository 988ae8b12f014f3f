package verify

import (
	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/jsonx"
)

// maxKidBytes bounds the kid: it is only a lookup key, and Clerk's are ~30
// bytes ("ins_…").
const maxKidBytes = 256

// parseHeader decodes and checks the JOSE header into a stack buffer: the
// header is never retained, so it costs no allocation.
func parseHeader(encoded string) (header, error) {
	var buf [maxHeaderBytes]byte
	if len(encoded) > maxHeaderBytes {
		return header{}, clerkerr.New(clerkerr.TokenInvalid, "session token header is larger than %d bytes", maxHeaderBytes)
	}
	n, err := b64.Decode(buf[:], bytesOf(encoded))
	if err != nil {
		return header{}, clerkerr.New(clerkerr.TokenInvalid, "session token header is not canonical base64url")
	}
	raw := buf[:n]
	if err := jsonx.Validate(raw, maxHeaderDepth); err != nil || jsonx.KindOf(raw) != jsonx.KindObject {
		return header{}, clerkerr.New(clerkerr.TokenInvalid, "session token header is not a valid JSON object")
	}
	var h header
	var sawAlg bool
	for name, value := range jsonx.Members(raw) {
		switch string(name) {
		case "alg":
			// Compare the raw token: the only accepted value has no escapes,
			// and an escaped spelling of RS256 is not worth a decode.
			if string(value) != `"RS256"` {
				return header{}, clerkerr.New(clerkerr.TokenInvalidAlgorithm, "session token is not signed with RS256, the only algorithm Clerk uses for session tokens")
			}
			sawAlg = true
		case "typ":
			if string(value) != `"JWT"` {
				return header{}, clerkerr.New(clerkerr.TokenInvalid, "session token header typ must be JWT")
			}
		case "kid":
			if jsonx.KindOf(value) != jsonx.KindString || len(value) > maxKidBytes+2 {
				return header{}, clerkerr.New(clerkerr.TokenInvalid, "session token header kid must be a short string")
			}
			h.kid, err = jsonx.String(value)
		case "cat":
			h.cat, err = jsonx.String(value)
		case "crit":
			// RFC 7515 §4.1.11: a recipient must reject critical extensions
			// it does not understand, and ginclerk understands none.
			return header{}, clerkerr.New(clerkerr.TokenInvalid, "session token header has critical extensions")
		}
		if err != nil {
			return header{}, clerkerr.Wrap(clerkerr.TokenInvalid, err, "session token header has a malformed member")
		}
	}
	if !sawAlg {
		return header{}, clerkerr.New(clerkerr.TokenInvalidAlgorithm, "session token header has no alg")
	}
	return h, nil
}
