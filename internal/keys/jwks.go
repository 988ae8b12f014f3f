package keys

import (
	"context"
	"crypto/rsa"
	"sync/atomic"
	"time"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

// JWKS is one holder's handle on a shared Backend API JWKS cache, obtained
// from AcquireJWKS and given back with Release. It implements Source.
type JWKS struct {
	c        *cache
	released atomic.Bool
}

var _ Source = (*JWKS)(nil)

// snapshot is an immutable view of one successful fetch. The hot path reads
// it through an atomic pointer, so a hit takes no lock and allocates nothing;
// a refresh replaces it wholesale, which is also how a key removed from the
// JWKS stops being served.
type snapshot struct {
	keys        map[string]*rsa.PublicKey
	fetchedAt   time.Time // when the fetch that produced it started
	freshUntil  time.Time // fetchedAt + TTL: later hits trigger a background refresh
	usableUntil time.Time // fetchedAt + StaleFor: later, the keys are not served at all
}

// Key returns the key for kid. A hit on fresh or stale-but-usable keys never
// waits: stale keys are served while a refresh runs in the background. Only a
// cache without usable keys, or an unknown kid allowed a refetch (see the
// package doc), makes the caller wait, bounded by ctx. kid is not retained
// (the negative cache keeps a copy), so it may alias a reusable buffer.
func (j *JWKS) Key(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	return j.c.key(ctx, kid)
}

// Stats reports the shared cache's counters and state.
func (j *JWKS) Stats() Stats { return j.c.stats() }

func (c *cache) key(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	if kid == "" || len(kid) > maxKidLen {
		// Never looked up, never cached: an empty or oversized kid cannot
		// match any key we keep (parseJWKS drops such keys).
		return nil, kidMismatch()
	}
	now := c.cfg.Now()
	s := c.snap.Load()
	if s == nil || !now.Before(s.usableUntil) {
		return c.cold(ctx, kid, now)
	}
	if k, ok := s.keys[kid]; ok {
		if !now.Before(s.freshUntil) {
			c.refreshAsync(now)
		}
		return k, nil
	}
	return c.unknownKid(ctx, kid, now, s)
}

// cold handles a cache with no usable keys: the first request, or every
// request once StaleFor has passed without a successful fetch. Callers join
// the one fetch in flight; during the backoff after a failure they get that
// failure at once, so an outage costs Clerk one request per backoff period.
func (c *cache) cold(ctx context.Context, kid string, now time.Time) (*rsa.PublicKey, error) {
	c.mu.Lock()
	if s := c.snap.Load(); s != nil && now.Before(s.usableUntil) {
		// A fetch finished between our lock-free look and the lock: answer
		// from its keys rather than start another.
		c.mu.Unlock()
		return c.key(ctx, kid)
	}
	cl := c.inflight
	if cl == nil {
		switch {
		case c.closed:
			c.mu.Unlock()
			return nil, errClosed()
		case c.lastErr != nil && now.Before(c.nextTry):
			err := *c.lastErr // a copy: callers may wrap or annotate it
			c.mu.Unlock()
			return nil, &err
		}
		cl = c.startLocked(reasonCold)
	}
	c.mu.Unlock()
	return c.await(ctx, cl, kid)
}

// unknownKid handles a kid missing from usable keys. It refetches at most
// once per KidCooldown across all callers (or when the keys are past their
// TTL anyway), joins a fetch already in flight, and otherwise answers
// jwk-kid-mismatch immediately: a flood of forged kids costs Clerk nothing.
func (c *cache) unknownKid(ctx context.Context, kid string, now time.Time, s *snapshot) (*rsa.PublicKey, error) {
	stale := !now.Before(s.freshUntil)
	if c.neg.has(kid) {
		c.counters.negHits.Add(1)
		if stale {
			// The negative cache is cleared by the next successful refresh;
			// traffic made only of unknown kids must still be able to cause it.
			c.refreshAsync(now)
		}
		return nil, kidMismatch()
	}
	c.mu.Lock()
	if c.snap.Load() != s {
		// A fetch finished since we looked; its keys may hold the kid.
		c.mu.Unlock()
		return c.key(ctx, kid)
	}
	cl := c.inflight
	if cl == nil {
		cooling := c.kidFetched && now.Before(c.lastKidFetch.Add(c.cfg.KidCooldown))
		if c.closed || now.Before(c.nextTry) || (!stale && cooling) {
			c.mu.Unlock()
			return nil, kidMismatch()
		}
		reason := reasonRefresh
		if !stale {
			reason = reasonUnknownKid
			c.kidFetched, c.lastKidFetch = true, now
			c.counters.kidRefetches.Add(1)
		}
		cl = c.startLocked(reason)
	}
	c.mu.Unlock()
	return c.await(ctx, cl, kid)
}

// await waits for cl or ctx and then answers kid from whatever keys are in
// service. A kid still unknown after a successful fetch goes to the negative
// cache; after a failed one it does not, since it was never checked.
func (c *cache) await(ctx context.Context, cl *call, kid string) (*rsa.PublicKey, error) {
	select {
	case <-cl.done:
	default:
		select {
		case <-cl.done:
		case <-ctx.Done():
			return nil, clerkerr.Wrap(clerkerr.JWKRemoteFailedToLoad, ctx.Err(),
				"could not load Clerk's signing keys: gave up waiting for the Backend API")
		}
	}
	s := c.snap.Load()
	if s != nil && c.cfg.Now().Before(s.usableUntil) {
		if k, ok := s.keys[kid]; ok {
			return k, nil
		}
		if cl.err == nil {
			c.neg.add(kid)
		}
		return nil, kidMismatch()
	}
	if cl.err != nil {
		err := *cl.err
		return nil, &err
	}
	// A fetch succeeded but its keys are already unusable: only possible
	// with StaleFor shorter than the fetch itself.
	return nil, clerkerr.New(clerkerr.JWKRemoteFailedToLoad, "could not load Clerk's signing keys: keys expired")
}

func kidMismatch() error {
	// The kid is attacker-chosen and never echoed: messages travel to clients
	// in headers.
	return clerkerr.New(clerkerr.JWKKidMismatch, "no Clerk signing key matches the token's kid")
}

func errClosed() error {
	return clerkerr.New(clerkerr.JWKRemoteFailedToLoad, "could not load Clerk's signing keys: key source closed")
}
