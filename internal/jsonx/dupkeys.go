package jsonx

import "encoding/binary"

// maxListMembers is how many members an object may have before duplicate
// detection switches from comparing against every earlier name (quadratic,
// but allocation-free and fastest for the ~15 members of a token) to a map
// (linear, but allocating). The switch is what keeps a hostile object with
// thousands of members from costing millions of comparisons: in list mode
// each name is compared with at most 63 others.
const maxListMembers = 64

// keyRef records one member name. The first eight bytes of the unescaped
// name, with its length, decide almost every comparison in one step (and
// every comparison of names up to eight bytes, which is all of a Clerk
// token's); only longer names with equal prefixes need their bytes compared.
type keyRef struct {
	prefix uint64 // first 8 unescaped bytes, little-endian, zero-padded
	off    uint32 // offset of the raw name, just past the opening quote
	meta   uint32 // unescaped length << 1 | 1 if the raw name has escapes
}

func (k keyRef) ulen() int     { return int(k.meta >> 1) }
func (k keyRef) escaped() bool { return k.meta&1 != 0 }

// raw returns the name's raw bytes between the quotes.
func (k keyRef) raw(d []byte) []byte {
	if !k.escaped() {
		return d[k.off : int(k.off)+k.ulen()]
	}
	// Escaped names are rare enough that finding the closing quote again
	// beats storing it for every name.
	end, _ := skipString(d, int(k.off)-1)
	return d[k.off : end-1]
}

// memberNames detects duplicate names within one object.
type memberNames struct {
	base  int                 // where this object's names start in scanner.keys
	count int                 // members seen so far
	seen  map[string]struct{} // non-nil once the object left list mode
}

func (m *memberNames) init(s *scanner) { m.base = s.nkeys }

// done pops this object's names so that the enclosing object's list is on
// top again.
func (m *memberNames) done(s *scanner) { s.nkeys = m.base }

// add records the name whose string token starts at start (the opening
// quote) and ends at s.i, and fails if the object already has it. shrink is
// what str returned for it.
func (m *memberNames) add(s *scanner, start, shrink int) error {
	raw := s.data[start+1 : s.i-1]
	k := keyRef{off: uint32(start + 1), meta: uint32(len(raw)-shrink) << 1}
	if shrink != 0 {
		k.meta |= 1
		k.prefix = escapedPrefix(raw)
	} else {
		k.prefix = plainPrefix(s.data, start+1, len(raw))
	}
	m.count++
	if m.seen == nil && m.count <= maxListMembers && s.nkeys < keyBufLen {
		for _, o := range s.keys[m.base:s.nkeys] {
			if o.prefix == k.prefix && o.meta>>1 == k.meta>>1 &&
				(k.ulen() <= 8 || sameName(s.data, o, k)) {
				return newError(ErrDuplicateKey, start, "duplicate member name")
			}
		}
		s.keys[s.nkeys] = k
		s.nkeys++
		return nil
	}
	if m.seen == nil {
		// Too many members, or the buffer is full of enclosing objects'
		// names: this object moves to a map, freeing its slots for nested
		// objects.
		m.seen = make(map[string]struct{}, 2*maxListMembers)
		for _, o := range s.keys[m.base:s.nkeys] {
			m.seen[nameString(s.data, o)] = struct{}{}
		}
		s.nkeys = m.base
	}
	name := nameString(s.data, k)
	if _, dup := m.seen[name]; dup {
		return newError(ErrDuplicateKey, start, "duplicate member name")
	}
	m.seen[name] = struct{}{}
	return nil
}

// plainPrefix returns the first min(n, 8) bytes of d[off:off+n] as a
// zero-padded little-endian word. The name is followed by at least its
// closing quote, so usually one unaligned load and a mask do it.
func plainPrefix(d []byte, off, n int) uint64 {
	switch {
	case n >= 8:
		return binary.LittleEndian.Uint64(d[off:])
	case off+8 <= len(d):
		return binary.LittleEndian.Uint64(d[off:]) & (1<<(8*n) - 1)
	}
	var p uint64
	for j := n - 1; j >= 0; j-- {
		p = p<<8 | uint64(d[off+j])
	}
	return p
}

// escapedPrefix is plainPrefix for a name that needs unescaping.
func escapedPrefix(raw []byte) uint64 {
	var p uint64
	u := unescaper{s: raw}
	for j := 0; j < 8; j++ {
		c, ok := u.next()
		if !ok {
			break
		}
		p |= uint64(c) << (8 * j)
	}
	return p
}

// sameName reports whether two names are equal after unescaping.
func sameName(d []byte, a, b keyRef) bool {
	ra, rb := a.raw(d), b.raw(d)
	if !a.escaped() && !b.escaped() {
		return string(ra) == string(rb)
	}
	ua, ub := unescaper{s: ra}, unescaper{s: rb}
	for {
		ca, oka := ua.next()
		cb, okb := ub.next()
		if oka != okb || ca != cb {
			return false
		}
		if !oka {
			return true
		}
	}
}

// nameString returns the unescaped name as a map key (map mode only).
func nameString(d []byte, k keyRef) string {
	raw := k.raw(d)
	if !k.escaped() {
		return string(raw)
	}
	b, _ := appendUnescaped(make([]byte, 0, k.ulen()), raw)
	return string(b)
}
