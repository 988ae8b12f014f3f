package verify

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/jsonx"
)

// maxKidBytes bounds the kid: it is only a lookup key, and Clerk's are ~30
// bytes ("ins_…").
const maxKidBytes = 256

// headerBufs recycles the buffers headers are decoded into. A stack buffer
// would not stay on the stack: jsonx.Members hands slices of it to an
// opaque yield function, so escape analysis moves it to the heap — 2 KiB
// per request. The header is never retained, so a pooled buffer is safe.
var headerBufs = sync.Pool{New: func() any { return new([maxHeaderBytes]byte) }}

// lastKid interns the most recent kid: an instance sees one or two kids,
// so this saves decoding (and allocating) the same string on every token.
var lastKid atomic.Pointer[string]

// lastHeader remembers the most recent good header. Every token of a Clerk
// instance carries the same encoded header, and the parsed header is a
// function of those bytes alone, so a token whose header equals it skips
// the decoding and validation.
var lastHeader atomic.Pointer[parsedHeader]

// parsedHeader is a header and the encoded form it was parsed from (a copy:
// never a view of a caller's token).
type parsedHeader struct {
	encoded string
	h       header
}

// parseHeader decodes the JOSE header. Only an undecodable header is an
// error here; what is wrong with its members is recorded for check, which
// runs after the kind check, so that a token of another kind is refused as
// such whatever its alg, as Clerk refuses it. It allocates nothing for
// Clerk's headers: the last good one is remembered (lastHeader), and
// another is decoded in a pooled buffer, with kid interned and typ and cat
// compared in their raw form.
func parseHeader(encoded string) (header, error) {
	if p := lastHeader.Load(); p != nil && p.encoded == encoded {
		return p.h, nil
	}
	h, err := decodeHeader(encoded)
	if err == nil && h.check() == nil {
		lastHeader.Store(&parsedHeader{encoded: strings.Clone(encoded), h: h})
	}
	return h, err
}

// decodeHeader is parseHeader without the memory of the last header.
func decodeHeader(encoded string) (header, error) {
	if len(encoded) > maxHeaderBytes {
		return header{}, clerkerr.New(clerkerr.TokenInvalid, "session token header is larger than %d bytes", maxHeaderBytes)
	}
	buf := headerBufs.Get().(*[maxHeaderBytes]byte)
	defer headerBufs.Put(buf)
	n, err := b64.Decode(buf[:], bytesOf(encoded))
	if err != nil {
		return header{}, clerkerr.New(clerkerr.TokenInvalid, "session token header is not canonical base64url")
	}
	raw := buf[:n]
	if err := jsonx.Validate(raw, maxHeaderDepth); err != nil || jsonx.KindOf(raw) != jsonx.KindObject {
		return header{}, clerkerr.New(clerkerr.TokenInvalid, "session token header is not a valid JSON object")
	}
	h := header{typOK: true}
	for name, value := range jsonx.Members(raw) {
		switch string(name) {
		case "alg":
			// Compare the raw token: the only accepted value has no escapes,
			// and an escaped spelling of RS256 is not worth a decode.
			h.algOK = string(value) == `"RS256"`
		case "typ":
			h.typOK = string(value) == `"JWT"`
			h.oauthTyp = stringIs(value, "at+jwt") || stringIs(value, "application/at+jwt")
		case "kid":
			if jsonx.KindOf(value) != jsonx.KindString || len(value) > maxKidBytes+2 {
				h.err = errKid
			} else if h.kid, err = internKid(value); err != nil {
				h.err = errKid
			}
		case "cat":
			h.foreignCat = !stringIs(value, catSession) && !stringIs(value, catIgnore)
			h.catPresent, h.catM2M = true, stringIs(value, catM2M)
		case "crit":
			// RFC 7515 §4.1.11: a recipient must reject critical extensions
			// it does not understand, and ginclerk understands none.
			h.err = errCrit
		}
	}
	return h, nil
}

// check reports what is wrong with the header, in Clerk's order: typ, then
// alg; then ginclerk's own rules on crit and kid.
func (h *header) check() error {
	switch {
	case !h.typOK:
		return clerkerr.New(clerkerr.TokenInvalid, "session token header typ must be JWT")
	case !h.algOK:
		return clerkerr.New(clerkerr.TokenInvalidAlgorithm, "session token is not signed with RS256, the only algorithm Clerk uses for session tokens")
	}
	return h.err
}

var (
	errKid  = clerkerr.New(clerkerr.TokenInvalid, "session token header kid must be a short string")
	errCrit = clerkerr.New(clerkerr.TokenInvalid, "session token header has critical extensions")
)

// internKid returns the kid of the raw JSON string value, reusing the last
// kid's string when it is the same.
func internKid(value []byte) (string, error) {
	// Only kids without a backslash are interned, so raw bytes equal to one
	// contain no escape and are that very string.
	if p := lastKid.Load(); p != nil && len(value) == len(*p)+2 && string(value[1:len(value)-1]) == *p {
		return *p, nil
	}
	kid, err := jsonx.String(value)
	if err == nil && strings.IndexByte(kid, '\\') < 0 {
		lastKid.Store(&kid)
	}
	return kid, err
}
