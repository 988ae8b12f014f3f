package keys

import (
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Defaults for JWKSConfig fields left zero.
const (
	DefaultAPIURL      = "https://api.clerk.com"
	DefaultAPIVersion  = "v1"
	DefaultTTL         = 5 * time.Minute
	DefaultStaleFor    = 24 * time.Hour
	DefaultKidCooldown = 5 * time.Minute
	DefaultTimeout     = 5 * time.Second
)

// JWKSConfig configures a Backend API JWKS source. Only APIURL, APIVersion and
// SecretKey identify the shared cache; the other fields of the first
// AcquireJWKS for a scope are the ones in effect while that cache lives.
type JWKSConfig struct {
	// APIURL is the Backend API base URL. Default DefaultAPIURL; a trailing
	// slash is ignored.
	APIURL string
	// APIVersion is the Backend API version path segment. Default "v1".
	APIVersion string
	// SecretKey authenticates the JWKS request (Authorization: Bearer). Required.
	SecretKey string

	// HTTPClient performs the fetch; the cache uses a copy that follows no
	// redirect, whatever this one does. Default: a private client whose idle
	// connections the last Release closes.
	HTTPClient *http.Client
	// Logger receives one line per fetch and failure streak. Default slog.Default().
	Logger *slog.Logger
	// Now is the clock for every TTL, stale, backoff and cooldown decision.
	// Default time.Now.
	Now func() time.Time

	// TTL is how long fetched keys are fresh; older keys are still served
	// while a refresh runs in the background. Default 5 minutes.
	TTL time.Duration
	// StaleFor is how long after the last successful fetch keys stay in
	// service while refreshes fail. Default 24 hours.
	StaleFor time.Duration
	// KidCooldown is the minimum time between two refetches caused by an
	// unknown kid, across all callers. Default 5 minutes.
	KidCooldown time.Duration
	// Timeout bounds one fetch (connect, headers and body). Default 5 seconds.
	Timeout time.Duration
}

// scope identifies a shared cache. The secret is part of it so that two
// instances with different secret keys never see each other's keys.
type scope struct{ apiURL, apiVersion, secretKey string }

// withDefaults fills zero (or negative) fields, so the rest of the package
// never re-checks them.
func (cfg JWKSConfig) withDefaults() JWKSConfig {
	cfg.APIURL = strings.TrimRight(strings.TrimSpace(cfg.APIURL), "/")
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	cfg.APIVersion = strings.Trim(strings.TrimSpace(cfg.APIVersion), "/")
	if cfg.APIVersion == "" {
		cfg.APIVersion = DefaultAPIVersion
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	defaultDuration(&cfg.TTL, DefaultTTL)
	defaultDuration(&cfg.StaleFor, DefaultStaleFor)
	defaultDuration(&cfg.KidCooldown, DefaultKidCooldown)
	defaultDuration(&cfg.Timeout, DefaultTimeout)
	return cfg
}

func defaultDuration(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

func (cfg JWKSConfig) scope() scope {
	return scope{apiURL: cfg.APIURL, apiVersion: cfg.APIVersion, secretKey: cfg.SecretKey}
}

// jwksURL is the Backend API endpoint Clerk's SDKs use.
func (cfg JWKSConfig) jwksURL() string {
	return cfg.APIURL + "/" + cfg.APIVersion + "/jwks"
}
