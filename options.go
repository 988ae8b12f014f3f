package ginclerk

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
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
	errs              []error
}

// Defaults of the options, as New applies them. The key-cache ones are the
// key source's own, so the two can never disagree.
const (
	// DefaultAPIURL is Clerk's Backend API, "https://api.clerk.com"
	// (WithAPIURL).
	DefaultAPIURL = keys.DefaultAPIURL
	// DefaultAPIVersion is the Backend API version, "v1" (WithAPIVersion).
	DefaultAPIVersion = keys.DefaultAPIVersion
	// DefaultClockSkew is the tolerance on exp, nbf and iat, 5 seconds
	// (WithClockSkew), as in Clerk's JavaScript SDKs.
	DefaultClockSkew = 5 * time.Second
	// DefaultJWKSCacheTTL is how long fetched keys are fresh, 5 minutes
	// (WithJWKSCacheTTL).
	DefaultJWKSCacheTTL = keys.DefaultTTL
	// DefaultJWKSStaleFor is how long the last good keys outlive a failing
	// Backend API, 24 hours (WithJWKSStaleFor).
	DefaultJWKSStaleFor = keys.DefaultStaleFor
	// DefaultKidCooldown is the least time between unknown-kid refetches,
	// 5 minutes (WithKidCooldown).
	DefaultKidCooldown = keys.DefaultKidCooldown
	// DefaultFetchTimeout bounds one JWKS fetch, 5 seconds
	// (WithFetchTimeout).
	DefaultFetchTimeout = keys.DefaultTimeout
	// DefaultTokenCacheBytes bounds the verified-token cache's memory, 32 MiB
	// whatever the tokens' size (WithTokenCacheBytes).
	DefaultTokenCacheBytes = 32 << 20
)

func defaultConfig() config {
	return config{
		apiURL:          DefaultAPIURL,
		apiVersion:      DefaultAPIVersion,
		clockSkew:       DefaultClockSkew,
		now:             time.Now,
		logger:          slog.Default(),
		jwksTTL:         DefaultJWKSCacheTTL,
		jwksStaleFor:    DefaultJWKSStaleFor,
		kidCooldown:     DefaultKidCooldown,
		fetchTimeout:    DefaultFetchTimeout,
		tokenCacheBytes: DefaultTokenCacheBytes,
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
// with this secret key (sk_live_… or sk_test_…). Default: $CLERK_SECRET_KEY.
func WithSecretKey(key string) Option { return func(c *config) { c.secretKey = key } }

// WithAPIURL sets the Backend API base URL; a URL that is not absolute
// http(s) is an error from New. Default: $CLERK_API_URL or
// https://api.clerk.com.
func WithAPIURL(u string) Option { return func(c *config) { c.apiURL = u } }

// WithAPIVersion sets the Backend API version path segment; one containing
// "/", "?" or "#" is an error from New. Default: $CLERK_API_VERSION or "v1".
func WithAPIVersion(v string) Option { return func(c *config) { c.apiVersion = v } }

// checkAPI validates the Backend API URL and version. It runs once in New,
// after every option, so that an option can override a bad environment
// value.
func (c *config) checkAPI() {
	p, err := url.Parse(c.apiURL)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
		c.fail("WithAPIURL/CLERK_API_URL: %q is not an http(s) URL", c.apiURL)
	}
	c.apiURL = strings.TrimRight(c.apiURL, "/")
	if c.apiVersion == "" || strings.ContainsAny(c.apiVersion, "/?#") {
		c.fail("WithAPIVersion/CLERK_API_VERSION: %q is not a version path segment", c.apiVersion)
	}
}

// WithAuthorizedParties requires the token's azp claim to be present and one
// of these origins (for example "https://app.example.com"). Default: no azp
// check, as in Clerk's SDKs.
func WithAuthorizedParties(origins ...string) Option {
	return func(c *config) {
		for _, o := range origins {
			if strings.TrimSpace(o) == "" {
				// An empty party matches no token's azp: every request would
				// be refused, which is never what was meant.
				c.fail("WithAuthorizedParties: empty origin")
				return
			}
		}
		c.authorizedParties = append(c.authorizedParties, origins...)
	}
}

// WithClockSkew sets the tolerance for exp, nbf and iat checks. Default: 5 s,
// like Clerk's JavaScript SDKs.
func WithClockSkew(d time.Duration) Option {
	return func(c *config) {
		if d < 0 {
			c.fail("WithClockSkew: negative skew %v", d)
			return
		}
		c.clockSkew = d
	}
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
// fetch is still bounded by WithFetchTimeout. A client that follows
// redirects may carry the secret key along with them. Default: a private
// client on a clone of http.DefaultTransport that follows no redirect, so
// the secret key only ever goes to the configured API URL, and whose idle
// connections Close releases.
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
