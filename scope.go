package ginclerk

import "github.com/gin-gonic/gin"

// Scope passes when the request's machine credential — an API key, M2M
// token or OAuth access token — carries scope among its scopes
// (Auth.Scopes), compared exactly. It never passes for a session, which has
// no scopes. An empty scope, or one containing whitespace (scopes are
// space-separated on the wire), never passes.
func Scope(scope string) Check { return Check{kind: checkScope, name: scope} }

// RequireScope returns a Require that passes when the request's machine
// credential carries every one of scopes: 401 (the Auth's own reason) when
// the request is not authenticated, 403 with reason "forbidden" when a scope
// is missing. It panics without scopes or with an empty one. Put it after a
// middleware that accepts machine credentials (WithAcceptsToken); for "any
// of", use Require(AnyOf(Scope(…), …)).
func RequireScope(scopes ...string) gin.HandlerFunc {
	return requireEvery("RequireScope", Scope, scopes)
}
