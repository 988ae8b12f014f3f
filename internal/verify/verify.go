// Package verify checks a Clerk session token in @clerk/backend's order:
// shape and decoding, the token's kind (session or not, from the unverified
// header and payload, before any key is fetched), header, key, RS256
// signature, then claims — the signature before any claim, so a forged token
// learns nothing about why its claims would have failed. KindOf classifies
// any credential (session, machine, malformed) the same way.
package verify

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/ginclerk/ginclerk/internal/claims"
	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/jsonx"
	"github.com/ginclerk/ginclerk/internal/keys"
)

// Bounds applied before any decoding. Clerk session tokens are about 1 KiB;
// anything near these limits is an attack or a mistake.
const (
	MaxTokenBytes   = 16 << 10
	maxHeaderBytes  = 2 << 10 // encoded header segment
	maxSigBytes     = 2048    // an RSA-16384 signature, the largest key internal/keys accepts
	maxHeaderDepth  = 4
	maxPayloadDepth = claims.MaxDepth
)

// b64 is the only encoding a JWS compact serialization may use: unpadded
// base64url, with canonical (zero) trailing bits.
var b64 = base64.RawURLEncoding.Strict()

// Config is what a Verifier checks against. The zero value of each optional
// field disables that check.
type Config struct {
	Keys              keys.Source
	Now               func() time.Time
	Skew              time.Duration
	AuthorizedParties []string
	// Issuer, when non-empty, is the exact iss every token must carry.
	Issuer string
	// Audiences, when non-empty, are the audiences a token's aud must name
	// one of: always for OAuth access tokens, and for session and M2M
	// tokens when they carry an aud at all.
	Audiences []string
}

// Verifier verifies session tokens. It is safe for concurrent use.
type Verifier struct {
	cfg Config
}

// New returns a Verifier for cfg.
func New(cfg Config) *Verifier {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Verifier{cfg: cfg}
}

// Config returns the configuration v was built with, so that a variant
// (another key source, in tests) can be built from it.
func (v *Verifier) Config() Config { return v.cfg }

// Verify checks token and returns its claims. Every error is a
// *clerkerr.Error carrying Clerk's reason code.
//
// The claims are for this one use: c.Token is token itself rather than
// the copy a cached verdict keeps (see VerifySignatureInto), which spares
// an uncached verification a copy of the whole token.
func (v *Verifier) Verify(ctx context.Context, token string) (*claims.Claims, error) {
	c := new(claims.Claims)
	if err := v.verifyInto(ctx, token, c, false); err != nil {
		return nil, err
	}
	if err := v.CheckClaims(c); err != nil {
		return nil, err
	}
	return c, nil
}

// VerifySignature checks everything that does not depend on the clock:
// shape, header, signature, claim types and token type. Its result can be
// cached for the token's lifetime; CheckClaims must still run on each use.
func (v *Verifier) VerifySignature(ctx context.Context, token string) (*claims.Claims, error) {
	c := new(claims.Claims)
	if err := v.VerifySignatureInto(ctx, token, c); err != nil {
		return nil, err
	}
	return c, nil
}

// wrongKind is the error for a JWT of another kind presented as a session.
func wrongKind(k Kind) error {
	return clerkerr.New(clerkerr.TokenTypeMismatch, "token is not a Clerk session token (%s)", k)
}

// VerifySignatureInto is VerifySignature decoding into c, which must be the
// zero Claims, so that a caller keeping the claims in a larger allocation
// (a cache entry) saves one. On error c is unusable. c.Token is a copy of
// token sharing the payload's allocation, so a cache keeping c keeps no
// part of the caller's memory (a cookie's token is a slice of the whole
// Cookie header).
func (v *Verifier) VerifySignatureInto(ctx context.Context, token string, c *claims.Claims) error {
	return v.verifyInto(ctx, token, c, true)
}

// verifyInto is VerifySignatureInto, with c.Token a copy of token only
// when copyToken is set.
func (v *Verifier) verifyInto(ctx context.Context, token string, c *claims.Claims, copyToken bool) error {
	seg, err := split(token)
	if err != nil {
		return err
	}
	hdr, err := parseHeader(seg.header)
	if err != nil {
		return err
	}
	copied := ""
	if copyToken {
		copied = token
	}
	payload, tokenCopy, err := decodePayloadWithToken(copied, seg.payload)
	if err != nil {
		return err
	}
	// One pass validates the payload and decodes the claims; a bad claim is
	// reported only once the signature holds.
	syntax, badClaim := c.Parse(payload)
	if err := checkPayload(payload, syntax); err != nil {
		return err
	}
	// The kind is decided before any key is fetched, so that a Clerk outage
	// cannot turn a wrong-kind token into a 503; being unverified, it only
	// ever refuses.
	// A payload whose claims all decoded has its sub in c already; only
	// one that failed a claim is searched for it.
	m2m := strings.HasPrefix(c.Subject, subjectM2M)
	if badClaim != nil {
		m2m = hasM2MSubject(payload)
	}
	if kind := hdr.kind(m2m); kind != KindSession {
		return wrongKind(kind)
	}
	if err := hdr.check(); err != nil {
		return err
	}
	key, err := v.cfg.Keys.Key(ctx, hdr.kid)
	if err != nil {
		return err
	}
	// The signature before any claim: a forged token learns nothing about
	// why its claims would have failed.
	if err := verifySignature(key, token[:seg.signedLen], seg.signature); err != nil {
		return err
	}
	if badClaim != nil {
		return badClaim
	}
	c.Token = token
	if copyToken {
		c.Token = tokenCopy
	}
	if len(v.cfg.Audiences) > 0 && !sessionAudienceOK(c.Raw, v.cfg.Audiences) {
		return clerkerr.New(clerkerr.TokenVerificationFailed, "session token's aud is not one of the configured audiences")
	}
	if c.SessionID == "" {
		// ginclerk's own rule: a JWT template minted before categories
		// (same keys, possibly a lifetime of years) has no sid.
		return clerkerr.New(clerkerr.TokenTypeMismatch, "token has no sid claim: it is not a session token (a JWT template?)")
	}
	return nil
}

