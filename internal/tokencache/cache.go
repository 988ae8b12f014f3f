// Package tokencache remembers the outcome of verifying a session token's
// signature, so that a token seen before — a browser reuses its ~60 s Clerk
// session token for every API call — skips the RSA check.
//
// It is a bounded, set-associative table keyed by the SHA-256 of the whole
// token. Lookups take no lock and write no shared memory (beyond, rarely, a
// CLOCK reference bit), so parallel requests for the same token do not
// serialize; inserts lock one of a fixed number of stripes.
//
// A positive entry holds the verified, immutable *claims.Claims and expires
// no later than the token's exp, and no later than MaxTTL after it was
// stored. A negative entry records that the token failed signature
// verification and lives NegativeTTL. The cache never decides whether a
// token is valid now: callers must still run the clock-dependent checks
// (exp, nbf, iat, azp, iss) on every hit.
//
// Memory: one entry costs its table slot (8 B), the entry (64 B) and the
// Claims it keeps alive (the struct, the payload and the decoded strings):
// 1.6 KiB for a realistic ~550-byte v2 payload, as TestMemoryPerEntry
// measures, so the default 10,000 entries cost about 16 MiB when full. The
// token itself is not kept, only its hash. Sets fill unevenly, so a cache
// of N entries holds a little less than N distinct tokens at once (about
// 86% of N after N random insertions); it never holds more.
package tokencache

import (
	"crypto/sha256"
	"encoding/binary"
	"math/bits"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/ginclerk/ginclerk/internal/claims"
)

// Defaults applied by New to zero Config fields.
const (
	// DefaultNegativeTTL is how long a forged token is remembered: long
	// enough that replaying it cannot burn RSA time, short enough that a
	// false negative (impossible with a fixed key set) would heal quickly.
	DefaultNegativeTTL = 30 * time.Second
)

// ways is the associativity: each token can live in one of ways slots of
// its set. Eight pointers fill one 64-byte cache line.
const ways = 8

// stripes is the number of insert locks. Inserts are rare (a token's first
// sight), so a fixed, small number suffices to keep them from contending.
const stripes = 64

// Key identifies a token: the SHA-256 of the whole token. Hashing the whole
// token matters — a key derived from the signature alone would let a
// tampered payload hit the entry of the genuine token.
type Key [sha256.Size]byte

// KeyOf returns the cache key of token without allocating.
func KeyOf(token string) Key {
	return sha256.Sum256(unsafe.Slice(unsafe.StringData(token), len(token)))
}

// Result is the outcome of a lookup.
type Result uint8

const (
	// Miss: the token is unknown (or its entry expired); verify it.
	Miss Result = iota
	// Hit: the token's signature was verified; its claims are returned.
	Hit
	// Negative: the token failed signature verification recently.
	Negative
)

// Config configures a Cache.
type Config struct {
	// Size is the maximum number of entries. New returns nil when Size is
	// zero or negative: a nil *Cache is a valid, disabled cache.
	Size int
	// MaxTTL caps how long a positive entry lives, whatever the token's
	// exp. Zero means no cap beyond exp.
	MaxTTL time.Duration
	// Grace lets a positive entry outlive exp by the clock skew the caller
	// accepts: such a token is still valid to the caller's exp check (which
	// runs on every hit), so dropping it at exp would only re-run RSA for
	// its last moments. Zero means entries end at exp.
	Grace time.Duration
	// NegativeTTL is how long a negative entry lives. Default:
	// DefaultNegativeTTL.
	NegativeTTL time.Duration
}

// Cache is a bounded verified-token cache. It is safe for concurrent use. A
// nil *Cache is disabled: Get always misses and Put does nothing.
type Cache struct {
	sets   []set
	ways   int
	maxTTL int64 // nanoseconds, 0 = none
	grace  int64 // nanoseconds past exp
	negTTL int64 // nanoseconds
	locks  [stripes]paddedMutex
}

// set is one associative set. slots are read without a lock; hand, the
// CLOCK hand, is guarded by the set's stripe lock.
type set struct {
	slots [ways]atomic.Pointer[entry]
	hand  uint8
}

