package ginclerk

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/ginclerk/ginclerk/internal/keys"
)

// Option configures a Clerk instance. Options are applied and validated once,
// in New; a bad value is an error from New, never a failure at request time.
type Option func(*config)

// config is the resolved configuration of one instance.
type config struct {
	jwtKey            string
	secretKey         string
	apiURL            string
	apiVersion        string
	publishableKey    string
	proxyURL          string
	issuer            string
	authorizedParties []string
	clockSkew         time.Duration
	now               func() time.Time
	httpClient        *http.Client // nil: the key source's own client
	logger            *slog.Logger
	jwksTTL           time.Duration
	jwksStaleFor      time.Duration
	kidCooldown       time.Duration
	fetchTimeout      time.Duration
	tokenCacheBytes   int64
	machineSecretKey  string
	audiences         []string
	machineTokenTTL   time.Duration
	// withoutEnvironment is set by WithoutEnvironment.
	withoutEnvironment bool
	errs               []error
}

// Defaults of the options, as New applies them. The key-cache ones are the
// key source's own, so the two can never disagree.
const (
	// defaultAPIURL is Clerk's Backend API, "https://api.clerk.com"
	// (WithAPIURL).
	defaultAPIURL = keys.DefaultAPIURL
	// defaultAPIVersion is the Backend API version, "v1" (WithAPIVersion).
	defaultAPIVersion = keys.DefaultAPIVersion
	// defaultClockSkew is the tolerance on exp, nbf and iat, 5 seconds
	// (WithClockSkew), as in Clerk's JavaScript SDKs.
	defaultClockSkew = 5 * time.Second
	// defaultJWKSCacheTTL is how long fetched keys are fresh, 5 minutes
	// (WithJWKSCacheTTL).
	defaultJWKSCacheTTL = keys.DefaultTTL
	// defaultJWKSStaleFor is how long the last good keys outlive a failing
	// Backend API, 24 hours (WithJWKSStaleFor).
	defaultJWKSStaleFor = keys.DefaultStaleFor
	// defaultKidCooldown is the least time between unknown-kid refetches,
	// 5 minutes (WithKidCooldown).
	defaultKidCooldown = keys.DefaultKidCooldown
	// defaultFetchTimeout bounds one JWKS fetch, 5 seconds
	// (WithFetchTimeout).
	defaultFetchTimeout = keys.DefaultTimeout
	// DefaultTokenCacheBytes bounds the verified-token cache's memory, 32 MiB
	// whatever the tokens' size (WithTokenCacheBytes).
	DefaultTokenCacheBytes = 32 << 20
)

func defaultConfig() config {
	return config{
		apiURL:          defaultAPIURL,
		apiVersion:      defaultAPIVersion,
		clockSkew:       defaultClockSkew,
		now:             time.Now,
		logger:          slog.Default(),
		jwksTTL:         defaultJWKSCacheTTL,
		jwksStaleFor:    defaultJWKSStaleFor,
		kidCooldown:     defaultKidCooldown,
		fetchTimeout:    defaultFetchTimeout,
		tokenCacheBytes: DefaultTokenCacheBytes,

		machineTokenTTL: defaultMachineTokenCacheTTL,
	}
}

func (c *config) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("ginclerk: "+format, args...))
}

func (c *config) err() error { return errors.Join(c.errs...) }

// WithJWTKey verifies tokens with this PEM public key, networklessly (the
// key from the Clerk Dashboard's "JWT public key"). The BEGIN/END lines may
// be missing and the key may be on one line, as people paste it into
// environment variables. It takes precedence over WithSecretKey. Default:
// $CLERK_JWT_KEY.
func WithJWTKey(pem string) Option { return func(c *config) { c.jwtKey = pem } }

// WithSecretKey fetches signing keys from Clerk's Backend API JWKS endpoint
// with this secret key. A value that is not sk_test_… or sk_live_… (a
// publishable key, stray whitespace) is an error from New. Default:
// $CLERK_SECRET_KEY.
func WithSecretKey(key string) Option { return func(c *config) { c.secretKey = key } }

// WithAPIURL sets the Backend API base URL. It must be an absolute https
// URL, or http to a loopback host (localhost, 127.0.0.0/8, ::1) for a local
// fake, with no credentials in it; anything else is an error from New, since
// the secret key travels with every request. Default: $CLERK_API_URL or
// https://api.clerk.com.
func WithAPIURL(u string) Option { return func(c *config) { c.apiURL = u } }

// WithAPIVersion sets the Backend API version path segment; one containing
// "/", "?" or "#" is an error from New. Default: $CLERK_API_VERSION or "v1".
func WithAPIVersion(v string) Option { return func(c *config) { c.apiVersion = v } }

// WithAuthorizedParties requires the token's azp claim to be present and one
// of these origins (for example "https://app.example.com"). Default: no azp
// check, as in Clerk's SDKs.
func WithAuthorizedParties(origins ...string) Option {
	return appendNonBlank("WithAuthorizedParties: empty origin", origins, func(c *config) *[]string { return &c.authorizedParties })
}

// appendNonBlank appends values to the list field picks, or fails with
// message when one is blank: a blank party or audience matches no token,
// so every request would be refused, which is never what was meant.
func appendNonBlank(message string, values []string, field func(*config) *[]string) Option {
	return func(c *config) {
		for _, v := range values {
			if strings.TrimSpace(v) == "" {
				c.fail("%s", message)
				return
			}
		}
		list := field(c)
		*list = append(*list, values...)
	}
}

// WithClockSkew sets the tolerance for exp, nbf and iat checks. Default: 5 s,
// like Clerk's JavaScript SDKs.
func WithClockSkew(d time.Duration) Option {
	return nonNegative("WithClockSkew", d, func(c *config) { c.clockSkew = d })
}

// WithClock sets the source of the current time, for tests. Default:
// time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now == nil {
			panic("ginclerk: WithClock(nil)")
		}
		c.now = now
	}
}

// WithHTTPClient sets the client used to call Clerk's Backend API; each
// fetch is still bounded by WithFetchTimeout. ginclerk uses a copy of hc
// that follows no redirect (hc itself is not modified): keys come only from
// the configured API URL, the secret key goes nowhere else, and a 3xx answer
// is a failed fetch. Default: a private client on a clone of
// http.DefaultTransport, whose idle connections Close releases.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) {
		if hc == nil {
			panic("ginclerk: WithHTTPClient(nil)")
		}
		c.httpClient = hc
	}
}

// WithLogger sets the logger for key fetches and for the middlewares'
// default error hooks. Default: slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l == nil {
			panic("ginclerk: WithLogger(nil)")
		}
		c.logger = l
	}
}