// segments are the three parts of a compact JWS, still encoded.
type segments struct {
	header, payload, signature string
	signedLen                  int // len(header) + 1 + len(payload)
}

func split(token string) (segments, error) {
	if len(token) > MaxTokenBytes {
		return segments{}, clerkerr.New(clerkerr.TokenInvalid, "session token is larger than %d bytes", MaxTokenBytes)
	}
	// encoding/base64 skips CR and LF even in strict mode, so a token with a
	// line break inside a segment would verify: refuse them here. Every
	// other byte outside base64url fails the strict decoding of its
	// segment — the header's and the payload's right away, the signature's
	// only after the key is fetched, so the signature is checked here too:
	// garbage is a 401 even while Clerk's keys cannot be had.
	if strings.IndexByte(token, '\r') >= 0 || strings.IndexByte(token, '\n') >= 0 {
		return segments{}, errAlphabet
	}
	h, rest, ok1 := strings.Cut(token, ".")
	p, s, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.IndexByte(s, '.') >= 0 {
		return segments{}, clerkerr.New(clerkerr.TokenInvalid, "session token is not a JWT: it must have exactly three segments")
	}
	if !inAlphabet(s) {
		return segments{}, errAlphabet
	}
	// An empty signature is left to the signature check, after the header's
	// alg: "alg":"none" tokens end in "." and are an algorithm failure, as
	// Clerk reports them.
	if h == "" || p == "" {
		return segments{}, clerkerr.New(clerkerr.TokenInvalid, "session token has an empty segment")
	}
	return segments{header: h, payload: p, signature: s, signedLen: len(h) + 1 + len(p)}, nil
}

// errAlphabet is the error for a byte that no compact JWS may contain.
var errAlphabet = clerkerr.New(clerkerr.TokenInvalid, "session token contains a character outside unpadded base64url")

// notInAlphabet marks the bytes a compact JWS may not contain: all but the
// base64url alphabet and the segment separator.
var notInAlphabet = func() (t [256]uint8) {
	for i := range t {
		t[i] = 1
	}
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") {
		t[c] = 0
	}
	return t
}()

// inAlphabet reports whether every byte of s may appear in a compact JWS.
// It ORs eight lookups at a time without a branch per byte: a genuine
// signature, the common case, is scanned to its end anyway, and this runs
// on every first sight.
func inAlphabet(s string) bool {
	var bad uint8
	for ; len(s) >= 8; s = s[8:] {
		bad |= notInAlphabet[s[0]] | notInAlphabet[s[1]] | notInAlphabet[s[2]] | notInAlphabet[s[3]] |
			notInAlphabet[s[4]] | notInAlphabet[s[5]] | notInAlphabet[s[6]] | notInAlphabet[s[7]]
	}
	for i := 0; i < len(s); i++ {
		bad |= notInAlphabet[s[i]]
	}
	return bad == 0
}

// header is the part of the JOSE header ginclerk acts on. jku, x5u, jwk and
// x5c are deliberately never read: keys come only from configuration.
type header struct {
	kid        string
	algOK      bool  // alg is exactly RS256
	typOK      bool  // typ is absent or exactly JWT
	oauthTyp   bool  // typ names an OAuth access token (RFC 9068)
	foreignCat bool  // cat is present and names a class other than sessions
	catPresent bool  // there is a cat member at all
	catM2M     bool  // cat is Clerk's M2M category
	err        error // a malformed kid, or crit
}

// bytesOf views s as bytes without copying. The result must not be modified.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// sigScratch is where a signature check decodes the signature and hashes
// the signed part. It is pooled rather than on the stack: the RSA check
// below it needs 4 KiB of stack, and a server's connection goroutine that
// grows past 8 KiB for a first sight pays for that again after every
// garbage collection, which shrinks idle goroutines' stacks.
type sigScratch struct {
	sig    [maxSigBytes]byte
	digest [sha256.Size]byte
}

