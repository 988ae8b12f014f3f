// Package ginclerk protects Gin APIs with Clerk (clerk.com) sessions: Clerk's
// Express middleware — ClerkExpressWithAuth, ClerkExpressRequireAuth, onError
// and the JSON error handler — done idiomatically for Gin, with real session
// verification.
//
// WithAuth is lax: it verifies the session token, stores an *Auth (signed in
// or not) and always continues. RequireAuth is strict: a request without a
// valid session is aborted with a status-coded *Error (401, or 503/500 when
// the fault is ours) and the handler never runs. ErrorHandler renders such
// errors as JSON.
//
//	r := gin.New()
//	r.Use(ginclerk.ErrorHandler(), ginclerk.WithAuth())
//	api := r.Group("/api", ginclerk.RequireAuth())
//	api.GET("/me", func(c *gin.Context) {
//		c.JSON(200, gin.H{"user": ginclerk.GetAuth(c).UserID})
//	})
//
// With WithAcceptsToken, a middleware also accepts Clerk's machine
// credentials from the Authorization header — API keys, M2M tokens and
// OAuth access tokens — verified with Clerk's Backend API (opaque ones,
// cached per instance) or the session keys (JWTs); IsAuthenticated,
// Scope and RequireScope work on them.
//
// Tokens come from "Authorization: Bearer …" or, when there is no header
// token, the __session cookie, read beside __client_uat (and the suffixed
// pair several Clerk apps on one domain write) exactly as @clerk/backend
// reads them. They are verified networklessly with a PEM key
// (CLERK_JWT_KEY) or with keys fetched from Clerk's Backend API with the
// secret key (CLERK_SECRET_KEY), cached and shared by every instance with the
// same API URL, version and secret key.
package ginclerk

import (
	"fmt"
	"log/slog"
	"sync"

	"github.com/ginclerk/ginclerk/internal/claims"
	"github.com/ginclerk/ginclerk/internal/keys"
	"github.com/ginclerk/ginclerk/internal/machine"
	"github.com/ginclerk/ginclerk/internal/tokencache"
	"github.com/ginclerk/ginclerk/internal/verify"
)

// ErrNoKeySource is returned by New when neither a PEM key nor a secret key
// is configured. It also matches ErrMisconfigured.
var ErrNoKeySource = fmt.Errorf("%w: no key source: set CLERK_SECRET_KEY (keys fetched from Clerk's Backend API) or CLERK_JWT_KEY (networkless PEM public key), or pass WithSecretKey or WithJWTKey", ErrMisconfigured)

// Clerk verifies Clerk session tokens and machine credentials and builds
// Gin middlewares. Create one
// with New (the zero value is not usable); it is safe for concurrent use.
// Call Close when done with it to release its share of the key cache.
type Clerk struct {
	verifier *verify.Verifier
	logger   *slog.Logger
	release  func()
	closing  sync.Once
	// broken, when set, is the configuration error every request fails with.
	broken *Error
	// jwks is the shared Backend API key cache, nil with a PEM key.
	jwks *keys.JWKS
	// cookies names this instance's session cookies.
	cookies instanceCookies
	// tokens is the verified-token cache (WithTokenCacheBytes), nil when
	// disabled. Per instance: another instance may trust other keys.
	tokens *tokencache.Cache[*claims.Claims]
	// machine verifies opaque machine credentials with the Backend API,
	// nil when neither a secret key nor a machine secret key is set.
	machine *machine.Verifier
}

