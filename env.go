package ginclerk

import (
	"os"
	"sync"

	"github.com/gin-gonic/gin"
)

// The environment variables Clerk's Node SDK reads, read here too.
const (
	envJWTKey     = "CLERK_JWT_KEY"
	envSecretKey  = "CLERK_SECRET_KEY"
	envAPIURL     = "CLERK_API_URL"
	envAPIVersion = "CLERK_API_VERSION"
	// The instance's publishable key and Frontend API proxy pin the issuer.
	envPublishableKey = "CLERK_PUBLISHABLE_KEY"
	envProxyURL       = "CLERK_PROXY_URL"
)

// fromEnvironment applies the environment as the lowest-precedence options.
func fromEnvironment(c *config) {
	if v := os.Getenv(envJWTKey); v != "" {
		WithJWTKey(v)(c)
	}
	if v := os.Getenv(envSecretKey); v != "" {
		WithSecretKey(v)(c)
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
	jwtKey, secretKey, apiURL, apiVersion, publishableKey, proxyURL string
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
		os.Getenv(envPublishableKey), os.Getenv(envProxyURL)}
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

// WithAuth is (*Clerk).WithAuth on a default instance configured from the
// environment as it is when WithAuth is called — typically at route set-up,
// so variables set later are not seen. When the environment configures no
// usable key source, every request is signed out and onError receives a
// status-500 *Error naming CLERK_SECRET_KEY and CLERK_JWT_KEY.
func WithAuth(opts ...MiddlewareOption) gin.HandlerFunc {
	return defaultClerk().WithAuth(opts...)
}

// RequireAuth is (*Clerk).RequireAuth on a default instance configured from
// the environment as it is when RequireAuth is called — typically at route
// set-up. When the environment configures no usable key source, every
// request is answered 500 with a message naming CLERK_SECRET_KEY and
// CLERK_JWT_KEY.
func RequireAuth(opts ...MiddlewareOption) gin.HandlerFunc {
	return defaultClerk().RequireAuth(opts...)
}
