package keys

import (
	"sync/atomic"
	"time"
)

// Stats is a point-in-time view of a JWKS cache, for operators and tests.
// Counters are cumulative over the cache's life and shared by every holder
// of the same scope.
type Stats struct {
	// Fetches is the number of HTTP requests made to the Backend API.
	Fetches uint64
	// Failures is the number of those requests that yielded no usable keys.
	Failures uint64
	// UnknownKidRefetches is the number of fetches caused by an unknown kid
	// (at most one per KidCooldown).
	UnknownKidRefetches uint64
	// NegativeCacheHits is the number of requests answered jwk-kid-mismatch
	// from the negative cache.
	NegativeCacheHits uint64
	// NegativeCacheSize is the number of kids currently remembered as unknown.
	NegativeCacheSize int
	// Keys is the number of keys in service (0 before the first success).
	Keys int
	// LastSuccess is when the fetch behind the keys in service started; zero
	// before the first success.
	LastSuccess time.Time
	// CacheAge is Now() - LastSuccess; zero before the first success.
	CacheAge time.Duration
	// ConsecutiveFailures is the length of the current failure streak.
	ConsecutiveFailures int
	// LastError is the failure of the streak's latest fetch; nil after a success.
	LastError error
}

// counters are bumped from any goroutine without the cache lock.
type counters struct {
	fetches, failures, kidRefetches, negHits atomic.Uint64
}

func (c *cache) stats() Stats {
	st := Stats{
		Fetches:             c.counters.fetches.Load(),
		Failures:            c.counters.failures.Load(),
		UnknownKidRefetches: c.counters.kidRefetches.Load(),
		NegativeCacheHits:   c.counters.negHits.Load(),
		NegativeCacheSize:   c.neg.len(),
	}
	if s := c.snap.Load(); s != nil {
		st.Keys = len(s.keys)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	st.ConsecutiveFailures = c.streak
	if c.lastErr != nil {
		e := *c.lastErr // a copy: the cache's own value is answered to cold callers
		st.LastError = &e
	}
	if !c.lastSuccess.IsZero() {
		st.LastSuccess = c.lastSuccess
		st.CacheAge = c.cfg.Now().Sub(c.lastSuccess)
	}
	return st
}
