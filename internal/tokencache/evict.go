package tokencache

import (
	"crypto/sha256"
	"unsafe"
)

// insert publishes e (for key) in its set, under the set's stripe lock.
// Dead entries are dropped first; an entry for the same key is replaced
// (two requests verified the same token concurrently), unless e is
// negative and it is a live positive verdict, which wins. Then entries are
// evicted by CLOCK — those used since the hand last passed get a second
// chance — until e has a slot and its cost fits the set's share. A
// negative entry may only displace negative ones; with none, it is dropped,
// and so is an entry larger than a whole share.
func (c *Cache[V]) insert(e *Entry[V], key string, now int64) {
	if e.cost > c.setBudget {
		return
	}
	s, mu := c.locate(e.hash)
	mu.Lock()
	defer mu.Unlock()
	// One pass over the set's own arrays: only a slot whose tag matches is
	// dereferenced, so an insert does not touch every entry of its set.
	free := -1
	var digest *[sha256.Size]byte
	for i := range ways {
		switch {
		case s.slots[i].Load() == nil:
		case now >= s.deadlines[i]:
			s.evict(i)
		case s.tags[i].Load() == uint32(e.hash) && sameKey(s.slots[i].Load(), e.hash, key, &digest):
			if e.negative && !s.slots[i].Load().negative {
				return
			}
			s.evict(i)
		default:
			continue
		}
		if free < 0 {
			free = i
		}
	}
	for free < 0 || s.bytes+e.cost > c.setBudget {
		i := s.sweep(e.negative)
		if i < 0 {
			return
		}
		s.evict(i)
		if free < 0 {
			free = i
		}
	}
	s.deadlines[free] = e.deadline
	s.slots[free].Store(e)
	s.tags[free].Store(uint32(e.hash))
	s.bytes += e.cost
}

// sameKey reports whether old is the entry of key, whose hash is h; digest
// caches key's SHA-256 across calls.
func sameKey[V any](old *Entry[V], h uint64, key string, digest **[sha256.Size]byte) bool {
	if old.hash != h {
		return false
	}
	if !old.negative {
		return old.key == key
	}
	if *digest == nil {
		d := sha256.Sum256(unsafe.Slice(unsafe.StringData(key), len(key)))
		*digest = &d
	}
	return old.key == string((*digest)[:])
}

// evict empties slot i and returns its bytes to the set.
func (s *set[V]) evict(i int) {
	s.bytes -= s.slots[i].Load().cost
	s.tags[i].Store(0)
	s.slots[i].Store(nil)
}

// sweep runs the CLOCK hand over the set's entries and returns the victim
// slot, or -1 when there is none: an empty set, or, when negativeOnly, one
// holding no negative entry.
func (s *set[V]) sweep(negativeOnly bool) int {
	for range 2 * ways {
		i := int(s.hand)
		s.hand = uint8((i + 1) % ways)
		old := s.slots[i].Load()
		if old == nil || (negativeOnly && !old.negative) {
			continue
		}
		if old.ref.Load() {
			old.ref.Store(false)
			continue
		}
		return i
	}
	return -1
}