var sigScratches = sync.Pool{New: func() any { return new(sigScratch) }}

func verifySignature(key *rsa.PublicKey, signed, encodedSig string) error {
	if b64.DecodedLen(len(encodedSig)) > maxSigBytes {
		return clerkerr.New(clerkerr.TokenInvalidSignature, "session token signature is too long")
	}
	s := sigScratches.Get().(*sigScratch)
	n, err := b64.Decode(s.sig[:], bytesOf(encodedSig))
	valid := false
	if err == nil {
		s.digest = sha256.Sum256(bytesOf(signed))
		valid = rsa.VerifyPKCS1v15(key, crypto.SHA256, s.digest[:], s.sig[:n]) == nil
	}
	sigScratches.Put(s)
	switch {
	case err != nil:
		return clerkerr.New(clerkerr.TokenInvalid, "session token signature is not canonical base64url")
	case !valid:
		return ErrSignature
	}
	return nil
}

// ErrSignature is the error for a token whose RS256 signature does not
// verify under the key. It is returned as is (callers may compare with ==,
// and must not modify it), so that a cached verdict repeats it exactly.
var ErrSignature = clerkerr.New(clerkerr.TokenInvalidSignature, "session token signature is invalid")

// decodePayloadWithToken decodes the payload, not yet validated (see
// checkPayload), into a fresh buffer that also holds a copy of the token:
// the claims keep both (a cache compares the token on every hit), and one
// allocation is cheaper than two. Neither may alias a pooled or
// caller-owned buffer — a cookie's token is a slice of the whole Cookie
// header — and the buffer is never written again: the claims' strings are
// views of it.
func decodePayloadWithToken(token, encoded string) (payload []byte, tokenCopy string, err error) {
	buf := make([]byte, len(token)+b64.DecodedLen(len(encoded)))
	copy(buf, token)
	n, err := b64.Decode(buf[len(token):], bytesOf(encoded))
	if err != nil {
		return nil, "", clerkerr.New(clerkerr.TokenInvalid, "session token payload is not canonical base64url")
	}
	return buf[len(token) : len(token)+n : len(token)+n], unsafe.String(unsafe.SliceData(buf), len(token)), nil
}

// checkPayload refuses a payload that is not a JSON object, syntax being
// its validation's verdict.
func checkPayload(payload []byte, syntax error) error {
	if syntax != nil {
		return clerkerr.Wrap(clerkerr.TokenInvalid, syntax, "session token payload is not a valid JSON object")
	}
	if jsonx.KindOf(payload) != jsonx.KindObject {
		return clerkerr.New(clerkerr.TokenInvalid, "session token payload is not a JSON object")
	}
	return nil
}

// decodePayload decodes and validates a payload on its own, for a token
// that is only inspected.
func decodePayload(encoded string) ([]byte, error) {
	payload, _, err := decodePayloadWithToken("", encoded)
	if err == nil {
		err = checkPayload(payload, jsonx.Validate(payload, maxPayloadDepth))
	}
	if err != nil {
		return nil, err
	}
	return payload, nil
}

// CheckClaims runs the checks that depend on the clock and configuration:
// exp, nbf, iat (with skew), azp and iss. It allocates nothing on success.
func (v *Verifier) CheckClaims(c *claims.Claims) error {
	return v.CheckClaimsAt(c, v.cfg.Now())
}

// Now reads the verifier's clock, so that a caller checking claims and a
// cache entry's life at the same instant reads it once.
func (v *Verifier) Now() time.Time { return v.cfg.Now() }

// CheckClaimsAt is CheckClaims at the instant now (from Now).
//
// The claims are whole seconds, so they are compared with the bounds'
// Unix seconds: for an integer x and an instant t, time.Unix(x, 0).After(t)
// exactly when x > t.Unix(), which floors. This runs on every request.
func (v *Verifier) CheckClaimsAt(c *claims.Claims, now time.Time) error {
	skew := v.cfg.Skew
	if c.Expiry <= now.Add(-skew).Unix() {
		return clerkerr.New(clerkerr.TokenExpired, "session token has expired")
	}
	latest := now.Add(skew).Unix() // the latest nbf or iat still accepted
	if c.HasNotBefore && c.NotBefore > latest {
		return clerkerr.New(clerkerr.TokenNotActiveYet, "session token is not active yet")
	}
	if c.HasIssuedAt && c.IssuedAt > latest {
		return clerkerr.New(clerkerr.TokenIatInTheFuture, "session token was issued in the future")
	}
	if len(v.cfg.AuthorizedParties) > 0 && (c.AuthorizedParty == "" || !slices.Contains(v.cfg.AuthorizedParties, c.AuthorizedParty)) {
		return clerkerr.New(clerkerr.TokenInvalidAuthorizedParties, "session token's azp is not an authorized party")
	}
	if v.cfg.Issuer != "" && c.Issuer != v.cfg.Issuer {
		return clerkerr.New(clerkerr.TokenInvalidIssuer, "session token's iss is not this Clerk instance")
	}
	return nil
}
