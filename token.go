package ginclerk

import (
	"net/http"
	"strings"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

// tokenInHeader finds the request's token in the Authorization header. A
// request with no header token has its session read from the cookies
// (sessionFromCookies); one with a header token never does, even when that
// token is invalid. Two Authorization headers are refused rather than
// resolved by picking one.
func tokenInHeader(r *http.Request) (string, *Error) {
	switch values := r.Header["Authorization"]; len(values) {
	case 0:
		return "", nil
	case 1:
		return headerToken(values[0]), nil
	default:
		return "", failure(clerkerr.TokenInvalid, "request has more than one Authorization header")
	}
}

// headerToken extracts the token from an Authorization value: "Bearer
// <token>" with the scheme in any case (RFC 7235), or, as Clerk does, a value
// with no space at all taken as the raw token. Other schemes carry no
// session token.
func headerToken(v string) string {
	scheme, token, found := strings.Cut(strings.TrimSpace(v), " ")
	isBearer := strings.EqualFold(scheme, "Bearer")
	switch {
	case !found && !isBearer:
		return scheme
	case !isBearer:
		return ""
	}
	return strings.TrimLeft(token, " ")
}

// failure builds a request-level *Error with the status its reason implies.
func failure(reason, message string) *Error {
	return &Error{StatusCode: statusFor(reason), Reason: reason, Message: message}
}
