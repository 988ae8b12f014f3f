package keys

import "sync"

// registry holds the live caches by scope, so that every ginclerk instance of
// one Clerk instance — a lax global middleware and a strict route group, say —
// shares one cache and one fetch. A process-wide table is what the scope
// demands; it holds no goroutine, and the last Release removes the entry.
var registry = struct {
	mu sync.Mutex
	m  map[scope]*cache
}{m: make(map[scope]*cache)}

// AcquireJWKS returns a handle on the JWKS cache for cfg's (APIURL,
// APIVersion, SecretKey), creating the cache on first use. Each call must be
// matched by one Release. The other fields of cfg take effect only when the
// call creates the cache. Nothing is fetched until the first Key.
//
// It panics if cfg.SecretKey is empty: a missing secret is a configuration
// error the caller must report before acquiring a key source.
func AcquireJWKS(cfg JWKSConfig) *JWKS {
	if cfg.SecretKey == "" {
		panic("keys: AcquireJWKS needs a SecretKey")
	}
	cfg = cfg.withDefaults()
	sc := cfg.scope()
	registry.mu.Lock()
	defer registry.mu.Unlock()
	c := registry.m[sc]
	if c == nil {
		c = newCache(cfg)
		registry.m[sc] = c
	}
	c.refs++
	return &JWKS{c: c}
}

// Release gives the handle back; calling it again is a no-op. The last
// Release of a scope cancels any fetch in flight, waits for its goroutine and
// closes idle connections, so nothing outlives it. A handle must not be used
// after its Release (it stays memory-safe: once the cache is closed it serves
// the keys it has and never fetches).
func (j *JWKS) Release() {
	if !j.released.CompareAndSwap(false, true) {
		return
	}
	registry.mu.Lock()
	j.c.refs--
	last := j.c.refs == 0
	if last {
		delete(registry.m, j.c.scope)
	}
	registry.mu.Unlock()
	if last {
		// Outside the registry lock: waiting for a fetch must not block
		// other scopes' Acquire and Release.
		j.c.close()
	}
}
