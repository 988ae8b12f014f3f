package ginclerk

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"

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
		return signedOut(fail, ""), fail
	}
	if c.SessionStatus == "pending" && !mc.acceptPending {
		fail := failure(clerkerr.SessionPending, "session has pending tasks")
		return signedOut(fail, c.SessionStatus), fail
	}
	return newAuth(c, token), nil
}

// signedOut is the Auth of a failed authentication: a session's, unless
// the caller sets another TokenType.
func signedOut(e *Error, status string) *Auth {
	return &Auth{TokenType: SessionToken, Reason: e.Reason, Message: e.Message, SessionStatus: status}
}

// newAuth builds the signed-in Auth. c may be shared with the
// verified-token cache, so nothing of c is handed out writable by accident:
// the slices are shared (Auth is documented read-only; copying them would
// cost allocations on every request) but clipped, so that an append in a
// handler copies instead of writing into the cached backing array, and the
// fva pair is copied into the Auth rather than pointed at.
func newAuth(c *claims.Claims, token string) *Auth {
	a := &Auth{
		TokenType:      SessionToken,
		UserID:         c.Subject,
		SessionID:      c.SessionID,
		SessionStatus:  c.SessionStatus,
		OrgID:          c.OrgID,
		OrgRole:        c.OrgRole,
		OrgSlug:        c.OrgSlug,
		OrgPermissions: slices.Clip(c.OrgPermissions),
		Features:       entitlements(c.Features),
		Plans:          entitlements(c.Plans),
		Claims:         slices.Clip(c.Raw),
		Token:          token,
	}
	if c.Actor != nil {
		a.Actor = &Actor{Subject: c.ActorSubject, Claims: slices.Clip(c.Actor)}
	}
	if c.HasFVA {
		a.fva = c.FVA
		a.FactorVerificationAge = &a.fva
	}
	return a
}
