// Package tokencache remembers the outcome of verifying a credential, so
// that one seen before — a browser reuses its ~60 s Clerk session token for
// every API call — skips the expensive check. It is generic over what a
// verified credential yields (V), so every cache of verified credentials
// shares one discipline: bounded in bytes, collision-safe, lock-free reads.
//
// It is a set-associative table. A key's last hashWindow bytes are hashed
// with hash/maphash under a per-cache random seed, which picks its set and a
// 32-bit tag; a lookup scans the set's tags, and a candidate entry must
// then match the full 64-bit hash and the whole key, compared byte for
// byte, so a token that collides with another — or a tampered token —
// never hits an entry that is not its own. Safety rests on that comparison
// alone; the hash only spreads keys over sets. Lookups take no lock and write
// no shared memory (beyond, rarely, a CLOCK reference bit), so parallel
// requests for the same token do not serialize; inserts lock one of a fixed
// number of stripes.
//
// Memory is bounded in bytes, whatever the size of the credentials: each
// set owns an equal share of Config.Bytes (after the table itself), and an
// insert evicts — dead entries first, then by CLOCK — until the new entry's
// charged size fits its set's share; an entry larger than a whole share is
// not admitted. An entry is charged its own struct plus the size the caller
// reports for the value and the key it keeps (see Put), so the figure
// tracks the heap the cache really holds.
//
// A positive entry expires at the deadline its caller gives and no later
// than MaxTTL after it was stored. A negative entry records that the key
// failed verification: it keeps only the key's SHA-256 (compared on a hit),
// not the key, and lives NegativeTTL. The cache never decides whether a
// credential is valid now: callers still run their clock-dependent checks
// on every hit.
package tokencache

