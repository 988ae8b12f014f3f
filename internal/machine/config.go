package machine

import (
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Defaults for Config fields left zero (CacheTTL excepted: zero disables).
const (
	DefaultAPIURL           = "https://api.clerk.com"
	DefaultCacheTTL         = 30 * time.Second
	DefaultNegativeTTL      = 10 * time.Second
	DefaultTimeout          = 5 * time.Second
	DefaultMaxBytes         = 8 << 20
	DefaultNegativeMaxBytes = 4 << 20
)

// MaxCredentialBytes bounds the credentials worth a Backend API call. Clerk's
// opaque credentials are well under 100 bytes; a longer one is refused as
// token-invalid without a call.
const MaxCredentialBytes = 4 << 10

// Config configures a Verifier.
type Config struct {
	// APIURL is the Backend API base URL, without a version segment.
	// Default DefaultAPIURL; a trailing slash is ignored.
	APIURL string
	// SecretKey authenticates API key and OAuth token verify calls, and M2M
	// ones when MachineSecretKey is empty. Without it, API keys and OAuth
	// tokens fail with secret-key-invalid and no call is made.
	SecretKey string
	// MachineSecretKey, when set, authenticates M2M token verify calls.
	// At least one of SecretKey and MachineSecretKey is required.
	MachineSecretKey string
	// Audiences, when non-empty, are the audiences an OAuth token's aud must
	// contain one of; a token with no aud then fails. Default: no check.
	Audiences []string

	// HTTPClient performs the calls; the Verifier uses a copy that never
	// follows redirects. Default: a private client whose idle connections
	// Close closes.
	HTTPClient *http.Client
	// Logger receives one line per failed call. Default slog.Default().
	Logger *slog.Logger
	// Now is the clock for every expiry decision. Default time.Now.
	Now func() time.Time

	// CacheTTL is how long a verified credential is remembered (never past
	// its expiration). Zero disables both caches; concurrent requests still
	// share one call.
	CacheTTL time.Duration
	// NegativeTTL is how long a credential Clerk does not know is
	// remembered. Default min(DefaultNegativeTTL, CacheTTL).
	NegativeTTL time.Duration
	// Timeout bounds one Backend API call (connect, headers and body),
	// whatever the callers' contexts. Default DefaultTimeout.
	Timeout time.Duration
	// MaxBytes bounds the memory of the verified-credential cache. Default
	// DefaultMaxBytes.
	MaxBytes int64
	// NegativeMaxBytes bounds the memory of the negative cache. Default
	// DefaultNegativeMaxBytes.
	NegativeMaxBytes int64
}

// withDefaults fills the zero fields, so the rest of the package never
// re-checks them.
func (cfg Config) withDefaults() Config {
	cfg.APIURL = strings.TrimRight(strings.TrimSpace(cfg.APIURL), "/")
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.CacheTTL = max(cfg.CacheTTL, 0)
	if cfg.NegativeTTL <= 0 {
		cfg.NegativeTTL = DefaultNegativeTTL
	}
	cfg.NegativeTTL = min(cfg.NegativeTTL, cfg.CacheTTL)
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.NegativeMaxBytes <= 0 {
		cfg.NegativeMaxBytes = DefaultNegativeMaxBytes
	}
	return cfg
}
