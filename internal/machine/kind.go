package machine

import "strings"

// Kind is the kind of a machine credential. Its values are Clerk's token
// type names, so the root package can convert it to its TokenType.
type Kind string

// The opaque machine credential kinds.
const (
	APIKey     Kind = "api_key"
	M2MToken   Kind = "m2m_token"
	OAuthToken Kind = "oauth_token"
)

// The prefixes of Clerk's opaque machine credentials.
const (
	apiKeyPrefix     = "ak_"
	m2mTokenPrefix   = "mt_"
	oauthTokenPrefix = "oat_"
)

// OpaqueKind returns the kind of an opaque machine credential by its prefix,
// or false when token has none of Clerk's prefixes. It looks at nothing
// else: a JWT (which has none of the prefixes) is classified elsewhere.
func OpaqueKind(token string) (Kind, bool) {
	switch {
	case strings.HasPrefix(token, apiKeyPrefix):
		return APIKey, true
	case strings.HasPrefix(token, m2mTokenPrefix):
		return M2MToken, true
	case strings.HasPrefix(token, oauthTokenPrefix):
		return OAuthToken, true
	}
	return "", false
}

// endpoint is the verify path of each kind, below the unversioned API URL.
func (k Kind) endpoint() string {
	switch k {
	case APIKey:
		return "/api_keys/verify"
	case M2MToken:
		return "/m2m_tokens/verify"
	default:
		return "/oauth_applications/access_tokens/verify"
	}
}

// bodyField is the JSON member that carries the credential in the request.
func (k Kind) bodyField() string {
	switch k {
	case APIKey:
		return "secret"
	case M2MToken:
		return "token"
	default:
		return "access_token"
	}
}

// noun names the kind in messages.
func (k Kind) noun() string {
	switch k {
	case APIKey:
		return "API key"
	case M2MToken:
		return "M2M token"
	default:
		return "OAuth access token"
	}
}
