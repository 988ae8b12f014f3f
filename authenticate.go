package ginclerk

import (
	"net/http"
	"strconv"

	"github.com/ginclerk/ginclerk/internal/claims"
	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

// misconfigured returns an instance whose every request fails with err, so
// that the package-level middlewares can still be installed — and fail
// closed — when the environment configures no usable key source.
func misconfigured(err error) *Clerk {
	return &Clerk{broken: &Error{
		StatusCode: http.StatusInternalServerError,
		Reason:     ReasonJWKFailedToResolve,
		Message:    err.Error(),
		Err:        err,
	}, logger: defaultConfig().logger, release: func() {}}
}

// authenticate verifies the request's session. It always returns an *Auth to
// store — signed in, or signed out with the failure's reason — and the
// failure, if any.
func (ck *Clerk) authenticate(r *http.Request, mc *middlewareConfig) (*Auth, *Error) {
	if ck.broken != nil {
		return signedOut(ck.broken, ""), ck.broken
	}
	token, fromCookie, fail := sessionToken(r)
	if fail != nil {
		return signedOut(fail, ""), fail
	}
	if token == "" {
		fail = failure(clerkerr.SessionTokenMissing, "request carries no session token (Authorization: Bearer or __session cookie)")
		return signedOut(fail, ""), fail
	}
	c, err := ck.verify(r.Context(), token)
	if err != nil {
		fail = fromInternal(err)
		return signedOut(fail, ""), fail
	}
	if fromCookie {
		if fail := checkClientUAT(r, c); fail != nil {
			return signedOut(fail, c.SessionStatus), fail
		}
	}
	if c.SessionStatus == "pending" && !mc.acceptPending {
		fail = failure(clerkerr.SessionPending, "session has pending tasks")
		return signedOut(fail, c.SessionStatus), fail
	}
	return newAuth(c, token), nil
}

// checkClientUAT applies Clerk's same-site staleness rule: __client_uat is
// when the client last signed in or out; "0" means signed out, and a cookie
// token issued before it is left over from an earlier session.
func checkClientUAT(r *http.Request, c *claims.Claims) *Error {
	cookies := r.CookiesNamed(clientUATCookie)
	if len(cookies) == 0 {
		return nil
	}
	uat, err := strconv.ParseInt(cookies[0].Value, 10, 64)
	if len(cookies) > 1 || err != nil || uat <= 0 || !c.HasIssuedAt || c.IssuedAt < uat {
		return failure(clerkerr.SessionTokenIatBeforeClientUAT, "session cookie is older than the client's last sign-in or sign-out")
	}
	return nil
}

func signedOut(e *Error, status string) *Auth {
	return &Auth{Reason: e.Reason, Message: e.Message, SessionStatus: status}
}

// newAuth builds the signed-in Auth. It shares c's slices rather than
// copying them: Auth is documented read-only.
func newAuth(c *claims.Claims, token string) *Auth {
	a := &Auth{
		UserID:         c.Subject,
		SessionID:      c.SessionID,
		SessionStatus:  c.SessionStatus,
		OrgID:          c.OrgID,
		OrgRole:        c.OrgRole,
		OrgSlug:        c.OrgSlug,
		OrgPermissions: c.OrgPermissions,
		Features:       c.Features,
		Plans:          c.Plans,
		Claims:         c.Raw,
		Token:          token,
	}
	if c.Actor != nil {
		a.Actor = &Actor{Subject: c.ActorSubject, Claims: c.Actor}
	}
	if c.HasFVA {
		a.FactorVerificationAge = &c.FVA
	}
	return a
}
