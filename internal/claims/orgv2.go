package claims

import (
	"bytes"
	"strings"

	"github.com/ginclerk/ginclerk/internal/jsonx"
)

// decodeOrgV2 reads the compact v2 organization claim o {id, slg, rol, per,
// fpm} together with fea, whose organization-scoped features the fpm bitmasks
// refer to. o is truthy (the caller checked); anything but an object is
// refused rather than read as an organization without fields.
func (c *Claims) decodeOrgV2(o, fea []byte) error {
	if jsonx.KindOf(o) != jsonx.KindObject {
		return invalid(`session token claim "o" must be an object`)
	}
	var per, fpm, rol []byte
	for key, val := range jsonx.Members(o) {
		var err error
		switch string(key) {
		case "id":
			c.OrgID, err = c.str("o.id", val)
		case "slg":
			c.OrgSlug, err = c.str("o.slg", val)
		case "rol":
			rol, err = content("o.rol", val)
		case "per":
			per = val
		case "fpm":
			fpm = val
		}
		if err != nil {
			return err
		}
	}
	// Clerk splits fea before it reads per and fpm; keep its order of failures.
	features, err := c.strictEntitlements("fea", fea)
	if err != nil {
		return err
	}
	c.Features = features
	perList, err := optionalContent("o.per", per)
	if err != nil {
		return err
	}
	fpmList, err := optionalContent("o.fpm", fpm)
	if err != nil {
		return err
	}
	c.OrgRole, c.OrgPermissions = c.orgRoleAndPermissions(rol, features, perList, fpmList)
	return nil
}

// optionalContent decodes per or fpm: absent or falsy means empty (Clerk
// tests them for truthiness), any other non-string is malformed.
func optionalContent(name string, raw []byte) ([]byte, error) {
	if raw == nil || falsy(raw) {
		return nil, nil
	}
	return content(name, raw)
}

// orgRoleAndPermissions builds the v2 role and permissions, whose strings
// share one allocation.
//
// The role is "org:" + rol whenever rol is non-empty, even when rol already
// starts with "org:" (Clerk then yields "org:org:admin").
//
// The permissions expand the fpm bitmasks: entry k belongs to the k-th
// organization-scoped feature, and its bit i (least significant first)
// grants "org:<feature>:<per[i]>". With no per or no fpm the organization
// has no permissions: an empty, non-nil list.
func (c *Claims) orgRoleAndPermissions(rol []byte, features []Entitlement, per, fpm []byte) (role string, perms []string) {
	count, size := 0, 0
	if len(rol) > 0 {
		size = len("org:") + len(rol)
	}
	if len(per) > 0 && len(fpm) > 0 {
		eachPermission(features, per, fpm, func(feature string, perm []byte) {
			count++
			size += len("org:") + len(feature) + len(":") + len(perm)
		})
	}
	var b strings.Builder
	b.Grow(size)
	// The buffer was grown to its final size, so it never moves: earlier
	// substrings of b.String() stay valid and immutable.
	if len(rol) > 0 {
		b.WriteString("org:")
		b.Write(rol)
		role = b.String()
	}
	if count == 0 {
		return role, []string{}
	}
	perms = c.stringRoom(count)
	eachPermission(features, per, fpm, func(feature string, perm []byte) {
		start := b.Len()
		b.WriteString("org:")
		b.WriteString(feature)
		b.WriteByte(':')
		b.Write(perm)
		perms = append(perms, b.String()[start:])
	})
	return role, perms
}

// eachPermission calls yield for every granted permission, in Clerk's order:
// features in fea order, then permissions in per order. Bits beyond the per
// list are ignored; fpm entries beyond the features too.
func eachPermission(features []Entitlement, per, fpm []byte, yield func(feature string, perm []byte)) {
	rest := fpm
	for _, f := range features {
		if !f.Scope.Org() {
			continue
		}
		entry, tail, more := cutComma(rest)
		if m, ok := parseMask(jsTrim(entry)); ok {
			// Walk per only up to the mask's highest set bit, so the work is
			// bounded by the token's size, not by features × permissions.
			names, again := per, true
			for i := 0; again && i < m.len(); i++ {
				var name []byte
				name, names, again = cutComma(names)
				if m.bit(i) {
					yield(f.Name, jsTrim(name))
				}
			}
		}
		if !more {
			return
		}
		rest = tail
	}
}

// cutComma is bytes.Cut for the one separator these lists use.
func cutComma(b []byte) (before, after []byte, found bool) {
	if i := bytes.IndexByte(b, ','); i >= 0 {
		return b[:i], b[i+1:], true
	}
	return b, nil, false
}
