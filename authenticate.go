package ginclerk

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"unsafe"

	"github.com/ginclerk/ginclerk/internal/claims"
	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

// misconfigured returns an instance whose every request fails with err, so
// that the package-level middlewares can still be installed — and fail
// closed — when the environment configures no usable key source.
//
// Clients see a fixed message: the configuration error may quote values
// (a URL, a key's shape) that belong in the server log, where it is logged
// once, here, rather than in every response.
func misconfigured(err error) *Clerk {
	message := "ginclerk is misconfigured: see the server log"
	if errors.Is(err, ErrNoKeySource) {
		message = "ginclerk has no key source: set CLERK_SECRET_KEY (Backend API) or CLERK_JWT_KEY (PEM public key)"
	}
	logger := defaultConfig().logger
	logger.Error("ginclerk: middleware installed without a usable configuration; every request will fail", slog.String("error", err.Error()))
	return &Clerk{broken: &Error{
		StatusCode: http.StatusInternalServerError,
		Reason:     ReasonJWKFailedToResolve,
		Message:    message,
		Err:        err,
	}, logger: logger, release: func() {}}
}

// authenticate verifies the request's session. It always returns an *Auth to
// store — signed in, or signed out with the failure's reason — and the
// failure, if any.
func (ck *Clerk) authenticate(r *http.Request, mc *middlewareConfig) (*Auth, *Error) {
	if ck.broken != nil {
		fail := *ck.broken // per request: each is logged once, on its own
		return signedOut(&fail, ""), &fail
	}
	if r == nil {
		// A bare gin.CreateTestContext has no request: nothing to verify,
		// so fail closed rather than dereference it.
		fail := failure(clerkerr.SessionTokenAndUATMissing, "no HTTP request to authenticate")
		return signedOut(fail, ""), fail
	}
	token, fail := tokenInHeader(r)
	if fail == nil && !mc.accepts.sessionsOnly() {
		switch {
		case token != "":
			return ck.authenticateAccepting(r, token, mc)
		case !mc.accepts.has(SessionToken):
			return noHeaderCredential(mc.accepts)
		}
	}
	if fail == nil && token == "" {
		token, fail = ck.sessionFromCookies(r)
	}
	if fail != nil {
		return signedOut(fail, ""), fail
	}
	return ck.authenticateSession(r, token, mc)
}

// authenticateSession verifies r's session token, from its header or its
// cookies, and applies the pending-session rule.
func (ck *Clerk) authenticateSession(r *http.Request, token string, mc *middlewareConfig) (*Auth, *Error) {
	c, err := ck.verify(r.Context(), token)
	if err != nil {
		fail := fromInternal(err)
		if !mc.tokenOnly {
			fail.Reason = requestReason(fail.Reason, r.Method)
		}
		return signedOut(fail, ""), fail
	}
	if c.SessionStatus == "pending" && !mc.acceptPending {
		fail := failure(clerkerr.SessionPending, "session has pending tasks")
		return signedOut(fail, c.SessionStatus), fail
	}
	return newAuth(c), nil
}

// requestReason is the reason @clerk/backend's authenticateRequest gives
// for a session token outside its validity window, where its verifyToken
// gives the verifier's own. An expired token's reason also says why Clerk's
// refresh flow did not run: never for a method other than GET, and
// otherwise for want of a refresh cookie — which an API middleware, running
// no refresh flow, never reads.
func requestReason(reason, method string) string {
	switch reason {
	case clerkerr.TokenExpired:
		if method != http.MethodGet {
			return clerkerr.SessionTokenExpiredNonGet
		}
		return clerkerr.SessionTokenExpiredNoRefreshCookie
	case clerkerr.TokenNotActiveYet:
		return clerkerr.SessionTokenNBF
	case clerkerr.TokenIatInTheFuture:
		return clerkerr.SessionTokenIatInTheFuture
	}
	return reason
}

// signedOut builds the Auth of a failed authentication, with room to
// attach it: a session's, unless the caller sets another TokenType.
func signedOut(e *Error, status string) *Auth {
	st := new(struct {
		auth Auth
		room binding
	})
	a := &st.auth // field by field, as newAuth fills the Auth
	a.TokenType, a.Reason, a.Message, a.SessionStatus, a.room = SessionToken, e.Reason, e.Message, status, &st.room
	return a
}

// authCore is everything a signed-in request allocates, in one piece: the
// Auth, the room to attach it to the request, and inline room for the
// Auth's own copies of the claims' lists. The claims are shared with the
// verified-token cache, so the Auth never hands out their slices: a handler
// writing to a.OrgPermissions[0] changes its own copy, not what later
// requests see. Strings — the raw claims among them — cannot be written, so
// they are shared as they are.
//
// The allocation is the signed-in request's main cost, and much of it is
// the kernel and the garbage collector touching fresh memory, so bytes
// count: the inline room is what fills the allocator's 1024-byte size class
// (the 8-byte type header it puts before an object of this size included),
// enough for the lists of Clerk's usual tokens; longer lists, and the actor
// of an impersonation session, get allocations of their own.
type authCore struct {
	auth  Auth
	room  binding
	perms [6]string
	ents  [6]Entitlement
}

// The array length overflows, a compile error, should authCore outgrow its
// size class.
var _ [1024 - 8 - unsafe.Sizeof(authCore{})]struct{}

// newAuth builds the signed-in Auth for the verified claims c.
func newAuth(c *claims.Claims) *Auth {
	st := new(authCore)
	// Field by field rather than a composite literal: the object is fresh
	// and zero, and a literal would be built on the stack and then copied
	// whole, behind the garbage collector's write barrier.
	a := &st.auth
	a.TokenType = SessionToken
	a.UserID, a.SessionID, a.SessionStatus = c.Subject, c.SessionID, c.SessionStatus
	a.OrgID, a.OrgRole, a.OrgSlug = c.OrgID, c.OrgRole, c.OrgSlug
	a.OrgPermissions = copyInto(st.perms[:], c.OrgPermissions)
	a.Claims, a.Token = c.JSON(), c.Token
	a.room = &st.room
	a.Features = entitlementsInto(st.ents[:], c.Features)
	rest := st.ents[:]
	if len(c.Features) <= len(rest) {
		rest = rest[len(c.Features):] // Features took the front
	}
	a.Plans = entitlementsInto(rest, c.Plans)
	if c.Actor != "" {
		a.Actor = &Actor{Subject: c.ActorSubject, Claims: c.Actor}
	}
	if c.HasFVA {
		a.fva = c.FVA
		a.FactorVerificationAge = &a.fva
	}
	return a
}

// copyInto returns a copy of src, in buf when it fits, clipped so that an
// append never writes past it; nil stays nil and empty stays empty.
func copyInto[T any](buf, src []T) []T {
	if src == nil {
		return nil
	}
	if len(src) > len(buf) {
		return slices.Clone(src)
	}
	n := copy(buf, src)
	return buf[:n:n]
}
