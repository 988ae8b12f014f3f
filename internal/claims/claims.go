// Package claims decodes the payload of a Clerk session token into the fields
// ginclerk acts on, interpreting odd input exactly as Clerk's own parser
// (@clerk/shared jwtPayloadParser) does: being more lenient than Clerk would
// grant permissions Clerk denies. It checks claim types only; time, azp, iss
// and token-type checks belong to internal/verify.
package claims

import (
	"unsafe"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/jsonx"
)

// Claims is a decoded session-token payload. Every string and slice field is
// empty (nil) when its claim is absent, unless its doc says otherwise.
type Claims struct {
	Subject         string // sub: always non-empty after a successful Decode
	SessionID       string // sid
	AuthorizedParty string // azp
	Issuer          string // iss
	SessionStatus   string // sts, e.g. "active" or "pending"

	// Expiry is exp in Unix seconds (always present). NotBefore and IssuedAt
	// are nbf and iat, meaningful only when HasNotBefore / HasIssuedAt.
	// Fractions are truncated toward zero.
	Expiry                    int64
	NotBefore, IssuedAt       int64
	HasNotBefore, HasIssuedAt bool

	// Version is 2 when the v claim is the JSON number 2, else 1: it selects
	// which organization claims are read (v1 org_* or v2 o).
	Version int

	// OrgID, OrgRole and OrgSlug describe the active organization. Under v2
	// OrgRole is "org:" + o.rol, exactly as Clerk builds it.
	OrgID, OrgRole, OrgSlug string
	// OrgPermissions is nil when the token says nothing about organization
	// permissions, and empty but non-nil when it carries an organization with
	// no permissions (Clerk makes the same distinction).
	OrgPermissions []string

	// Features and Plans are the well-formed fea and pla lists, in token order,
	// entries with an unknown scope dropped. A malformed list Clerk would not
	// reject the token for is nil, so that every feature or plan check fails,
	// as Clerk's has() does.
	Features, Plans []Entitlement

	// Actor is the raw act object (impersonation), empty when absent; a
	// view of Raw. ActorSubject is its sub.
	Actor        string
	ActorSubject string

	// FVA is fva: minutes since the first and second factor were last
	// verified, -1 meaning that factor is not enabled. Valid only when HasFVA.
	FVA    [2]int
	HasFVA bool

	// Raw is the whole payload JSON as passed to Decode (not copied). The
	// string claims are views of it, so it must never be modified: hand out
	// copies.
	Raw []byte

	// Token is the verified token the payload came from, set by the
	// verifier; it shares Raw's allocation, so a cache keeping both pays for
	// one buffer.
	Token string

	// text is Raw viewed as a string, which the string claims are
	// substrings of (see JSON).
	text string

	// ents and strs are inline room for the lists of a typical token
	// (Features and Plans share ents), so that decoding them allocates
	// nothing; used counts what is taken.
	ents               [8]Entitlement
	strs               [8]string
	entsUsed, strsUsed int
}

// JSON returns the payload as a string: a view of Raw, which nobody can
// write through, so callers may hand it out without a copy.
func (c *Claims) JSON() string { return c.text }

// deferred holds the claims whose meaning depends on other claims (v decides
// between o and org_*), so that one pass over the payload suffices whatever
// the member order.
type deferred struct {
	v, o, fea, pla                   []byte
	orgID, orgRole, orgSlug, orgPerm []byte
}

// MaxDepth is how deep a session-token payload's containers may nest (a
// top-level object is depth 1): Clerk's claims need 3.
const MaxDepth = 16

// Decode validates a session-token payload (see Parse) and decodes it.
// The returned Claims keeps payload as Raw, and its strings and Actor are
// views of it — one copy of the payload in all — so the caller must pass a
// buffer that nobody modifies afterwards.
// Every error is a *clerkerr.Error naming the claim; messages never repeat
// claim values.
func Decode(payload []byte) (*Claims, error) {
	c := new(Claims)
	syntax, claim := c.Parse(payload)
	if syntax != nil {
		return nil, clerkerr.Wrap(clerkerr.TokenInvalid, syntax, "session token payload is not valid JSON")
	}
	if claim != nil {
		return nil, claim
	}
	return c, nil
}

