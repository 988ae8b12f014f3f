package ginclerk

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"

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
	return newAuth(c), nil
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

// signedOut builds the Auth of a request that is not signed in, with room
// to attach it.
func signedOut(e *Error, status string) *Auth {
	st := new(struct {
		auth Auth
		room binding
	})
	st.auth = Auth{Reason: e.Reason, Message: e.Message, SessionStatus: status, room: &st.room}
	return &st.auth
}

// authState is everything a signed-in request allocates, in one piece: the
// Auth, the room to attach it to the request, and inline buffers for the
// Auth's own copies of the claims' slices and payload. The claims may be
// shared with the verified-token cache, so the Auth never hands out their
// memory: a handler writing to a.Claims or a.OrgPermissions[0] changes its
// own copy, not what later requests see. Clerk's tokens fit the buffers;
// larger lists and payloads get allocations of their own.
type authState struct {
	auth  Auth
	room  binding
	actor Actor
	perms [8]string
	ents  [8]Entitlement
	raw   [rawInline]byte
}

// rawInline is the payload size copied without an allocation of its own:
// Clerk's default session payloads are 400–800 bytes.
const rawInline = 1024

// newAuth builds the signed-in Auth for the verified claims c.
func newAuth(c *claims.Claims) *Auth {
	st := new(authState)
	a := &st.auth
	*a = Auth{
		UserID:         c.Subject,
		SessionID:      c.SessionID,
		SessionStatus:  c.SessionStatus,
		OrgID:          c.OrgID,
		OrgRole:        c.OrgRole,
		OrgSlug:        c.OrgSlug,
		OrgPermissions: copyInto(st.perms[:], c.OrgPermissions),
		Claims:         copyInto(st.raw[:], c.Raw),
		Token:          c.Token,
		room:           &st.room,
	}
	a.Features = copyInto(st.ents[:], c.Features)
	rest := st.ents[:]
	if len(c.Features) <= len(rest) {
		rest = rest[len(c.Features):] // Features took the front
	}
	a.Plans = copyInto(rest, c.Plans)
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
