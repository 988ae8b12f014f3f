package ginclerk

import (
	"errors"
	"net/http"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

// Sentinel errors. Every *Error the middlewares produce matches exactly one
// category sentinel through errors.Is, and every 401 also matches
// ErrUnauthenticated, so callers can branch without reading reason strings.
var (
	// ErrUnauthenticated matches every outcome that leaves the request signed
	// out with status 401: a missing, malformed, forged or expired token.
	ErrUnauthenticated = errors.New("ginclerk: unauthenticated")
	// ErrTokenMissing matches a request that carried no session token
	// (ReasonSessionTokenAndUATMissing, ReasonClientUATButNoSessionToken).
	ErrTokenMissing = errors.New("ginclerk: session token missing")
	// ErrTokenInvalid matches a token that is malformed, forged, of the wrong
	// type, or for another party or issuer.
	ErrTokenInvalid = errors.New("ginclerk: session token invalid")
	// ErrTokenExpired matches a token outside its validity window (expired,
	// not yet valid, issued in the future), or a session cookie the client's
	// sign-in state (__client_uat) says is stale.
	ErrTokenExpired = errors.New("ginclerk: session token expired")
	// ErrSessionPending matches a valid token whose session still has
	// pending tasks (sts "pending").
	ErrSessionPending = errors.New("ginclerk: session pending")
	// ErrKeysUnavailable matches our outage (status 503), not the client's
	// fault: Clerk's signing keys could not be obtained
	// (ReasonJWKRemoteFailedToLoad), or Clerk's Backend API could not
	// verify a machine credential (ReasonUnexpectedError).
	ErrKeysUnavailable = errors.New("ginclerk: signing keys unavailable")
	// ErrMisconfigured matches a server-side configuration problem (status
	// 500): no key source, or a secret key Clerk rejects.
	ErrMisconfigured = errors.New("ginclerk: misconfigured")
	// ErrForbidden matches a signed-in request that an authorization check
	// refused (status 403).
	ErrForbidden = errors.New("ginclerk: forbidden")
)

// Error is the error every ginclerk middleware hands to OnErrorFunc and, when
// that returns it, records on the gin context. It mirrors the errors Clerk's
// Express middleware passes to next(err).
//
// Message and Reason are safe to show to clients: they never contain a
// token, a signature or a secret.
type Error struct {
	// StatusCode is the HTTP status to answer with: 401, 403, 500 or 503.
	// Zero means 500 to ErrorHandler.
	StatusCode int
	// Reason is Clerk's reason code, such as "token-expired" or
	// "session-token-and-uat-missing".
	Reason string
	// Message is a human-readable explanation.
	Message string
	// Data, when non-nil, is what ErrorHandler renders as the JSON body
	// instead of {"error": Message, "reason": Reason} (Express's err.data).
	Data any
	// Err is the underlying cause, if any.
	Err error

	// logged is set once a default hook has logged this failure, so that a
	// second middleware handed the same verdict (a global WithAuth and a
	// group's RequireAuth) does not log it again.
	logged bool
}

// Error implements error.
func (e *Error) Error() string { return "ginclerk: " + e.Message + " (" + e.Reason + ")" }

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel for e's category, so that
// errors.Is(err, ginclerk.ErrTokenExpired) works on any wrapped *Error.
func (e *Error) Is(target error) bool {
	if target == ErrUnauthenticated {
		return e.StatusCode == http.StatusUnauthorized
	}
	return target == category(e.Reason)
}

// category maps a Clerk reason code to its sentinel.
func category(reason string) error {
	switch reason {
	case clerkerr.SessionTokenAndUATMissing, clerkerr.ClientUATButNoSessionToken:
		return ErrTokenMissing
	case clerkerr.TokenExpired, clerkerr.TokenNotActiveYet, clerkerr.TokenIatInTheFuture,
		clerkerr.SessionTokenExpiredNonGet, clerkerr.SessionTokenExpiredNoRefreshCookie,
		clerkerr.SessionTokenNBF, clerkerr.SessionTokenIatInTheFuture,
		clerkerr.SessionTokenIatBeforeClientUAT, clerkerr.SessionTokenButNoClientUAT:
		return ErrTokenExpired
	case clerkerr.SessionPending:
		return ErrSessionPending
	case clerkerr.JWKRemoteFailedToLoad, clerkerr.UnexpectedError:
		return ErrKeysUnavailable
	case clerkerr.JWKFailedToResolve, clerkerr.SecretKeyInvalid:
		return ErrMisconfigured
	case ReasonForbidden:
		return ErrForbidden
	default:
		return ErrTokenInvalid
	}
}

// statusFor is the HTTP status for a reason: our outage is 503, our
// misconfiguration 500, everything the client sent 401.
func statusFor(reason string) int {
	switch category(reason) {
	case ErrKeysUnavailable:
		return http.StatusServiceUnavailable
	case ErrMisconfigured:
		return http.StatusInternalServerError
	case ErrForbidden:
		return http.StatusForbidden
	default:
		return http.StatusUnauthorized
	}
}

// fromInternal converts an internal failure into the public *Error. Errors
// that are not *clerkerr.Error are unexpected; they fail closed as
// token-verification-failed without exposing their text.
func fromInternal(err error) *Error {
	var ce *clerkerr.Error
	if !errors.As(err, &ce) {
		ce = clerkerr.Wrap(clerkerr.TokenVerificationFailed, err, "session token verification failed")
	}
	return &Error{StatusCode: statusFor(ce.Reason), Reason: ce.Reason, Message: ce.Message, Err: ce}
}
