package tokencache

// insert publishes e in its set, under the set's stripe lock. The slot is,
// in order of preference: the one already holding e's key (two requests
// verified the same token concurrently), an empty or dead one, or the
// victim of a CLOCK sweep — entries used since the hand last passed get a
// second chance. A negative entry may only take a slot that holds nothing
// alive or another negative entry; with none, it is dropped.
func (c *Cache) insert(e *entry, now int64) {
	s, mu := c.locate(&e.key)
	mu.Lock()
	defer mu.Unlock()
	i, keep := c.free(s, e, now)
	if keep {
		return
	}
	if i >= 0 {
		s.slots[i].Store(e)
		return
	}
	if i := c.sweep(s, e.claims == nil); i >= 0 {
		s.slots[i].Store(e)
	}
}

// free returns the slot holding e's key, else an empty or dead slot, else
// -1. keep reports that the set already holds a live verdict for the key
// that must win over e.
func (c *Cache) free(s *set, e *entry, now int64) (slot int, keep bool) {
	spare := -1
	for i := range c.ways {
		old := s.slots[i].Load()
		switch {
		case old == nil || now >= old.deadline:
			if spare < 0 {
				spare = i
			}
		case old.key == e.key:
			// A token is either genuine or not, so a live positive entry
			// meeting a negative verdict can only follow a key change
			// mid-flight; the verified claims are the verdict to keep.
			return i, e.claims == nil && old.claims != nil
		}
	}
	return spare, false
}

// sweep runs the CLOCK hand over the set and returns the victim slot, or -1
// when negativeOnly and the set holds no negative entry.
func (c *Cache) sweep(s *set, negativeOnly bool) int {
	n := c.ways
	for range 2 * n {
		i := int(s.hand)
		s.hand = uint8((i + 1) % n)
		old := s.slots[i].Load()
		if negativeOnly && old.claims != nil {
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