type paddedMutex struct {
	sync.Mutex
	_ [64 - unsafe.Sizeof(sync.Mutex{})]byte // one cache line per lock
}

// entry is immutable once published, except for its reference bit.
type entry struct {
	key      Key
	claims   *claims.Claims // nil for a negative entry
	deadline int64          // Unix nanoseconds; the entry is dead from then on
	ref      atomic.Bool    // CLOCK: used since the hand last passed
}

// New returns a cache holding at most cfg.Size entries, or nil (disabled)
// when cfg.Size <= 0.
func New(cfg Config) *Cache {
	if cfg.Size <= 0 {
		return nil
	}
	if cfg.NegativeTTL <= 0 {
		cfg.NegativeTTL = DefaultNegativeTTL
	}
	c := &Cache{ways: ways, maxTTL: int64(cfg.MaxTTL), grace: int64(max(cfg.Grace, 0)), negTTL: int64(cfg.NegativeTTL)}
	nsets := cfg.Size / ways
	if nsets == 0 {
		// Fewer entries than one set: one narrower set keeps the bound exact.
		nsets, c.ways = 1, cfg.Size
	}
	c.sets = make([]set, nsets)
	return c
}

// Cap returns the number of entries the cache can hold (at most the
// configured Size).
func (c *Cache) Cap() int {
	if c == nil {
		return 0
	}
	return len(c.sets) * c.ways
}

// locate returns the set for k and the stripe lock that guards its inserts.
// The key is a SHA-256, so its bytes are already uniformly distributed.
func (c *Cache) locate(k *Key) (*set, *sync.Mutex) {
	// Lemire's range reduction: the high word of h × len is in [0, len).
	i, _ := bits.Mul64(binary.LittleEndian.Uint64(k[:8]), uint64(len(c.sets)))
	return &c.sets[i], &c.locks[i%stripes].Mutex
}

// Get looks k up at the instant now. On Hit it returns the verified
// claims, which are shared and must not be modified.
func (c *Cache) Get(k Key, now time.Time) (*claims.Claims, Result) {
	if c == nil {
		return nil, Miss
	}
	s, _ := c.locate(&k)
	t := now.UnixNano()
	for i := range c.ways {
		e := s.slots[i].Load()
		if e == nil || e.key != k {
			continue
		}
		if t >= e.deadline {
			continue // dead; its slot is reused by the next insert
		}
		if !e.ref.Load() {
			// Write only when the bit is clear, so hot entries are not
			// written (and their cache line not bounced) on every hit.
			e.ref.Store(true)
		}
		if e.claims == nil {
			return nil, Negative
		}
		return e.claims, Hit
	}
	return nil, Miss
}

// Put remembers, at the instant now, that k's signature verified, with
// claims cl. The entry expires at cl.Expiry (Unix seconds) plus Grace, or
// MaxTTL from now, whichever is first; a token past that is not stored.
func (c *Cache) Put(k Key, cl *claims.Claims, now time.Time) {
	if c == nil || cl == nil {
		return
	}
	t := now.UnixNano()
	deadline := expiryNanos(cl.Expiry)
	if deadline <= 1<<63-1-c.grace {
		deadline += c.grace
	}
	if c.maxTTL > 0 && t+c.maxTTL < deadline {
		deadline = t + c.maxTTL
	}
	if deadline <= t {
		return
	}
	c.insert(&entry{key: k, claims: cl, deadline: deadline}, t)
}

// PutNegative remembers, at the instant now, that k failed signature
// verification. A negative entry never displaces a live positive one: a
// flood of distinct forged tokens must not evict the tokens of real users.
func (c *Cache) PutNegative(k Key, now time.Time) {
	if c == nil {
		return
	}
	t := now.UnixNano()
	c.insert(&entry{key: k, deadline: t + c.negTTL}, t)
}

// expiryNanos converts exp seconds to nanoseconds, saturating instead of
// overflowing for absurd (but signed) values.
func expiryNanos(exp int64) int64 {
	const maxSec = (1<<63 - 1) / int64(time.Second)
	switch {
	case exp > maxSec:
		return 1<<63 - 1
	case exp < -maxSec:
		return -1 << 63
	}
	return exp * int64(time.Second)
}
