package ginclerk

import (
	"os"
	"sync"
)

// The environment variables Clerk's Node SDK reads, read here too.
const (
	envJWTKey    = "CLERK_JWT_KEY"
	envSecretKey = "CLERK_SECRET_KEY"
	// envMachineSecretKey authenticates M2M token verification.
	envMachineSecretKey = "CLERK_MACHINE_SECRET_KEY"
	envAPIURL           = "CLERK_API_URL"
	envAPIVersion       = "CLERK_API_VERSION"
	// The instance's publishable key and Frontend API proxy pin the issuer.
	envPublishableKey = "CLERK_PUBLISHABLE_KEY"
	envProxyURL       = "CLERK_PROXY_URL"
)

// WithoutEnvironment makes New read no CLERK_* environment variable, wherever
// it appears among the options: the instance is configured by its options
// alone. Tests use it (ginclerktest's options include it) so that variables
// set in a developer's shell, such as CLERK_PUBLISHABLE_KEY, cannot change
// what they verify. Default: New reads CLERK_JWT_KEY, CLERK_SECRET_KEY,
// CLERK_MACHINE_SECRET_KEY, CLERK_API_URL, CLERK_API_VERSION,
// CLERK_PUBLISHABLE_KEY and CLERK_PROXY_URL as the lowest-precedence
// options.
func WithoutEnvironment() Option { return func(c *config) { c.withoutEnvironment = true } }

// readsEnvironment reports whether opts leave out WithoutEnvironment. The
// environment is applied before every option, as the layer they override,
// so this must be known before they run: they are first applied to a
// scratch config, which is free of side effects because options only set
// fields.
func readsEnvironment(opts []Option) bool {
	var probe config
	for _, opt := range opts {
		opt(&probe)
	}
	return !probe.withoutEnvironment
}

// fromEnvironment applies the environment as the lowest-precedence options.
func fromEnvironment(c *config) {
	if v := os.Getenv(envJWTKey); v != "" {
		WithJWTKey(v)(c)
	}
	if v := os.Getenv(envSecretKey); v != "" {
		WithSecretKey(v)(c)
	}
	if v := os.Getenv(envMachineSecretKey); v != "" {
		WithMachineSecretKey(v)(c)
	}
	if v := os.Getenv(envAPIURL); v != "" {
		WithAPIURL(v)(c)
	}
	if v := os.Getenv(envAPIVersion); v != "" {
		WithAPIVersion(v)(c)
	}
	if v := os.Getenv(envPublishableKey); v != "" {
		WithPublishableKey(v)(c)
	}
	if v := os.Getenv(envProxyURL); v != "" {
		WithProxyURL(v)(c)
	}
}

// environment is the part of the environment a default instance depends on.
type environment struct {
	jwtKey, secretKey, apiURL, apiVersion, publishableKey, proxyURL, machineSecretKey string
}

// defaultInstances holds one instance per distinct environment, so that a
// lax global WithAuth() and a strict group's RequireAuth() share one
// instance — one key fetch, one verdict per request, and for an unusable
// environment one start-up log line rather than one per middleware.
var defaultInstances = struct {
	sync.Mutex
	m map[environment]*Clerk
}{m: map[environment]*Clerk{}}

// defaultClerk returns the instance for the current environment, creating
// it on first use: a working one, or one that fails every request closed
// when the environment configures nothing usable. Default instances live as
// long as the process, like the package-level middlewares that use them.
func defaultClerk() *Clerk {
	env := environment{os.Getenv(envJWTKey), os.Getenv(envSecretKey), os.Getenv(envAPIURL), os.Getenv(envAPIVersion),
		os.Getenv(envPublishableKey), os.Getenv(envProxyURL), os.Getenv(envMachineSecretKey)}
	defaultInstances.Lock()
	defer defaultInstances.Unlock()
	if ck, ok := defaultInstances.m[env]; ok {
		return ck
	}
	ck, err := New()
	if err != nil {
		ck = misconfigured(err)
	}
	defaultInstances.m[env] = ck
	return ck
}