// New returns a Clerk configured from the environment (CLERK_JWT_KEY,
// CLERK_SECRET_KEY, CLERK_MACHINE_SECRET_KEY, CLERK_API_URL,
// CLERK_API_VERSION, CLERK_PUBLISHABLE_KEY, CLERK_PROXY_URL; none with
// WithoutEnvironment) and then opts, which take
// precedence. It returns an error matching ErrNoKeySource when no key source
// is configured, and one describing every invalid option otherwise.
//
// Instances with the same API URL, API version and secret key share one key
// cache (one fetch, one set of counters). Its settings — WithHTTPClient,
// WithLogger, WithClock, WithJWKSCacheTTL, WithJWKSStaleFor,
// WithKidCooldown, WithFetchTimeout — are those of the first instance that
// created it; later instances' values apply to their own verification only.
func New(opts ...Option) (*Clerk, error) {
	cfg := defaultConfig()
	if readsEnvironment(opts) {
		fromEnvironment(&cfg)
	}
	for _, opt := range opts {
		opt(&cfg)
	}
	cfg.check()
	if err := cfg.err(); err != nil {
		return nil, err
	}
	issuer, err := cfg.resolveIssuer()
	if err != nil {
		return nil, err
	}
	cookies, err := newInstanceCookies(cfg.publishableKey)
	if err != nil {
		return nil, err
	}
	ck := &Clerk{logger: cfg.logger, release: func() {}, cookies: cookies}
	source, err := ck.keySource(&cfg)
	if err != nil {
		return nil, err
	}
	ck.verifier = verify.New(verify.Config{
		Keys:              source,
		Now:               cfg.now,
		Skew:              cfg.clockSkew,
		AuthorizedParties: cfg.authorizedParties,
		Issuer:            issuer,
		Audiences:         cfg.audiences,
	})
	ck.tokens = tokencache.New[*claims.Claims](tokencache.Config{Bytes: cfg.tokenCacheBytes, MaxTTL: cfg.jwksTTL})
	ck.machine = newMachineVerifier(&cfg)
	return ck, nil
}

// newMachineVerifier returns the instance's verifier of opaque machine
// credentials, or nil when no key could authenticate its calls.
func newMachineVerifier(cfg *config) *machine.Verifier {
	if cfg.secretKey == "" && cfg.machineSecretKey == "" {
		return nil
	}
	return machine.New(machine.Config{
		APIURL:           cfg.apiURL,
		SecretKey:        cfg.secretKey,
		MachineSecretKey: cfg.machineSecretKey,
		Audiences:        cfg.audiences,
		HTTPClient:       cfg.httpClient,
		Logger:           cfg.logger,
		Now:              cfg.now,
		CacheTTL:         cfg.machineTokenTTL,
		Timeout:          cfg.fetchTimeout,
	})
}

// keySource resolves the key source in Clerk's order: PEM first, then the
// Backend API JWKS.
func (ck *Clerk) keySource(cfg *config) (keys.Source, error) {
	switch {
	case cfg.jwtKey != "":
		pub, err := keys.ParsePEM(cfg.jwtKey)
		if err != nil {
			return nil, fmt.Errorf("ginclerk: WithJWTKey/CLERK_JWT_KEY: %w", err)
		}
		return keys.Static(pub), nil
	case cfg.secretKey != "":
		ck.jwks = keys.AcquireJWKS(keys.JWKSConfig{
			APIURL:      cfg.apiURL,
			APIVersion:  cfg.apiVersion,
			SecretKey:   cfg.secretKey,
			HTTPClient:  cfg.httpClient,
			Logger:      cfg.logger,
			Now:         cfg.now,
			TTL:         cfg.jwksTTL,
			StaleFor:    cfg.jwksStaleFor,
			KidCooldown: cfg.kidCooldown,
			Timeout:     cfg.fetchTimeout,
		})
		ck.release = ck.jwks.Release
		return ck.jwks, nil
	default:
		return nil, ErrNoKeySource
	}
}

// Close releases the instance's share of the key cache — the last instance
// sharing it stops any fetch in flight — and ends its machine-credential
// verifications in flight, so no goroutine outlives it. The middlewares
// must not be used after Close. Close is idempotent.
func (ck *Clerk) Close() error {
	ck.closing.Do(func() {
		ck.release()
		if ck.machine != nil {
			ck.machine.Close()
		}
	})
	return nil
}
