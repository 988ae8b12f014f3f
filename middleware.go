package ginclerk

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
)

// MiddlewareOption configures one middleware returned by WithAuth,
// RequireAuth, Require or RequireOrg: WithOnError, WithPendingSessions or
// WithAcceptsToken.
type MiddlewareOption func(*middlewareConfig)

type middlewareConfig struct {
	onError       OnErrorFunc
	acceptPending bool
	accepts       acceptSet
	// tokenOnly marks a token verified on its own (VerifyToken), which
	// keeps the verifier's reasons rather than the request-level ones.
	tokenOnly bool
}

// WithOnError replaces the middleware's error hook. Default: log and continue
// signed out for WithAuth (DefaultOnError), log and abort for RequireAuth
// (StrictOnError). It panics on a nil hook, a programming error.
func WithOnError(f OnErrorFunc) MiddlewareOption {
	if f == nil {
		panic("ginclerk: WithOnError(nil)")
	}
	return func(mc *middlewareConfig) { mc.onError = f }
}

// WithAuth returns the lax middleware, Clerk's ClerkExpressWithAuth: it
// verifies the session token, stores the *Auth (see GetAuth) and continues
// whatever the outcome. A request that is not signed in goes to the onError
// hook first; by default the failure is logged and the request continues
// signed out.
func (ck *Clerk) WithAuth(opts ...MiddlewareOption) gin.HandlerFunc {
	return ck.middleware("WithAuth", ck.onErrorLogging(false), opts)
}

// RequireAuth returns the strict middleware, Clerk's
// ClerkExpressRequireAuth: a request that is not authenticated (see
// IsAuthenticated and WithAcceptsToken) is aborted with a *Error — 401 for
// a missing or bad credential, 503 when Clerk's keys or Backend API cannot
// be reached, 500 when ginclerk is misconfigured — and the handler never
// runs.
// The error is recorded with c.Error for ErrorHandler (or your own) to
// render; the response headers are not committed, so a renderer can still
// set Content-Type.
func (ck *Clerk) RequireAuth(opts ...MiddlewareOption) gin.HandlerFunc {
	return ck.middleware("RequireAuth", ck.onErrorLogging(true), opts)
}

func (ck *Clerk) middleware(name string, onError OnErrorFunc, opts []MiddlewareOption) gin.HandlerFunc {
	mc := middlewareConfig{onError: onError}
	for _, opt := range opts {
		opt(&mc)
	}
	hint := &wiringHint{middleware: name}
	return func(c *gin.Context) {
		if _, failure := ck.verdictFor(c, &mc); failure != nil {
			if err := mc.onError(failure); err != nil {
				abort(c, err)
				hint.afterAbort(c, ck.logger)
				return
			}
		}
		c.Next()
	}
}

// markSignedOut sets Clerk's signed-out response headers. Like Clerk, it
// sends X-Clerk-Auth-Message only when there is a message: Clerk has none
// for the request-level reasons (no token, the cookie pair out of step, a
// token of another kind), so ginclerk's explanation of those stays in the
// Error and the JSON body.
func markSignedOut(h http.Header, e *Error) {
	h.Set("X-Clerk-Auth-Status", "signed-out")
	h.Set("X-Clerk-Auth-Reason", e.Reason)
	if messageless(e.Reason) || e.Message == "" {
		h.Del("X-Clerk-Auth-Message")
		return
	}
	h.Set("X-Clerk-Auth-Message", e.Message)
}

// messageless reports whether Clerk signs a request out for reason with an
// empty message.
func messageless(reason string) bool {
	switch reason {
	case ReasonSessionTokenAndUATMissing, ReasonSessionTokenButNoClientUAT, ReasonClientUATButNoSessionToken,
		ReasonSessionTokenIatBeforeClientUAT, ReasonTokenTypeMismatch:
		return true
	}
	return false
}

// clearSignedOut removes the headers markSignedOut sets.
func clearSignedOut(h http.Header) {
	h.Del("X-Clerk-Auth-Status")
	h.Del("X-Clerk-Auth-Reason")
	h.Del("X-Clerk-Auth-Message")
}

// abort ends the chain with err. It records the status without writing it,
// so that exactly one component — ErrorHandler, another error renderer, or
// gin itself at the end of the request — writes the response.
func abort(c *gin.Context, err error) {
	status := http.StatusInternalServerError
	var e *Error
	if errors.As(err, &e) && e.StatusCode != 0 {
		status = e.StatusCode
	}
	if status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", bearerChallenge(e))
	}
	c.Status(status)
	_ = c.Error(err)
	c.Abort()
}

// bearerChallenge is the RFC 6750 §3 challenge: no error code when the
// request carried no token, invalid_token with Clerk's reason otherwise.
func bearerChallenge(e *Error) string {
	if e == nil || category(e.Reason) == ErrTokenMissing {
		return `Bearer realm="clerk"`
	}
	return `Bearer realm="clerk", error="invalid_token", error_description="` + e.Reason + `"`
}
