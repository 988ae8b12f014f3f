package ginclerk

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
)

// AuthKey is the gin context key under which the middlewares store the
// request's *Auth (c.Set(AuthKey, auth)), as Express stores req.auth. Prefer
// GetAuth, which is typed and never returns nil.
const AuthKey = "auth"

// authContextKey keys the same *Auth in the request's context.Context.
type authContextKey struct{}

// Auth is who made the request, as verified from Clerk's session token or,
// where the middleware accepts them (WithAcceptsToken), a machine
// credential. The middlewares always store one, signed in or not. Each
// request's Auth owns its slices (its strings, raw claims included, cannot
// be written), so a handler that writes to them changes its own request
// only, never the verified-token or machine-credential caches; treat it as
// read-only all the same, since later middlewares of the chain read it too.
//
// Which fields a credential sets, by TokenType:
//
//	session_token  UserID, SessionID, SessionStatus, Org*, Features, Plans, Actor, FactorVerificationAge, Claims
//	api_key        ID, Subject, Name, Scopes, Claims; UserID (subject user_…) or OrgID (subject org_…)
//	m2m_token      ID, Subject, MachineID (= Subject), Scopes, Claims
//	oauth_token    ID, Subject, UserID (= Subject), ClientID, Scopes
//
// and Token for all of them.
type Auth struct {
	// TokenType is the kind of credential the request carried (Clerk's
	// tokenType): SessionToken, APIKey, M2MToken or OAuthToken. Signed-out
	// results carry it too, as Clerk reports it: the credential's kind when
	// its verification failed, the accepted kind when a single one was
	// accepted and something else came, empty when a list was.
	TokenType TokenType
	// ID is a machine credential's identifier (its jti for JWTs): "ak_…",
	// "mt_…", "oat_…". Empty for sessions.
	ID string
	// Subject is whom a machine credential acts for: "user_…" or "org_…"
	// for an API key, the machine "mch_…" for an M2M token, "user_…" for an
	// OAuth access token. Empty for sessions (see UserID).
	Subject string
	// Name is an API key's name.
	Name string
	// Scopes are a machine credential's scopes; see Scope and RequireScope.
	Scopes []string
	// MachineID is an M2M token's machine, "mch_…" (= Subject).
	MachineID string
	// ClientID is an OAuth access token's OAuth application client ID.
	ClientID string

	// UserID is the user: a session token's sub claim, e.g. "user_2abc…",
	// an OAuth access token's subject, or an API key's subject when it is
	// a user. Empty when signed out.
	UserID string
	// SessionID is the sid claim, e.g. "sess_2abc…".
	SessionID string
	// SessionStatus is the sts claim ("active", "pending"), when present.
	SessionStatus string
	// OrgID, OrgRole, OrgSlug and OrgPermissions describe the active
	// organization (OrgID is also an API key's subject when it is an
	// organization), decoded from v1 (org_*) or v2 (o) claims. OrgRole keeps
	// Clerk's "org:" prefix, e.g. "org:admin". OrgPermissions is nil when the
	// token says nothing about permissions and empty (non-nil) when it lists
	// none. "No active organization" is OrgID == "".
	OrgID          string
	OrgRole        string
	OrgSlug        string
	OrgPermissions []string
	// Features and Plans are the v2 fea and pla claims.
	Features []Entitlement
	Plans    []Entitlement
	// Actor is set when someone is impersonating the user (the act claim).
	Actor *Actor
	// FactorVerificationAge is the fva claim: minutes since the first and
	// second factor were last verified, -1 when a factor is not enabled.
	// Nil when the token carries no fva.
	FactorVerificationAge *[2]int
	// Claims is the session token's raw, verified JSON payload, including
	// custom claims from session-token customization; for an API key or an
	// M2M token, its custom claims (a JSON object, empty when it has none).
	// It is a string so that it cannot be changed: every request with the
	// same token shares the verified-token cache's copy, at no cost to the
	// requests that never read it. Decode it with Claims[T],
	// ClaimsFromContext[T] or json.Unmarshal([]byte(a.Claims), &v).
	Claims string
	// Token is the raw credential, for forwarding to another service
	// (Clerk's getToken() without a template). Never log it.
	Token string
	// Reason and Message say why the request is signed out (Clerk's reason
	// code and a human-readable message). Empty when signed in.
	Reason  string
	Message string

	// verdict lets a second middleware of the same instance reuse this
	// Auth rather than verify the token again.
	verdict verdict
	// fva backs FactorVerificationAge, so that it never points into the
	// claims the verified-token cache shares between requests.
	fva [2]int
	// room, when set, is where the middleware that built this Auth reserved
	// the memory to attach it to the request (see binding).
	room *binding
}

