package verify

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/keys"
)

// FuzzKindOfJWT signs whatever header and payload the fuzzer makes, so that
// every machine-JWT rule of the classifier is reached, and checks it against
// encoding/json's reading of the same token: an M2M JWT is exactly one whose
// sub is a string starting "mch_"; an OAuth JWT, otherwise, one whose typ
// is exactly "at+jwt" or "application/at+jwt". Inspect agrees with KindOf,
// and VerifyMachine on a machine JWT never panics and fails only with a
// machine reason.
func FuzzKindOfJWT(f *testing.F) {
	priv, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][2]string{
		{hdr(), claimsAt()},
		{hdr("typ", `"at+jwt"`), claimsAt("sid", "", "client_id", `"c_1"`, "scp", `["a","b"]`)},
		{hdr("typ", `"application/at+jwt"`), claimsAt("scope", `"a b"`, "aud", `["x",""]`)},
		{hdr("typ", `"AT+JWT"`), claimsAt()},
		{hdr("typ", `"at\u002bjwt"`), claimsAt()},
		{hdr("cat", `"cl_B7d4PD333AAA"`), claimsAt("sub", `"mch_1"`, "scopes", `"a b"`, "jti", `"mt_1"`)},
		{hdr("cat", `"cl_B7d4PD222AAA"`), claimsAt("sub", `"mch_1"`)},
		{hdr(), claimsAt("sub", `"mch\u005f1"`, "aud", `"x"`)},
		{hdr("typ", `"at+jwt"`), claimsAt("sub", `"mch_1"`)},
		{hdr(), claimsAt("sub", `["mch_1"]`)},
		{hdr("cat", `"cl_B7d4PD333AAA"`), claimsAt("sub", `"mch_1"`, "a\"b", `1`, "\u00e9", `2`)},
	} {
		f.Add([]byte(seed[0]), []byte(seed[1]))
	}
	v := New(Config{Keys: keys.Static(&priv.PublicKey), Now: fixedNow, Skew: testSkew, Audiences: []string{"x"}})
	f.Fuzz(func(t *testing.T, header, payload []byte) {
		token := sign(priv, string(header), string(payload))
		kind := KindOf(token)
		u, inspectErr := Inspect(token)
		if (inspectErr == nil) != (kind != KindMalformed) || (inspectErr == nil && u.Kind != kind) {
			t.Fatalf("KindOf %v, Inspect %v %v", kind, u.Kind, inspectErr)
		}
		if kind == KindMalformed {
			return
		}
		var h, p map[string]any
		if json.Unmarshal(header, &h) != nil || json.Unmarshal(payload, &p) != nil {
			return // a document encoding/json reads differently (duplicates) proves nothing here
		}
		sub, _ := p["sub"].(string)
		typ, _ := h["typ"].(string)
		switch want := strings.HasPrefix(sub, "mch_"); {
		case want != (kind == KindM2MJWT):
			t.Fatalf("sub %q: kind %v", sub, kind)
		case !want && (typ == "at+jwt" || typ == "application/at+jwt") != (kind == KindOAuthJWT):
			t.Fatalf("typ %q: kind %v", typ, kind)
		}
		if kind != KindM2MJWT && kind != KindOAuthJWT {
			return
		}
		m, err := v.VerifyMachine(context.Background(), token, kind)
		if err == nil {
			if m.Subject != sub || m.Kind != kind {
				t.Fatalf("verified %+v from sub %q", m, sub)
			}
			if m.Claims != "" && !json.Valid([]byte(m.Claims)) {
				t.Fatalf("custom claims are not JSON: %q", m.Claims)
			}
			return
		}
		var ce *clerkerr.Error
		if !errors.As(err, &ce) || (ce.Reason != clerkerr.TokenVerificationFailed && ce.Reason != clerkerr.TokenInvalid) {
			t.Fatalf("unexpected error %#v", err)
		}
	})
}
