package ginclerktest

// OrgV1 sets Clerk's v1 organization claims org_id, org_slug, org_role and
// org_permissions (an array, empty when perms is empty), and deletes v,
// because Clerk ignores org_* claims in v2 tokens. Add Version(2) after it
// to test exactly that. Default: no organization.
func OrgV1(id, slug, role string, perms ...string) Claim {
	perms = append([]string{}, perms...) // never null, never the caller's array
	return func(tk *token) {
		tk.claims["org_id"] = id
		tk.claims["org_slug"] = slug
		tk.claims["org_role"] = role
		tk.claims["org_permissions"] = perms
		delete(tk.claims, "v")
	}
}

// Org sets the v2 organization claim o's members id, slg and rol, keeping
// any other members (per, fpm). Empty arguments are left out, so
// Org("", "", "admin") mints an o without id; rol is the role without
// Clerk's "org:" prefix, which decoders add. Use Set("o", …) for any other
// shape. Default: no o.
func Org(id, slug, rol string) Claim {
	return func(tk *token) {
		o := tk.object("o")
		for name, v := range map[string]string{"id": id, "slg": slug, "rol": rol} {
			if v != "" {
				o[name] = v
			}
		}
	}
}

// OrgPermissions sets o.per and o.fpm, keeping o's other members. per is a
// comma list of permission names; fpm a comma list of decimal bitmasks, one
// per organization-scoped feature of fea in order, bit i granting
// "org:<feature>:<per[i]>". Both are set even when empty. For example
//
//	Org("org_1", "acme", "admin"), Features("o:invoices,u:beta"),
//	OrgPermissions("read,manage", "3")
//
// grants org:invoices:read and org:invoices:manage.
func OrgPermissions(per, fpm string) Claim {
	return func(tk *token) {
		o := tk.object("o")
		o["per"] = per
		o["fpm"] = fpm
	}
}

// Features sets fea, the v2 comma list of "scope:name" features, scope o
// (organization), u (user), or ou/uo (both), e.g. "o:invoices,u:beta".
// Default: absent.
func Features(fea string) Claim { return set("fea", fea) }

// Plans sets pla, the v2 comma list of "scope:name" plans, e.g.
// "u:pro,o:team". Default: absent.
func Plans(pla string) Claim { return set("pla", pla) }
