package claims

import "github.com/ginclerk/ginclerk/internal/jsonx"

// decodeOrgV1 reads the version-1 organization claims (org_id, org_role,
// org_slug, org_permissions), used whenever v is not the number 2.
func (c *Claims) decodeOrgV1(d *deferred) error {
	var err error
	if d.orgID != nil {
		if c.OrgID, err = c.str("org_id", d.orgID); err != nil {
			return err
		}
	}
	if d.orgRole != nil {
		if c.OrgRole, err = c.str("org_role", d.orgRole); err != nil {
			return err
		}
	}
	if d.orgSlug != nil {
		if c.OrgSlug, err = c.str("org_slug", d.orgSlug); err != nil {
			return err
		}
	}
	if d.orgPerm != nil {
		c.OrgPermissions, err = c.stringArray("org_permissions", d.orgPerm)
	}
	return err
}

// stringArray decodes an array of strings; an empty array gives an empty,
// non-nil slice (present but no permissions).
func (c *Claims) stringArray(name string, raw []byte) ([]string, error) {
	if jsonx.KindOf(raw) != jsonx.KindArray {
		return nil, invalid("session token claim %q must be an array of strings", name)
	}
	n := 0
	for elem := range jsonx.Elements(raw) {
		if jsonx.KindOf(elem) != jsonx.KindString {
			return nil, invalid("session token claim %q must be an array of strings", name)
		}
		n++
	}
	out := c.stringRoom(n)
	for elem := range jsonx.Elements(raw) {
		s, err := c.str(name, elem)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