// Actor is the act claim: the identity impersonating the user.
type Actor struct {
	// Subject is the impersonator's user ID (act.sub).
	Subject string
	// Claims is the whole act object, raw JSON (a view of Auth.Claims).
	Claims string
}

// IsSignedIn reports whether the request carried a valid session token
// (Clerk's isSignedIn). A machine credential is not a signed-in session:
// see IsAuthenticated.
func (a *Auth) IsSignedIn() bool {
	return a != nil && a.UserID != "" && a.Reason == "" && (a.TokenType == "" || a.TokenType == SessionToken)
}

// IsAuthenticated reports whether the request carried a valid credential
// of a kind the middleware accepts (Clerk's isAuthenticated): a signed-in
// session, or a verified API key, M2M token or OAuth access token. The
// strict middlewares let a request through exactly when it is true.
func (a *Auth) IsAuthenticated() bool { return a.IsSignedIn() || a.isMachine() }

// tokenType is a's kind, a hand-made Auth (SetAuth) without one being a
// session's.
func (a *Auth) tokenType() TokenType {
	if a.TokenType == "" {
		return SessionToken
	}
	return a.TokenType
}

// isMachine reports whether a is a verified machine credential.
func (a *Auth) isMachine() bool {
	if a == nil || a.Reason != "" || a.Subject == "" {
		return false
	}
	switch a.TokenType {
	case APIKey, M2MToken, OAuthToken:
		return true
	}
	return false
}

// GetAuth returns the request's Auth. It never returns nil: when no ginclerk
// middleware ran, the result is signed out with reason
// "session-token-and-uat-missing". A context without a Request (a bare
// gin.CreateTestContext) is treated the same way.
func GetAuth(c *gin.Context) *Auth {
	if v, ok := c.Get(AuthKey); ok {
		if a, ok := v.(*Auth); ok && a != nil {
			return a
		}
	}
	if c.Request == nil {
		return AuthFromContext(context.Background())
	}
	return AuthFromContext(c.Request.Context())
}

// AuthFromContext returns the Auth the middlewares put in the request's
// context.Context, for code that only has a context. It never returns nil.
func AuthFromContext(ctx context.Context) *Auth {
	if ctx != nil {
		if a, ok := ctx.Value(authContextKey{}).(*Auth); ok && a != nil {
			return a
		}
	}
	// A fresh value each time, not a shared one: a handler that wrongly
	// wrote to it (a.UserID = …) would otherwise sign in every later request
	// that no middleware covers. The allocation is off the normal path.
	return &Auth{Reason: ReasonSessionTokenAndUATMissing, Message: "no ginclerk middleware ran on this request"}
}

// notSignedIn is the *Error for a signed-out a: its own reason, with the
// status that reason implies, or session-token-and-uat-missing for a hand-made Auth
// (SetAuth) that gives none.
func notSignedIn(a *Auth) *Error {
	if a.Reason == "" {
		return failure(ReasonSessionTokenAndUATMissing, "request is not signed in")
	}
	return failure(a.Reason, a.Message)
}

// SetAuth stores a on c exactly as the middlewares do: under AuthKey and in
// the request's context. Tests (see package ginclerktest) and custom
// authenticators use it.
func SetAuth(c *gin.Context, a *Auth) { new(binding).attach(c, a) }

// binding is what attaching an Auth to a request allocates beyond gin's
// Keys: the context value and the request copy that carries it, in one
// allocation — or none, when it is part of the Auth's own (authCore).
type binding struct {
	ctx authContext
	req http.Request
}

// attach stores a under AuthKey and, through b, in the request's context.
func (b *binding) attach(c *gin.Context, a *Auth) {
	c.Set(AuthKey, a)
	if c.Request == nil {
		return
	}
	b.ctx.Context, b.ctx.auth = c.Request.Context(), a
	// WithContext is inlined, so its copy of the request stays on the
	// stack and lands in b: no allocation of its own.
	b.req = *c.Request.WithContext(&b.ctx)
	c.Request = &b.req
}

// authContext is context.WithValue(parent, authContextKey{}, auth) without
// an allocation of its own.
type authContext struct {
	context.Context
	auth *Auth
}

func (c *authContext) Value(key any) any {
	if key == any(authContextKey{}) {
		return c.auth
	}
	return c.Context.Value(key)
}
