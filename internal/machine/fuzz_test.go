package machine

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// Verify answers in Clerk's wire format, the fuzzers' seeds.
var seedAnswers = []string{
	`{"object":"api_key","id":"ak_1","type":"api_key","name":"ci","subject":"user_1","scopes":["read:foo"],` +
		`"claims":{"foo":"bar"},"revoked":false,"revocation_reason":null,"expired":false,"expiration":null,` +
		`"created_by":null,"description":null,"last_used_at":null,"created_at":1745354860746,"updated_at":1745354860746}`,
	`{"object":"machine_to_machine_token","id":"mt_1","subject":"mch_1","scopes":["mch_2"],"claims":null,` +
		`"token":"mt_secret","revoked":false,"revocation_reason":null,"expired":false,"expiration":1753746916590,` +
		`"created_at":1753743316590,"updated_at":1753743316590}`,
	`{"object":"clerk_idp_oauth_access_token","id":"oat_1","client_id":"client_1","type":"oauth:access_token",` +
		`"subject":"user_1","scopes":["email"],"revoked":false,"revocation_reason":null,"expired":false,` +
		`"expiration":null,"created_at":1753743316590,"updated_at":1753743316590,"aud":"https://api.example.com"}`,
	`{}`, `null`, `[]`, `{"subject":"user_1","subject":"user_2"}`, `{"scopes":"read"}`, `{"claims":[1]}`,
	`{"expiration":"1753746916590"}`, `{"expiration":1e300}`, `{"revoked":"false"}`, `{"subject":"\ud800"}`,
	`<html>502</html>`,
}

// FuzzDecode: decoding never panics, and what it accepts is well formed,
// independent of the input buffer, and never holds the echoed secret.
func FuzzDecode(f *testing.F) {
	for _, s := range seedAnswers {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := decode(M2MToken, body)
		if err != nil {
			if a != nil {
				t.Fatal("an answer with an error")
			}
			return
		}
		c := a.cred
		if c.Claims != "" && !json.Valid([]byte(c.Claims)) {
			t.Fatalf("invalid claims %q", c.Claims)
		}
		before := c.Subject + c.ID + c.Claims + strings.Join(c.Scopes, ",")
		for i := range body {
			body[i] = 'x'
		}
		if after := c.Subject + c.ID + c.Claims + strings.Join(c.Scopes, ","); after != before {
			t.Fatal("the credential aliases the response body")
		}
		_, _ = check(a, time.Unix(0, 0))
	})
}

// TestDecodeDropsEchoedSecret: the M2M answer's "token" is never kept.
func TestDecodeDropsEchoedSecret(t *testing.T) {
	a, err := decode(M2MToken, []byte(seedAnswers[1]))
	if err != nil {
		t.Fatal(err)
	}
	if got := a.cred.ID + a.cred.Subject + a.cred.Name; strings.Contains(got, "mt_secret") {
		t.Fatal("the echoed token was kept")
	}
}

// TestDecodeRejects: malformed answers are refused, not half-read.
func TestDecodeRejects(t *testing.T) {
	for _, body := range seedAnswers[4:] {
		if _, err := decode(APIKey, []byte(body)); err == nil {
			t.Errorf("%s: accepted", body)
		}
	}
}

// FuzzOpaqueKind: the kind is decided by the prefix alone.
func FuzzOpaqueKind(f *testing.F) {
	for _, s := range []string{"ak_1", "mt_1", "oat_1", "oa_1", "", "AK_1", "eyJ.e30.x", "mt", "mch_1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		kind, ok := OpaqueKind(token)
		want := map[string]Kind{"ak_": APIKey, "mt_": M2MToken, "oat_": OAuthToken}
		var found Kind
		for prefix, k := range want {
			if strings.HasPrefix(token, prefix) {
				found = k
			}
		}
		if ok != (found != "") || kind != found {
			t.Fatalf("OpaqueKind(%q) = %q, %v; want %q", token, kind, ok, found)
		}
		if ok && !bytes.HasSuffix([]byte(kind.endpoint()), []byte("/verify")) {
			t.Fatal("no endpoint")
		}
	})
}
