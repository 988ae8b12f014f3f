package claims

import "unsafe"

// Size returns the bytes c keeps alive, for caches bounded in bytes: the
// struct, the payload buffer (with Token when it shares it), the slices'
// backing arrays and every string that is not a view of Raw. Each
// allocation is rounded up as the Go allocator rounds small objects, so
// the figure errs on the high side.
func (c *Claims) Size() int {
	n := alloc(int(unsafe.Sizeof(*c))) + alloc(len(c.Token)+cap(c.Raw))
	for _, s := range [...]string{c.Subject, c.SessionID, c.AuthorizedParty, c.Issuer, c.SessionStatus,
		c.OrgID, c.OrgRole, c.OrgSlug, c.ActorSubject} {
		n += c.own(s)
	}
	if c.OrgPermissions != nil && !c.inline(unsafe.Pointer(unsafe.SliceData(c.OrgPermissions))) {
		n += alloc(cap(c.OrgPermissions) * int(unsafe.Sizeof("")))
	}
	// Built permissions share one buffer (orgRoleAndPermissions); counting
	// each string's length on its own bounds that buffer from above.
	for _, p := range c.OrgPermissions {
		n += c.own(p)
	}
	for _, list := range [...][]Entitlement{c.Features, c.Plans} {
		if list != nil && !c.inline(unsafe.Pointer(unsafe.SliceData(list))) {
			n += alloc(cap(list) * int(unsafe.Sizeof(Entitlement{})))
		}
		for _, e := range list {
			n += c.own(e.Name)
		}
	}
	return n
}

// inline reports whether p points into c itself (its inline room).
func (c *Claims) inline(p unsafe.Pointer) bool {
	start := uintptr(unsafe.Pointer(c))
	return uintptr(p) >= start && uintptr(p) < start+unsafe.Sizeof(*c)
}

// own is what s costs beyond Raw: nothing for a view of it.
func (c *Claims) own(s string) int {
	if len(s) == 0 {
		return 0
	}
	if _, ok := c.offset(unsafe.Slice(unsafe.StringData(s), len(s))); ok {
		return 0
	}
	return alloc(len(s))
}

// alloc rounds n up as the allocator does, within an eighth: its size
// classes are at most 12.5% apart, with 16-byte granularity for small ones.
func alloc(n int) int {
	if n == 0 {
		return 0
	}
	return (n + n/8 + 15) &^ 15
}

// entitlementRoom returns an empty list with capacity n, from the inline
// room while it lasts. The result is clipped there: an append past n
// allocates rather than writing into the next list's room.
func (c *Claims) entitlementRoom(n int) []Entitlement {
	if free := c.ents[c.entsUsed:]; n <= len(free) {
		c.entsUsed += n
		return free[:0:n]
	}
	return make([]Entitlement, 0, n)
}

// stringRoom is entitlementRoom for the string lists.
func (c *Claims) stringRoom(n int) []string {
	if free := c.strs[c.strsUsed:]; n <= len(free) {
		c.strsUsed += n
		return free[:0:n]
	}
	return make([]string, 0, n)
}
