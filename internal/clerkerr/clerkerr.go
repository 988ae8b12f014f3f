// Package clerkerr holds Clerk's verification reason codes and the error type
// the internal packages return, so that the root package can map every failure
// to a status code and a public *ginclerk.Error without string matching.
package clerkerr

import "fmt"

// The reason codes ginclerk produces: Clerk's, verbatim from @clerk/backend,
// and ginclerk's own where Clerk has none (session-pending). They travel to clients in X-Clerk-Auth-Reason and JSON
// error bodies, so they must never change spelling.
const (
	TokenExpired                   = "token-expired"
	TokenInvalid                   = "token-invalid"
	TokenInvalidAlgorithm          = "token-invalid-algorithm"
	TokenInvalidAuthorizedParties  = "token-invalid-authorized-parties"
	TokenInvalidIssuer             = "token-invalid-issuer"
	TokenInvalidSignature          = "token-invalid-signature"
	TokenNotActiveYet              = "token-not-active-yet"
	TokenIatInTheFuture            = "token-iat-in-the-future"
	TokenVerificationFailed        = "token-verification-failed"
	TokenTypeMismatch              = "token-type-mismatch"
	SecretKeyInvalid               = "secret-key-invalid"
	JWKRemoteFailedToLoad          = "jwk-remote-failed-to-load"
	JWKFailedToResolve             = "jwk-failed-to-resolve"
	JWKKidMismatch                 = "jwk-kid-mismatch"
	SessionTokenAndUATMissing      = "session-token-and-uat-missing"
	SessionTokenButNoClientUAT     = "session-token-but-no-client-uat"
	ClientUATButNoSessionToken     = "client-uat-but-no-session-token"
	SessionTokenIatBeforeClientUAT = "session-token-iat-before-client-uat"
	SessionPending                 = "session-pending"
	// Request-level reasons for a session token outside its validity
	// window: @clerk/backend's authenticateRequest reports these where its
	// verifyToken reports token-expired, token-not-active-yet and
	// token-iat-in-the-future. The expired ones name why Clerk's refresh
	// flow did not apply, by the request's method.
	SessionTokenExpiredNonGet          = "session-token-expired-refresh-non-eligible-non-get"
	SessionTokenExpiredNoRefreshCookie = "session-token-expired-refresh-non-eligible-no-refresh-cookie"
	SessionTokenNBF                    = "session-token-nbf"
	SessionTokenIatInTheFuture         = "session-token-iat-in-the-future"
	// UnexpectedError is Clerk's code for a machine-credential verify call
	// that failed for any reason but a rejected credential or secret key:
	// an outage, a timeout, an answer that cannot be read.
	UnexpectedError = "unexpected-error"
)

// Error is a verification failure with Clerk's reason code. Message is safe to
// show to a client: it never contains a token, a signature or a secret.
type Error struct {
	Reason  string
	Message string
	Err     error
}

// New returns an *Error with a formatted message.
func New(reason, format string, args ...any) *Error {
	return &Error{Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error whose cause is err.
func Wrap(reason string, err error, format string, args ...any) *Error {
	return &Error{Reason: reason, Message: fmt.Sprintf(format, args...), Err: err}
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the cause, if any.
func (e *Error) Unwrap() error { return e.Err }