// Parse validates payload under jsonx.Validate's rules (MaxDepth deep)
// and decodes it into c, which must be the zero Claims, in the same pass: a
// caller that keeps the claims inside a larger allocation (a cache entry)
// decodes them in place. syntax is the validation's verdict, a jsonx error;
// claim, the decoding's, is a *clerkerr.Error with reason token-invalid or
// token-verification-failed, and means something only when syntax is nil.
// They are apart so that a caller can report them at different times: the
// verifier refuses bad JSON at once, but a bad claim only once the
// signature holds. Unless both are nil, c is partly filled and unusable.
func (c *Claims) Parse(payload []byte) (syntax, claim error) {
	c.Raw, c.Version, c.text = payload, 1, unsafe.String(unsafe.SliceData(payload), len(payload))
	var d deferred
	var hasSub, hasExp bool
	syntax = jsonx.ValidateMembers(payload, MaxDepth, func(key, val []byte) bool {
		claim = c.member(key, val, &d, &hasSub, &hasExp)
		return claim == nil
	})
	switch {
	case syntax != nil || claim != nil:
		return syntax, claim
	case jsonx.KindOf(payload) != jsonx.KindObject:
		return nil, invalid("session token payload is not a JSON object")
	case !hasSub:
		return nil, verificationFailed(`session token claim "sub" is required and must be a string`)
	case c.Subject == "":
		return nil, invalid(`session token claim "sub" must be a non-empty string`)
	case !hasExp:
		return nil, verificationFailed(`session token claim "exp" is required and must be a number`)
	}
	if err := c.decodeOrg(&d); err != nil {
		return nil, err
	}
	c.Plans = c.lenientEntitlements(d.pla)
	return nil, nil
}

// member decodes one member of the payload, or keeps it in d when its
// meaning depends on others.
func (c *Claims) member(key, val []byte, d *deferred, hasSub, hasExp *bool) (err error) {
	switch string(key) {
	case "sub":
		// Absent and non-string sub are one case to Clerk.
		if *hasSub = jsonx.KindOf(val) == jsonx.KindString; *hasSub {
			c.Subject, err = c.str("sub", val)
		}
	case "exp":
		*hasExp = true
		c.Expiry, err = numberClaim("exp", val)
	case "nbf":
		c.HasNotBefore = true
		c.NotBefore, err = numberClaim("nbf", val)
	case "iat":
		c.HasIssuedAt = true
		c.IssuedAt, err = numberClaim("iat", val)
	case "sid":
		c.SessionID, err = c.str("sid", val)
	case "azp":
		c.AuthorizedParty, err = c.str("azp", val)
	case "iss":
		c.Issuer, err = c.str("iss", val)
	case "sts":
		c.SessionStatus, err = c.str("sts", val)
	case "act":
		err = c.decodeActor(val)
	case "fva":
		err = c.decodeFVA(val)
	case "v":
		d.v = val
	case "o":
		d.o = val
	case "fea":
		d.fea = val
	case "pla":
		d.pla = val
	case "org_id":
		d.orgID = val
	case "org_role":
		d.orgRole = val
	case "org_slug":
		d.orgSlug = val
	case "org_permissions":
		d.orgPerm = val
	}
	return err
}

// decodeOrg applies the v1 or v2 organization rules and decodes fea, whose
// well-formedness matters only where Clerk's parser reads it (v2 with o).
func (c *Claims) decodeOrg(d *deferred) error {
	if isNumberTwo(d.v) {
		c.Version = 2
		if d.o != nil && !falsy(d.o) {
			return c.decodeOrgV2(d.o, d.fea)
		}
		c.Features = c.lenientEntitlements(d.fea)
		return nil
	}
	c.Features = c.lenientEntitlements(d.fea)
	return c.decodeOrgV1(d)
}

// verificationFailed returns the error @clerk/backend gives a registered
// claim of the wrong type or a missing sub or exp: token-verification-failed.
func verificationFailed(message string) error {
	return clerkerr.New(clerkerr.TokenVerificationFailed, "%s", message)
}

// invalid returns a token-invalid error.
func invalid(format string, args ...any) error {
	return clerkerr.New(clerkerr.TokenInvalid, format, args...)
}
