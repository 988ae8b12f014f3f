package machine

import (
	"crypto/sha256"
	"sync"
	"unsafe"
)

// key identifies a credential in the caches: its SHA-256. The credential
// itself is never stored, so a heap dump yields no usable secret.
type key [sha256.Size]byte

// keyOf hashes token in place: a []byte conversion would copy the secret
// to the heap on every request.
func keyOf(token string) key {
	return sha256.Sum256(unsafe.Slice(unsafe.StringData(token), len(token)))
}

// fifo is a cache bounded in bytes: every entry is charged a cost when
// stored, and the oldest entries are evicted while the total exceeds max.
// Entries also end at their deadline (Unix nanoseconds).
//
// The eviction queue lists entries in insertion order. Replacing an entry
// leaves its old queue item behind, still charged, until the queue pops it;
// so the total charged — the queue's sum — bounds the memory of the queue
// and the map together, whatever the pattern of puts.
type fifo[V any] struct {
	mu       sync.RWMutex
	m        map[key]slot[V]
	q        []item // q[head:] are the live queue items, oldest first
	head     int
	used     int64 // sum of the costs of q[head:]
	max      int64
	maxEntry int64 // entries costing more are not stored
	seq      uint64
}

type slot[V any] struct {
	v        V
	deadline int64
	seq      uint64 // matches the queue item that owns this slot
}

type item struct {
	k    key
	seq  uint64
	cost int64
}

func newFIFO[V any](maxBytes int64) *fifo[V] {
	return &fifo[V]{m: make(map[key]slot[V]), max: maxBytes, maxEntry: maxBytes / 16}
}

// get returns k's value if it is alive at now.
func (f *fifo[V]) get(k key, now int64) (V, bool) {
	f.mu.RLock()
	s, ok := f.m[k]
	f.mu.RUnlock()
	if !ok || now >= s.deadline {
		var zero V
		return zero, false
	}
	return s.v, true
}

// put stores v under k until deadline, charged cost, unless it is already
// dead or too costly, then evicts from the oldest end: every dead entry it
// meets, and live ones while over budget.
func (f *fifo[V]) put(k key, v V, cost, deadline, now int64) {
	if deadline <= now || cost > f.maxEntry {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	f.m[k] = slot[V]{v: v, deadline: deadline, seq: f.seq}
	f.q = append(f.q, item{k: k, seq: f.seq, cost: cost})
	f.used += cost
	for f.head < len(f.q) {
		it := f.q[f.head]
		s, owned := f.m[it.k]
		owned = owned && s.seq == it.seq
		if owned && now < s.deadline && f.used <= f.max {
			break
		}
		if owned {
			delete(f.m, it.k)
		}
		f.q[f.head] = item{}
		f.head++
		f.used -= it.cost
	}
	if f.head > len(f.q)/2 {
		// Compact into a fresh array, so the dead half is freed and the
		// queue never holds more than twice its live items.
		f.q, f.head = append([]item(nil), f.q[f.head:]...), 0
	}
}

// stats returns the number of entries and the bytes charged.
func (f *fifo[V]) stats() (entries int, bytes int64) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return len(f.m), f.used
}