import (
	"crypto/sha256"
	"hash/maphash"
	"math/bits"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// DefaultNegativeTTL is how long a forged token is remembered: long enough
// that replaying it cannot burn RSA time, short enough that a false
// negative (impossible with a fixed key set) would heal quickly.
const DefaultNegativeTTL = 30 * time.Second

// ways is the associativity: a key can live in one of ways slots of its
// set. Its tags fill four cache lines.
const ways = 64

// setBytes is the byte share each set aims for. It bounds the largest entry
// admitted, and sets the granularity of eviction: a set holds four entries
// of a token carrying 11 KiB of custom claims (~30 KiB each), and ways
// typical ~2.7 KiB entries.
const setBytes = 128 << 10

// stripes is the number of insert locks. Inserts are rare (a token's first
// sight), so a fixed, small number suffices to keep them from contending.
const stripes = 64

// hashWindow is how much of a key's end is hashed. The comparison of the
// whole key makes any hash safe, so the hash need only spread keys, and
// the end of a credential is its most random part: a JWS ends with its
// signature, an opaque secret is random throughout. Hashing 64 bytes rather
// than a ~1 KiB token takes the hash off the hit path's profile.
const hashWindow = 64

// Result is the outcome of a lookup.
type Result uint8

const (
	// Miss: the key is unknown (or its entry expired); verify it.
	Miss Result = iota
	// Hit: the key was verified; its value is returned.
	Hit
	// Negative: the key failed verification recently.
	Negative
)

// Config configures a Cache.
type Config struct {
	// Bytes bounds the memory the cache holds: its table and the charged
	// size of every entry. New returns nil when Bytes is zero or negative: a
	// nil *Cache is a valid, disabled cache.
	Bytes int64
	// MaxTTL caps how long a positive entry lives, whatever its deadline.
	// Zero means no cap.
	MaxTTL time.Duration
	// NegativeTTL is how long a negative entry lives. Default:
	// DefaultNegativeTTL.
	NegativeTTL time.Duration
}

// Cache is a verified-credential cache bounded in bytes. It is safe for
// concurrent use. A nil *Cache is disabled: Get always misses and Put does
// nothing.
type Cache[V any] struct {
	seed      maphash.Seed
	sets      []set[V]
	setBudget int64 // bytes each set may charge
	maxTTL    int64 // nanoseconds, 0 = none
	negTTL    int64 // nanoseconds
	locks     [stripes]paddedMutex
}

// set is one associative set. tags and slots are read without a lock;
// deadlines, bytes and hand, the CLOCK hand, are guarded by the set's
// stripe lock.
type set[V any] struct {
	tags  [ways]atomic.Uint32
	slots [ways]atomic.Pointer[Entry[V]]
	// deadlines are the occupied slots' deadlines, so that an insert finds
	// the dead ones without touching the entries.
	deadlines [ways]int64
	bytes     int64
	hand      uint8
}

type paddedMutex struct {
	sync.Mutex
	_ [64 - unsafe.Sizeof(sync.Mutex{})]byte // one cache line per lock
}

// entry is immutable once published, except for its reference bit.
type Entry[V any] struct {
	hash     uint64
	key      string // the whole key; for a negative entry, its SHA-256
	value    V
	negative bool
	deadline int64 // Unix nanoseconds; the entry is dead from then on
	cost     int64 // bytes charged to its set
	ref      atomic.Bool
}

// New returns a cache holding at most cfg.Bytes, or nil (disabled) when
// cfg.Bytes <= 0.
func New[V any](cfg Config) *Cache[V] {
	if cfg.Bytes <= 0 {
		return nil
	}
	if cfg.NegativeTTL <= 0 {
		cfg.NegativeTTL = DefaultNegativeTTL
	}
	nsets := max(1, cfg.Bytes/setBytes)
	c := &Cache[V]{seed: maphash.MakeSeed(), maxTTL: int64(max(cfg.MaxTTL, 0)), negTTL: int64(cfg.NegativeTTL)}
	// A budget too small for the table leaves every set a zero share:
	// nothing is admitted, and the bound still holds.
	c.setBudget = max(cfg.Bytes-tableBytes[V](nsets), 0) / nsets
	c.sets = make([]set[V], nsets)
	return c
}

// hash returns key's hash.
func (c *Cache[V]) hash(key string) uint64 {
	return maphash.String(c.seed, key[max(len(key)-hashWindow, 0):])
}

// tableBytes is what a cache of nsets sets costs before any entry.
func tableBytes[V any](nsets int64) int64 {
	return int64(unsafe.Sizeof(Cache[V]{})) + nsets*int64(unsafe.Sizeof(set[V]{}))
}

// locate returns the set for hash h and the stripe lock that guards its
// inserts.
func (c *Cache[V]) locate(h uint64) (*set[V], *sync.Mutex) {
	// Lemire's range reduction: the high word of h × len is in [0, len).
	// It depends on h's high bits; the tag takes the low ones.
	i, _ := bits.Mul64(h, uint64(len(c.sets)))
	return &c.sets[i], &c.locks[i%stripes].Mutex
}

// Get looks key up at the instant now. On Hit it returns the stored value,
// which is shared and must not be modified.
func (c *Cache[V]) Get(key string, now time.Time) (v V, res Result) {
	if c == nil {
		return v, Miss
	}
	h := c.hash(key)
	s, _ := c.locate(h)
	t := now.UnixNano()
	var digest *[sha256.Size]byte // computed only if a negative entry is a candidate
	for i := range ways {
		if s.tags[i].Load() != uint32(h) {
			continue
		}
		e := s.slots[i].Load()
		if e == nil || e.hash != h || t >= e.deadline {
			continue // another key, or dead: its slot is reused by the next insert
		}
		if e.negative {
			if digest == nil {
				d := sha256.Sum256(unsafe.Slice(unsafe.StringData(key), len(key)))
				digest = &d
			}
			if e.key != string(digest[:]) {
				continue
			}
		} else if e.key != key {
			continue
		}
		if !e.ref.Load() {
			// Write only when the bit is clear, so hot entries are not
			// written (and their cache line not bounced) on every hit.
			e.ref.Store(true)
		}
		if e.negative {
			return v, Negative
		}
		return e.value, Hit
	}
	return v, Miss
}

// Put remembers, at the instant now, that key verified, with value v, until
// deadline (Unix nanoseconds) or MaxTTL from now, whichever is first; an
// entry already past that is not stored. size is the bytes v and key keep
// alive that the cache is to be charged for (key is retained as given: pass
// a string that shares memory v already accounts for, or include len(key)).
func (c *Cache[V]) Put(key string, v V, size int, deadline int64, now time.Time) {
	if c != nil {
		c.PutEntry(new(Entry[V]), key, v, size+int(entryBytes[V]()), deadline, now)
	}
}

// PutEntry is Put with the Entry supplied by the caller, who may allocate
// it together with the value (a struct holding both) to save an
// allocation; size must then count the Entry too. e must be the zero Entry
// and is used once: the cache owns it from then on.
func (c *Cache[V]) PutEntry(e *Entry[V], key string, v V, size int, deadline int64, now time.Time) {
	if c == nil {
		return
	}
	t := now.UnixNano()
	if c.maxTTL > 0 && t+c.maxTTL < deadline {
		deadline = t + c.maxTTL
	}
	if deadline <= t {
		return
	}
	e.hash, e.key, e.value, e.deadline, e.cost = c.hash(key), key, v, deadline, int64(size)
	c.insert(e, key, t)
}

// PutNegative remembers, at the instant now, that key failed verification.
// A negative entry never displaces a live positive one: a flood of distinct
// forged tokens must not evict the tokens of real users.
func (c *Cache[V]) PutNegative(key string, now time.Time) {
	if c == nil {
		return
	}
	t := now.UnixNano()
	ne := new(negativeEntry[V])
	ne.digest = sha256.Sum256(unsafe.Slice(unsafe.StringData(key), len(key)))
	ne.entry = Entry[V]{hash: c.hash(key), key: unsafe.String(&ne.digest[0], len(ne.digest)), negative: true,
		deadline: t + c.negTTL, cost: (int64(unsafe.Sizeof(*ne)) + 15) &^ 15}
	c.insert(&ne.entry, key, t)
}

// negativeEntry is a negative Entry and the digest its key views, in one
// allocation: a positive entry, the common kind, has no room for a digest.
type negativeEntry[V any] struct {
	entry  Entry[V]
	digest [sha256.Size]byte
}

// entryBytes is what an entry costs beyond what its value keeps alive,
// rounded up to the allocator's 16-byte granularity.
func entryBytes[V any]() int64 { return (int64(unsafe.Sizeof(Entry[V]{})) + 15) &^ 15 }

// ExpiryNanos converts an exp claim in Unix seconds to the nanoseconds Put
// takes, plus grace (the clock skew a caller still accepts a token for),
// saturating instead of overflowing for absurd (but signed) values.
func ExpiryNanos(exp int64, grace time.Duration) int64 {
	const maxSec = (1<<63 - 1) / int64(time.Second)
	switch {
	case exp > maxSec:
		return 1<<63 - 1
	case exp < -maxSec:
		return -1 << 63
	}
	d := exp * int64(time.Second)
	if grace > 0 && d <= 1<<63-1-int64(grace) {
		d += int64(grace)
	}
	return d
}
