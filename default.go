package ginclerk

import (
	"sync"
	"sync/atomic"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk/internal/override"
)

// WithAuth is (*Clerk).WithAuth on a default instance configured from the
// environment as it is when WithAuth is called — typically at route set-up,
// so variables set later are not seen. When the environment configures no
// usable key source, every request is signed out and onError receives a
// status-500 *Error naming CLERK_SECRET_KEY and CLERK_JWT_KEY. While a test
// has called ginclerktest.SetDefault or SetDefaultAuth, every package-level
// middleware — including one created before — uses the test's instead.
func WithAuth(opts ...MiddlewareOption) gin.HandlerFunc {
	return newDefaultMiddleware(false, opts)
}

// RequireAuth is (*Clerk).RequireAuth on a default instance configured from
// the environment as it is when RequireAuth is called — typically at route
// set-up. When the environment
// configures no usable key source, every request is answered 500 with a
// message naming CLERK_SECRET_KEY and CLERK_JWT_KEY. Like WithAuth, it
// follows ginclerktest.SetDefault and SetDefaultAuth.
func RequireAuth(opts ...MiddlewareOption) gin.HandlerFunc {
	return newDefaultMiddleware(true, opts)
}

// defaultMiddleware is a package-level middleware. Which instance it runs
// on is decided per request, with one atomic load, so that a router built
// before a test installs its override (a package-level var, an init) still
// follows it.
type defaultMiddleware struct {
	strict bool
	opts   []MiddlewareOption
	// standIn is how an Auth a test put in place is treated.
	standIn middlewareConfig

	envOnce sync.Once
	env     gin.HandlerFunc // on the environment's instance
	test    atomic.Pointer[boundHandler]
}

// boundHandler is the handler built for one override value.
type boundHandler struct {
	value  any
	handle gin.HandlerFunc
}

func newDefaultMiddleware(strict bool, opts []MiddlewareOption) gin.HandlerFunc {
	// A test's stand-in Auth is not logged by default: the test chose it.
	m := &defaultMiddleware{strict: strict, opts: opts, standIn: middlewareConfig{onError: continueSignedOut}}
	if strict {
		m.standIn.onError = abortSignedOut
	}
	for _, opt := range opts {
		opt(&m.standIn)
	}
	if override.Load() == nil {
		// The environment is read now, when the middleware is created, as
		// documented; under a test's override it is not read at all.
		m.envOnce.Do(m.fromEnvironment)
	}
	return m.serve
}

func (m *defaultMiddleware) serve(c *gin.Context) {
	if _, ok := c.Get(override.StandInKey{}); ok {
		m.keep(c, GetAuth(c))
		return
	}
	if v := override.Load(); v != nil {
		m.forOverride(v)(c)
		return
	}
	m.envOnce.Do(m.fromEnvironment)
	m.env(c)
}

func (m *defaultMiddleware) fromEnvironment() {
	m.env = m.on(defaultClerk())
}

func (m *defaultMiddleware) on(ck *Clerk) gin.HandlerFunc {
	if m.strict {
		return ck.RequireAuth(m.opts...)
	}
	return ck.WithAuth(m.opts...)
}

// forOverride returns the handler for the override v (a *Clerk or an
// *Auth), built on first use and kept until the override changes.
func (m *defaultMiddleware) forOverride(v any) gin.HandlerFunc {
	if b := m.test.Load(); b != nil && b.value == v {
		return b.handle
	}
	var h gin.HandlerFunc
	switch v := v.(type) {
	case *Clerk:
		h = m.on(v)
	case *Auth:
		h = m.fixed(v)
	}
	m.test.Store(&boundHandler{value: v, handle: h})
	return h
}

// fixed stores a on every request, as ginclerktest.SetDefaultAuth asks.
func (m *defaultMiddleware) fixed(a *Auth) gin.HandlerFunc {
	return func(c *gin.Context) {
		SetAuth(c, a)
		m.keep(c, a)
	}
}

// keep treats an Auth a test put in place as the middleware treats one it
// verified: when it is signed out, the onError hook decides.
func (m *defaultMiddleware) keep(c *gin.Context, a *Auth) {
	if !a.IsAuthenticated() {
		if err := m.standIn.onError(notSignedIn(a)); err != nil {
			abort(c, err)
			return
		}
	}
	c.Next()
}

func continueSignedOut(error) error { return nil }

func abortSignedOut(err error) error { return err }
