package ginclerk

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/machine"
	"github.com/ginclerk/ginclerk/internal/verify"
)

// authenticateAccepting authenticates the Authorization header's token
// under an acceptsToken other than the default: its kind is read first,
// and a kind that is not accepted is refused before any key is fetched or
// any Backend API call is made.
func (ck *Clerk) authenticateAccepting(r *http.Request, token string, mc *middlewareConfig) (*Auth, *Error) {
	ctx := r.Context()
	kind, jwtKind := kindOf(token, mc.accepts)
	if !mc.accepts.has(kind) {
		// Clerk reports the accepted kind when one was given, none for a
		// list.
		return refused(failure(clerkerr.TokenTypeMismatch, "credential of type "+string(kind)+" not accepted here"),
			mc.accepts.single)
	}
	switch kind {
	case SessionToken:
		a, fail := ck.authenticateSession(r, token, mc)
		if fail != nil && fail.Reason == clerkerr.TokenTypeMismatch && !mc.accepts.machineJWTs() &&
			verify.KindOf(token).IsMachine() {
			// A machine JWT where the list names no machine JWT kind:
			// Clerk's early list check refuses it with no token type.
			a.TokenType = ""
		}
		return a, fail
	case M2MToken, OAuthToken:
		if jwtKind == verify.KindM2MJWT || jwtKind == verify.KindOAuthJWT {
			m, err := ck.verifier.VerifyMachine(ctx, token, jwtKind)
			if err != nil {
				return refused(fromInternal(err), kind)
			}
			return machineAuth(kind, token, m.ID, m.Subject, "", m.ClientID, m.Scopes, m.Claims), nil
		}
	}
	return ck.authenticateOpaque(ctx, token, kind)
}

// authenticateOpaque verifies an opaque machine credential with Clerk's
// Backend API, through the instance's cache.
func (ck *Clerk) authenticateOpaque(ctx context.Context, token string, kind TokenType) (*Auth, *Error) {
	if ck.machine == nil {
		return refused(failure(clerkerr.SecretKeyInvalid,
			"cannot verify a "+string(kind)+" without a secret key: set CLERK_SECRET_KEY (or CLERK_MACHINE_SECRET_KEY for M2M tokens)"), kind)
	}
	c, err := ck.machine.Verify(ctx, token)
	if err != nil {
		return refused(fromInternal(err), kind)
	}
	return machineAuth(kind, token, c.ID, c.Subject, c.Name, c.ClientID, c.Scopes, c.Claims), nil
}

// kindOf classifies token as Clerk does, reading a JWT's header and payload
// only when an M2M or OAuth JWT could be accepted: otherwise every JWT is a
// session candidate, and the session path refuses machine JWTs itself. The
// second result is the JWT's kind when it was read.
func kindOf(token string, accepts acceptSet) (TokenType, verify.Kind) {
	if k, ok := machine.OpaqueKind(token); ok {
		return TokenType(k), verify.KindMalformed
	}
	if !accepts.machineJWTs() {
		return SessionToken, verify.KindMalformed
	}
	switch k := verify.KindOf(token); k {
	case verify.KindM2MJWT:
		return M2MToken, k
	case verify.KindOAuthJWT:
		return OAuthToken, k
	default:
		return SessionToken, k
	}
}

// noHeaderCredential is the answer to a request without an Authorization
// token where sessions are not accepted (the cookie is not read): with one
// machine kind accepted, Clerk's "no token" — which ginclerk answers with
// the reason code session-token-and-uat-missing rather than Clerk's bare
// sentence — and with a list, token-type-mismatch, as Clerk.
func noHeaderCredential(accepts acceptSet) (*Auth, *Error) {
	if accepts.single != "" {
		return refused(failure(clerkerr.SessionTokenAndUATMissing,
			"request carries no "+string(accepts.single)+" (Authorization: Bearer)"), accepts.single)
	}
	return refused(failure(clerkerr.TokenTypeMismatch, "request carries no credential of an accepted type"), "")
}

// refused is the signed-out Auth of a refused credential of type t.
func refused(fail *Error, t TokenType) (*Auth, *Error) {
	a := signedOut(fail, "")
	a.TokenType = t
	return a, fail
}

// machineAuth builds the Auth of a verified machine credential, with the
// fields Clerk's machine auth object has for its kind. scopes may belong to
// the machine-credential cache, so the Auth gets a copy: a handler writing
// to a.Scopes[0] changes its own request, never what later requests with
// the same credential see. claims, a string, cannot be written.
func machineAuth(kind TokenType, token, id, subject, name, clientID string, scopes []string, claims string) *Auth {
	a := &Auth{TokenType: kind, ID: id, Subject: subject, Scopes: slices.Clone(scopes), Token: token}
	switch kind {
	case APIKey:
		a.Name = name
		a.Claims = claims
		switch {
		case strings.HasPrefix(subject, "user_"):
			a.UserID = subject
		case strings.HasPrefix(subject, "org_"):
			a.OrgID = subject
		}
	case M2MToken:
		a.MachineID = subject
		a.Claims = claims
	case OAuthToken:
		a.UserID = subject
		a.ClientID = clientID
	}
	return a
}
