package keys

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ginclerk/ginclerk/internal/backendapi"
	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

// cache is the state shared by every JWKS handle of one scope.
type cache struct {
	cfg    JWKSConfig
	scope  scope
	url    string
	auth   string // "Bearer <secret>", built once
	client *http.Client
	own    *http.Transport // our private transport, nil with a caller's client
	log    *slog.Logger

	// Read without the lock on every request.
	snap      atomic.Pointer[snapshot]
	busyUntil atomic.Int64 // UnixNano before which no fetch may start; lets stale hits skip the lock
	neg       negCache
	counters  counters

	// life bounds every fetch: the last Release cancels it and waits on wg,
	// so no goroutine outlives the cache.
	life context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup

	refs int // guarded by registry.mu

	mu           sync.Mutex
	inflight     *call           // the one fetch at a time, nil when idle
	closed       bool            // no fetch starts after the last Release
	nextTry      time.Time       // backoff: no fetch starts before this after a failure
	backoff      time.Duration   // current backoff step
	streak       int             // consecutive failures; the warning is logged at 1
	streakStart  time.Time       // first failure of the streak, for the recovery line
	lastErr      *clerkerr.Error // last failure, answered to cold callers during backoff
	lastSuccess  time.Time       // fetchedAt of the keys in service
	kidFetched   bool            // an unknown-kid refetch has happened (lastKidFetch is valid)
	lastKidFetch time.Time       // start of the last unknown-kid refetch, for KidCooldown
}

// call is one fetch that any number of callers may wait on.
type call struct {
	done chan struct{}
	err  *clerkerr.Error // set before done is closed
}

// newCache builds the cache for cfg, which has its defaults applied.
func newCache(cfg JWKSConfig) *cache {
	c := &cache{
		cfg:   cfg,
		scope: cfg.scope(),
		url:   cfg.jwksURL(),
		auth:  "Bearer " + cfg.SecretKey,
	}
	// A private transport when the caller gives no client, so that Release
	// can close its idle connections without touching anyone else's.
	c.client, c.own = backendapi.Client(cfg.HTTPClient)
	c.log = cfg.Logger.With(slog.String("component", "ginclerk/keys"), slog.String("jwks_url", c.url))
	c.life, c.stop = context.WithCancel(context.Background())
	c.neg.max = negCacheSize
	return c
}

// close stops the cache for good: no new fetch starts, the one in flight is
// cancelled and waited for, and idle connections are closed.
func (c *cache) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.stop()
	c.wg.Wait()
	if c.own != nil {
		c.own.CloseIdleConnections()
	}
}
