package keys

import (
	"context"
	"crypto/rsa"
	"log/slog"
	"math"
	"time"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

// Why a fetch started; logged, so an operator can tell refreshes from
// unknown-kid refetches.
const (
	reasonCold       = "cold"
	reasonRefresh    = "refresh"
	reasonUnknownKid = "unknown-kid"
)

// minBackoff is the first retry delay after a failed fetch; it doubles up to
// TTL so that a long outage costs Clerk one request per TTL per scope.
const minBackoff = time.Second

// refreshAsync starts a background refresh of stale keys unless one is
// running or the backoff forbids it. The caller is never made to wait.
func (c *cache) refreshAsync(now time.Time) {
	if now.UnixNano() < c.busyUntil.Load() {
		return // lock-free fast path while a fetch runs or during backoff
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inflight != nil || c.closed || now.Before(c.nextTry) {
		return
	}
	if s := c.snap.Load(); s != nil && now.Before(s.freshUntil) {
		return // another caller's refresh finished in between
	}
	c.startLocked(reasonRefresh)
}

// startLocked starts the one fetch; c.mu must be held and no fetch in flight.
// The goroutine lives at most Timeout and is cancelled by close.
func (c *cache) startLocked(reason string) *call {
	cl := &call{done: make(chan struct{})}
	c.inflight = cl
	c.busyUntil.Store(math.MaxInt64)
	c.counters.fetches.Add(1)
	c.wg.Add(1)
	go c.run(cl, reason)
	return cl
}

// run performs the fetch with its own deadline: not the first caller's ctx,
// because every other caller waiting on it would fail with that caller.
func (c *cache) run(cl *call, reason string) {
	defer c.wg.Done()
	startedAt := c.cfg.Now()
	t0 := time.Now() // real time: durations in logs must not depend on a test clock
	ctx, cancel := context.WithTimeout(c.life, c.cfg.Timeout)
	keys, skipped, err := c.fetch(ctx)
	cancel()
	c.finish(cl, reason, startedAt, time.Since(t0), keys, skipped, err)
}

// finish installs the result of a fetch, updates backoff and the failure
// streak, logs, and releases the waiters.
func (c *cache) finish(cl *call, reason string, startedAt time.Time, took time.Duration,
	keys map[string]*rsa.PublicKey, skipped int, err *clerkerr.Error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil {
		c.succeed(reason, startedAt, took, keys, skipped)
	} else {
		c.fail(reason, took, err)
	}
	c.inflight = nil
	cl.err = err
	close(cl.done)
}

// succeed installs keys; c.mu is held.
func (c *cache) succeed(reason string, startedAt time.Time, took time.Duration, keys map[string]*rsa.PublicKey, skipped int) {
	c.snap.Store(&snapshot{
		keys:        keys,
		fetchedAt:   startedAt,
		freshUntil:  startedAt.Add(c.cfg.TTL),
		usableUntil: startedAt.Add(c.cfg.StaleFor),
	})
	// Kids unknown to the old keys may be in the new ones.
	c.neg.clear()
	c.lastSuccess = startedAt
	c.busyUntil.Store(0)
	if c.streak > 0 {
		c.log.Info("ginclerk: JWKS fetch recovered",
			slog.Int("failed_attempts", c.streak),
			slog.Duration("failing_for", c.cfg.Now().Sub(c.streakStart)),
			slog.Int("keys", len(keys)), slog.Duration("duration", took))
	} else {
		c.log.Debug("ginclerk: JWKS fetched", slog.String("reason", reason),
			slog.Int("keys", len(keys)), slog.Int("skipped", skipped), slog.Duration("duration", took))
	}
	c.streak, c.backoff, c.nextTry, c.lastErr = 0, 0, time.Time{}, nil
}

// fail records a failed fetch and schedules the next allowed attempt; c.mu is
// held. Only the first failure of a streak is a warning: an outage must not
// flood the logs, and recovery is logged once too.
func (c *cache) fail(reason string, took time.Duration, err *clerkerr.Error) {
	now := c.cfg.Now()
	c.counters.failures.Add(1)
	c.streak++
	if c.streak == 1 {
		c.streakStart = now
		c.backoff = min(minBackoff, c.cfg.TTL)
	} else {
		c.backoff = min(2*c.backoff, c.cfg.TTL)
	}
	c.nextTry = now.Add(c.backoff)
	c.busyUntil.Store(c.nextTry.UnixNano())
	c.lastErr = err
	if c.closed {
		return // a cancelled fetch during shutdown is not an outage
	}
	attrs := []any{
		slog.String("reason", reason), slog.String("error_reason", err.Reason),
		slog.String("error", err.Error()), slog.Duration("duration", took),
		slog.Duration("retry_in", c.backoff),
	}
	if err.Err != nil {
		attrs = append(attrs, slog.String("cause", err.Err.Error()))
	}
	if s := c.snap.Load(); s != nil && now.Before(s.usableUntil) {
		attrs = append(attrs, slog.Bool("serving_stale_keys", true), slog.Time("stale_until", s.usableUntil))
	} else {
		attrs = append(attrs, slog.Bool("serving_stale_keys", false))
	}
	if c.streak == 1 {
		c.log.Warn("ginclerk: JWKS fetch failed", attrs...)
	} else {
		c.log.Debug("ginclerk: JWKS fetch still failing", append(attrs, slog.Int("failed_attempts", c.streak))...)
	}
}
