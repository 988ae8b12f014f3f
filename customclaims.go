package ginclerk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/gin-gonic/gin"
)

// errNoClaims is returned for an authenticated Auth that carries no raw
// claims: an OAuth access token (Clerk gives them none), an API key or M2M
// token without custom claims, or a hand-made Auth (SetAuth).
var errNoClaims = errors.New("ginclerk: the request's Auth carries no claims")

// Claims decodes the verified session claims of c's request into a new T —
// typically a struct naming the custom claims of your session-token
// customization:
//
//	type appClaims struct {
//		Tier string `json:"tier"`
//	}
//	claims, err := ginclerk.Claims[appClaims](c)
//
// Every call decodes into a fresh value, so concurrent requests never share
// one (clerk-sdk-go users hit a data race sharing one claims struct). Member
// names match struct fields exactly, as JSON.parse reads them: unlike plain
// encoding/json, a member "ROLE" never fills a field tagged "role", so a
// claim a user can write cannot stand in for one the application trusts.
// For an API key or M2M token it decodes the credential's custom claims.
// When the request is not authenticated, the error is the *Error
// describing why (errors.Is(err, ErrUnauthenticated) for a 401); a claims
// document that does not fit T is a json error. Use Auth.Claims for the
// raw JSON.
func Claims[T any](c *gin.Context) (T, error) {
	return decodeClaims[T](GetAuth(c))
}

// ClaimsFromContext is Claims for code that only has the request's
// context.Context (see AuthFromContext).
func ClaimsFromContext[T any](ctx context.Context) (T, error) {
	return decodeClaims[T](AuthFromContext(ctx))
}

func decodeClaims[T any](a *Auth) (T, error) {
	var v T
	if !a.IsAuthenticated() {
		return v, notSignedIn(a)
	}
	if len(a.Claims) == 0 {
		return v, errNoClaims
	}
	if err := json.Unmarshal(exactCase([]byte(a.Claims), reflect.TypeFor[T]()), &v); err != nil {
		return v, fmt.Errorf("ginclerk: decoding session claims into %T: %w", &v, err)
	}
	return v, nil
}
