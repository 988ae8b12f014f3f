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
	st.auth = Auth{TokenType: SessionToken, Reason: e.Reason, Message: e.Message, SessionStatus: status, room: &st.room}
	return &st.auth
}

// authCore is everything a signed-in request allocates beyond the copy of
// the payload, in one piece with it (authState): the Auth, the room to
// attach it to the request, and inline room for the Auth's own copies of
// the claims' slices. The claims may be shared with the verified-token
// cache, so the Auth never hands out their memory: a handler writing to
// a.Claims or a.OrgPermissions[0] changes its own copy, not what later
// requests see. Clerk's tokens fit the inline room; longer lists get
// allocations of their own.
type authCore struct {
	auth  Auth
	room  binding
	actor Actor
	perms [8]string
	ents  [8]Entitlement
}

// authState is an authCore with R, a byte array, as room for the copy of
// the payload.
type authState[R any] struct {
	core authCore
	raw  R
}

// newAuth builds the signed-in Auth for the verified claims c, in the
// smallest authState whose raw room fits the payload. The allocation is
// the signed-in request's main cost, and with a small heap much of it is
// the kernel backing fresh pages, so bytes count: each tier fills one
// allocator size class exactly, and Clerk's usual 300–1000-byte payloads
// waste little of it, where a single 1 KiB room cost a typical ~500-byte
// payload a 2 KiB allocation. A larger payload gets an exact allocation of
// its own.
func newAuth(c *claims.Claims) *Auth {
	switch n := len(c.Raw); {
	case n <= room1536:
		st := new(authState[[room1536]byte])
		return st.core.fill(c, st.raw[:])
	case n <= room1792:
		st := new(authState[[room1792]byte])
		return st.core.fill(c, st.raw[:])
	case n <= room2048:
		st := new(authState[[room2048]byte])
		return st.core.fill(c, st.raw[:])
	}
	return new(authCore).fill(c, nil)
}

// The payload room of the authState tiers: each fills one of the
// allocator's size classes (1536, 1792 and 2048 bytes) with authCore, the
// 8-byte type header the allocator puts before an object of this size,
// and the room. Should authCore outgrow a class, the array length turns
// negative: a compile error.
const (
	coreBytes = int(unsafe.Sizeof(authCore{})) + 8
	room1536  = 1536 - coreBytes
	room1792  = 1792 - coreBytes
	room2048  = 2048 - coreBytes
)

// fill makes st's Auth the signed-in Auth for c, copying the payload into
// raw when it fits.
func (st *authCore) fill(c *claims.Claims, raw []byte) *Auth {
	a := &st.auth
	*a = Auth{
		TokenType:      SessionToken,
		UserID:         c.Subject,
		SessionID:      c.SessionID,
		SessionStatus:  c.SessionStatus,
		OrgID:          c.OrgID,
		OrgRole:        c.OrgRole,
		OrgSlug:        c.OrgSlug,
		OrgPermissions: copyInto(st.perms[:], c.OrgPermissions),
		Claims:         copyInto(raw, c.Raw),
		Token:          c.Token,
		room:           &st.room,
	}
	a.Features = entitlementsInto(st.ents[:], c.Features)
	rest := st.ents[:]
	if len(c.Features) <= len(rest) {
		rest = rest[len(c.Features):] // Features took the front
	}
	a.Plans = entitlementsInto(rest, c.Plans)
	if off := c.ActorOffset(); off >= 0 {
		st.actor = Actor{Subject: c.ActorSubject, Claims: a.Claims[off : off+len(c.Actor) : off+len(c.Actor)]}
		a.Actor = &st.actor
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
