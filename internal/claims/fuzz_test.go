package claims

import (
	"errors"
	"strings"
	"testing"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/jsonx"
)

// FuzzDecode feeds Decode what verify feeds it — documents jsonx.Validate
// accepted — and checks that it never panics, fails only with token-invalid,
// and that an accepted payload honours the invariants the rest of ginclerk
// relies on.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		base + `}`,
		string(typicalV2),
		base + `,"v":2,"o":{"id":"o","rol":"org:admin","per":"a,,b","fpm":"0007,12a,590295810358705651713"},"fea":"o: a,uo:b,x:c,o:d"}`,
		base + `,"v":2,"o":{"per":"a","fpm":"1"},"fea":",,"}`,
		base + `,"v":"2","o":"x","org_id":"org_1","org_permissions":["a"],"fea":"o:a,"}`,
		base + `,"act":{"sub":"user_2"},"fva":[1,-1],"pla":"u:pro"}`,
		base + `,"v":2.0,"o":{"per":"\u00a0a\ufeff","fpm":" 1 "},"fea":"\u3000o:x"}`,
		`{"sub":"","exp":"1"}`,
		`[]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if jsonx.Validate(data, 16) != nil {
			return
		}
		c, err := Decode(data)
		if err != nil {
			var ce *clerkerr.Error
			if !errors.As(err, &ce) || (ce.Reason != clerkerr.TokenInvalid && ce.Reason != clerkerr.TokenVerificationFailed) {
				t.Fatalf("error is neither token-invalid nor token-verification-failed: %#v", err)
			}
			if c != nil {
				t.Fatal("non-nil claims with an error")
			}
			return
		}
		checkInvariants(t, c, data)
	})
}

func checkInvariants(t *testing.T, c *Claims, data []byte) {
	t.Helper()
	if c.Subject == "" {
		t.Fatal("accepted an empty subject")
	}
	if len(c.Raw) != len(data) || (len(data) > 0 && &c.Raw[0] != &data[0]) {
		t.Fatal("Raw is not the payload")
	}
	switch c.Version {
	case 1:
	case 2:
		// Under v2 every permission and the role are built by Decode; v1
		// org_* values are Clerk's strings, copied verbatim.
		for _, p := range c.OrgPermissions {
			if !strings.HasPrefix(p, "org:") {
				t.Fatalf("v2 permission without org: prefix: %q", p)
			}
		}
		if c.OrgRole != "" && !strings.HasPrefix(c.OrgRole, "org:") {
			t.Fatalf("v2 role without org: prefix: %q", c.OrgRole)
		}
	default:
		t.Fatalf("version %d", c.Version)
	}
	for _, list := range [][]Entitlement{c.Features, c.Plans} {
		for _, e := range list {
			if e.Scope < ScopeOrg || e.Scope > ScopeBoth {
				t.Fatalf("entitlement with scope %d", e.Scope)
			}
		}
	}
	if c.Actor != "" && jsonx.KindOf([]byte(c.Actor)) != jsonx.KindObject {
		t.Fatal("Actor is not an object")
	}
}
