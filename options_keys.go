package ginclerk

import "time"

// WithJWKSCacheTTL sets how long fetched signing keys are fresh; after that
// they are refreshed in the background while still being served. Default:
// 5 minutes.
func WithJWKSCacheTTL(d time.Duration) Option {
	return positive("WithJWKSCacheTTL", d, func(c *config) { c.jwksTTL = d })
}

// WithJWKSStaleFor sets how long the last good keys stay in service while
// Clerk's API cannot be reached (stale-while-error). Default: 24 hours.
func WithJWKSStaleFor(d time.Duration) Option {
	return positive("WithJWKSStaleFor", d, func(c *config) { c.jwksStaleFor = d })
}

// WithKidCooldown sets the minimum time between two key refetches caused by
// tokens with an unknown kid, however many distinct kids arrive. Default:
// 5 minutes.
func WithKidCooldown(d time.Duration) Option {
	return positive("WithKidCooldown", d, func(c *config) { c.kidCooldown = d })
}

// WithFetchTimeout bounds one request to Clerk's Backend API: a JWKS fetch,
// or a machine-credential verification. Default: 5 s.
func WithFetchTimeout(d time.Duration) Option {
	return positive("WithFetchTimeout", d, func(c *config) { c.fetchTimeout = d })
}

// WithTokenCacheBytes bounds, in bytes, the memory of the verified-token
// cache, which lets a token seen before — a browser reuses its 60-second
// session token for every call — skip the RSA signature check. exp, nbf,
// iat, azp and iss are still checked on every request, and an entry never
// outlives the token's validity (exp plus the clock skew) or the JWKS TTL.
//
// The bound holds whatever the tokens' size: each entry is charged what it
// keeps alive (the token, its decoded payload and claims, ~2.6 KiB for a
// typical 1 KiB token, ~30 KiB for one carrying 11 KiB of custom claims),
// older entries are evicted to make room, and a token too large for the
// cache (over ~60 KiB of claims, at the default) is verified every time
// rather than stored. The cache never holds more than n bytes; the heap it
// causes exceeds that only by the allocator's rounding (a few percent). 0
// disables the cache. Default: DefaultTokenCacheBytes (32 MiB).
func WithTokenCacheBytes(n int64) Option {
	return func(c *config) {
		if n < 0 {
			c.fail("WithTokenCacheBytes: negative size %d", n)
			return
		}
		c.tokenCacheBytes = n
	}
}

func positive(name string, d time.Duration, set Option) Option {
	return func(c *config) {
		if d <= 0 {
			c.fail("%s: %v is not a positive duration", name, d)
			return
		}
		set(c)
	}
}

// nonNegative is positive for options where zero means "none".
func nonNegative(name string, d time.Duration, set Option) Option {
	return func(c *config) {
		if d < 0 {
			c.fail("%s: negative duration %v", name, d)
			return
		}
		set(c)
	}
}
