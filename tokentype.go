package ginclerk

import "fmt"

// TokenType is a kind of credential, named as Clerk names it (Auth.TokenType,
// Clerk's tokenType; WithAcceptsToken, Clerk's acceptsToken).
type TokenType string

// The kinds of credential Clerk issues, and AnyToken for all of them.
const (
	// SessionToken is a Clerk session token: a short-lived JWT from the
	// Authorization header or the __session cookie.
	SessionToken TokenType = "session_token"
	// APIKey is an API key ("ak_…"), acting for a user or an organization.
	APIKey TokenType = "api_key"
	// M2MToken is a machine-to-machine token: opaque ("mt_…") or a JWT
	// whose sub is the machine ("mch_…").
	M2MToken TokenType = "m2m_token"
	// OAuthToken is an OAuth access token: opaque ("oat_…") or a JWT with
	// header typ "at+jwt".
	OAuthToken TokenType = "oauth_token"
	// AnyToken accepts every kind above. It is only an argument of
	// WithAcceptsToken, never an Auth's TokenType.
	AnyToken TokenType = "any"
)

// acceptSet is the set of kinds a middleware accepts. Its zero value is
// the default, sessions only, so that a zero middlewareConfig is Clerk's
// default.
type acceptSet struct {
	kinds uint8 // bits of acceptBit; 0 means sessions only
	// single is the one kind given to WithAcceptsToken, "" for a list or
	// AnyToken: Clerk reports a refusal's token type differently for them.
	single TokenType
}

func acceptBit(t TokenType) uint8 {
	switch t {
	case SessionToken:
		return 1
	case APIKey:
		return 2
	case M2MToken:
		return 4
	case OAuthToken:
		return 8
	case AnyToken:
		return 15
	}
	return 0
}

// has reports whether kind t is accepted.
func (s acceptSet) has(t TokenType) bool {
	if s.kinds == 0 {
		return t == SessionToken
	}
	return s.kinds&acceptBit(t) != 0
}

// sessionsOnly reports whether only session tokens are accepted: the
// default, whose path classifies nothing up front.
func (s acceptSet) sessionsOnly() bool { return s.kinds == 0 || s.kinds == acceptBit(SessionToken) }

// machineJWTs reports whether an M2M or OAuth JWT may be accepted, the
// only case in which a JWT's kind must be read before verifying it.
func (s acceptSet) machineJWTs() bool { return s.has(M2MToken) || s.has(OAuthToken) }

// WithAcceptsToken sets the kinds of credential the middleware accepts,
// Clerk's acceptsToken: one kind, several, or AnyToken. A credential of
// another kind is refused as "token-type-mismatch" (401) before any key is
// fetched or Clerk's Backend API is called; an opaque machine credential
// ("ak_…", "mt_…", "oat_…") where only session tokens are accepted is not
// a JWT at all, and is "token-invalid", as in Clerk. Machine credentials are
// read only from the Authorization header; the session cookie is ignored
// when SessionToken is not accepted.
//
// It applies to WithAuth, RequireAuth, Require and its shortcuts,
// Authenticate and VerifyToken. It panics with no type or an unknown one, a
// programming error. Default: SessionToken.
func WithAcceptsToken(types ...TokenType) MiddlewareOption {
	if len(types) == 0 {
		panic("ginclerk: WithAcceptsToken needs at least one TokenType")
	}
	var set acceptSet
	for _, t := range types {
		bit := acceptBit(t)
		if bit == 0 {
			panic(fmt.Sprintf("ginclerk: WithAcceptsToken: unknown TokenType %q", t))
		}
		set.kinds |= bit
	}
	if len(types) == 1 && types[0] != AnyToken {
		set.single = types[0]
	}
	return func(mc *middlewareConfig) { mc.accepts = set }
}
