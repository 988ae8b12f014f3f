package ginclerk

import (
	"net/http"
	"strings"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

// Cookie names Clerk's frontend sets for same-site apps.
const (
	sessionCookie   = "__session"
	clientUATCookie = "__client_uat"
)

// sessionToken finds the request's session token: the Authorization header
// first, then the __session cookie, never both — a header token, even an
// invalid one, means the cookie is not looked at. Ambiguous requests (two
// Authorization headers, two __session cookies) are refused rather than
// resolved by picking one.
func sessionToken(r *http.Request) (token string, fromCookie bool, err *Error) {
	switch values := r.Header["Authorization"]; len(values) {
	case 0:
	case 1:
		if token := headerToken(values[0]); token != "" {
			return token, false, nil
		}
	default:
		return "", false, failure(clerkerr.TokenInvalid, "request has more than one Authorization header")
	}
	cookies := r.CookiesNamed(sessionCookie)
	switch {
	case len(cookies) > 1:
		return "", false, failure(clerkerr.TokenInvalid, "request has more than one __session cookie")
	case len(cookies) == 1 && cookies[0].Value != "":
		return cookies[0].Value, true, nil
	}
	return "", false, nil
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
