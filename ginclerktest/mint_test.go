package ginclerktest_test

import (
	"encoding/json"
	"maps"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk/ginclerktest"
)

func TestMintDefaults(t *testing.T) {
	t.Parallel()
	k := ginclerktest.DefaultKey(t)
	j := split(t, k.Mint(t, ginclerktest.At(time.Unix(base, 0))))

	// Byte-exact: sorted members, no whitespace, as Clerk's tokens.
	assert.Equal(t, `{"alg":"RS256","cat":"cl_B7d4PD111AAA","kid":"ins_test_1","typ":"JWT"}`, string(j.header))
	assert.Equal(t, `{"azp":"http://localhost:3000","exp":1700000060,"fva":[0,-1],"iat":1700000000,`+
		`"iss":"https://clerk.example.test","nbf":1699999990,"sid":"sess_test_1","sts":"active",`+
		`"sub":"user_test_1","v":2}`, string(j.payload))
	require.NoError(t, verifies(&k.Private.PublicKey, j))
	assert.Error(t, verifies(&ginclerktest.SharedKey(t, 1).Private.PublicKey, j), "another key does not verify it")
}

func TestMintDefaultTimeBaseIsNow(t *testing.T) {
	t.Parallel()
	before := time.Now().Unix()
	claims := object(t, split(t, ginclerktest.DefaultKey(t).Mint(t)).payload)
	after := time.Now().Unix()
	iat := int64(claims["iat"].(float64))
	assert.GreaterOrEqual(t, iat, before)
	assert.LessOrEqual(t, iat, after)
	assert.EqualValues(t, iat+60, claims["exp"])
	assert.EqualValues(t, iat-10, claims["nbf"])
}

func TestMintClaims(t *testing.T) {
	t.Parallel()
	at := ginclerktest.At(time.Unix(base, 0))
	tests := []struct {
		name string
		opts []ginclerktest.Claim
		// set lists claims changed or added (JSON values); unset, claims removed.
		set   string
		unset []string
	}{
		{"subject", []ginclerktest.Claim{ginclerktest.Subject("user_42")}, `{"sub":"user_42"}`, nil},
		{"session", []ginclerktest.Claim{ginclerktest.SessionID("sess_42")}, `{"sid":"sess_42"}`, nil},
		{"status", []ginclerktest.Claim{ginclerktest.SessionStatus("pending")}, `{"sts":"pending"}`, nil},
		{"azp", []ginclerktest.Claim{ginclerktest.AuthorizedParty("https://app.example")}, `{"azp":"https://app.example"}`, nil},
		{"issuer", []ginclerktest.Claim{ginclerktest.Issuer("https://x.clerk.accounts.dev")}, `{"iss":"https://x.clerk.accounts.dev"}`, nil},
		{"version", []ginclerktest.Claim{ginclerktest.Version(1)}, `{"v":1}`, nil},
		{"expires in, whole seconds", []ginclerktest.Claim{ginclerktest.ExpiresIn(5*time.Second + 999*time.Millisecond)}, `{"exp":1700000005}`, nil},
		{"expires in", []ginclerktest.Claim{ginclerktest.ExpiresIn(-time.Minute)}, `{"exp":1699999940}`, nil},
		{"time base after expires in", []ginclerktest.Claim{ginclerktest.ExpiresIn(time.Hour), ginclerktest.At(time.Unix(base+100, 0))},
			`{"exp":1700003700,"iat":1700000100,"nbf":1700000090}`, nil},
		{"issued at", []ginclerktest.Claim{ginclerktest.IssuedAt(time.Unix(base+30, 0))}, `{"iat":1700000030}`, nil},
		{"not before", []ginclerktest.Claim{ginclerktest.NotBefore(time.Unix(base+30, 0))}, `{"nbf":1700000030}`, nil},
		{"fva", []ginclerktest.Claim{ginclerktest.FVA(5, 12)}, `{"fva":[5,12]}`, nil},
		{"actor", []ginclerktest.Claim{ginclerktest.Actor("user_admin", map[string]any{"iss": "https://dashboard", "sid": "sess_a"})},
			`{"act":{"iss":"https://dashboard","sid":"sess_a","sub":"user_admin"}}`, nil},
		{"actor without extra", []ginclerktest.Claim{ginclerktest.Actor("user_admin", nil)}, `{"act":{"sub":"user_admin"}}`, nil},
		{"org v1", []ginclerktest.Claim{ginclerktest.OrgV1("org_1", "acme", "org:admin", "org:invoices:read", "org:invoices:manage")},
			`{"org_id":"org_1","org_slug":"acme","org_role":"org:admin","org_permissions":["org:invoices:read","org:invoices:manage"]}`,
			[]string{"v"}},
		{"org v1 without permissions", []ginclerktest.Claim{ginclerktest.OrgV1("org_1", "acme", "org:member")},
			`{"org_id":"org_1","org_slug":"acme","org_role":"org:member","org_permissions":[]}`, []string{"v"}},
		{"org v1 under v2", []ginclerktest.Claim{ginclerktest.OrgV1("org_1", "acme", "org:admin"), ginclerktest.Version(2)},
			`{"org_id":"org_1","org_slug":"acme","org_role":"org:admin","org_permissions":[]}`, nil},
		{"org v2", []ginclerktest.Claim{ginclerktest.Org("org_1", "acme", "admin")}, `{"o":{"id":"org_1","slg":"acme","rol":"admin"}}`, nil},
		{"org v2 without id", []ginclerktest.Claim{ginclerktest.Org("", "", "admin")}, `{"o":{"rol":"admin"}}`, nil},
		{"org v2 permissions", []ginclerktest.Claim{
			ginclerktest.Org("org_1", "acme", "admin"), ginclerktest.Features("o:invoices,u:beta"),
			ginclerktest.OrgPermissions("read,manage", "3"),
		}, `{"o":{"id":"org_1","slg":"acme","rol":"admin","per":"read,manage","fpm":"3"},"fea":"o:invoices,u:beta"}`, nil},
		{"org permissions first, then org", []ginclerktest.Claim{ginclerktest.OrgPermissions("", ""), ginclerktest.Org("org_1", "", "")},
			`{"o":{"id":"org_1","per":"","fpm":""}}`, nil},
		{"org merges into a set object without touching it", []ginclerktest.Claim{
			ginclerktest.Set("o", map[string]any{"id": "org_x", "extra": true}), ginclerktest.Org("org_1", "", ""),
		}, `{"o":{"id":"org_1","extra":true}}`, nil},
		{"plans", []ginclerktest.Claim{ginclerktest.Plans("u:pro,o:team")}, `{"pla":"u:pro,o:team"}`, nil},
		{"custom claim", []ginclerktest.Claim{ginclerktest.Set("metadata", map[string]any{"tier": "gold"})}, `{"metadata":{"tier":"gold"}}`, nil},
		{"malformed value", []ginclerktest.Claim{ginclerktest.Set("exp", "1700000000")}, `{"exp":"1700000000"}`, nil},
		{"raw message", []ginclerktest.Claim{ginclerktest.Set("fea", json.RawMessage(`42`))}, `{"fea":42}`, nil},
		{"no html escaping", []ginclerktest.Claim{ginclerktest.Set("x", "<a&b>")}, `{"x":"<a&b>"}`, nil},
		{"without", []ginclerktest.Claim{ginclerktest.Without("sid", "exp", "nope")}, `{}`, []string{"sid", "exp"}},
		{"set after without", []ginclerktest.Claim{ginclerktest.Without("sub"), ginclerktest.Subject("user_2")}, `{"sub":"user_2"}`, nil},
		{"later wins", []ginclerktest.Claim{ginclerktest.Subject("a"), ginclerktest.Subject("b")}, `{"sub":"b"}`, nil},
	}
	want0 := object(t, split(t, ginclerktest.DefaultKey(t).Mint(t, at)).payload)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := maps.Clone(want0)
			maps.Copy(want, object(t, []byte(tt.set)))
			for _, name := range tt.unset {
				delete(want, name)
			}
			k := ginclerktest.DefaultKey(t)
			j := split(t, k.Mint(t, append([]ginclerktest.Claim{at}, tt.opts...)...))
			assert.Equal(t, want, object(t, j.payload))
			assert.NoError(t, verifies(&k.Private.PublicKey, j))
		})
	}
}

func TestMintSortsNestedMembers(t *testing.T) {
	t.Parallel()
	j := split(t, ginclerktest.DefaultKey(t).Mint(t, ginclerktest.At(time.Unix(base, 0)),
		ginclerktest.Org("org_1", "acme", "admin"), ginclerktest.OrgPermissions("read", "1")))
	assert.Contains(t, string(j.payload), `"o":{"fpm":"1","id":"org_1","per":"read","rol":"admin","slg":"acme"}`)
}

func TestMintSetDoesNotAliasCallerMap(t *testing.T) {
	t.Parallel()
	o := map[string]any{"id": "org_x"}
	ginclerktest.DefaultKey(t).Mint(t, ginclerktest.Set("o", o), ginclerktest.Org("", "", "admin"))
	assert.Equal(t, map[string]any{"id": "org_x"}, o)
}

func TestMintHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []ginclerktest.Claim
		want string
	}{
		{"alg none", []ginclerktest.Claim{ginclerktest.Header("alg", "none")}, `{"alg":"none","cat":"cl_B7d4PD111AAA","kid":"ins_test_1","typ":"JWT"}`},
		{"typ", []ginclerktest.Claim{ginclerktest.Header("typ", "at+jwt")}, `{"alg":"RS256","cat":"cl_B7d4PD111AAA","kid":"ins_test_1","typ":"at+jwt"}`},
		{"extra member", []ginclerktest.Claim{ginclerktest.Header("jku", "https://evil.example/jwks")},
			`{"alg":"RS256","cat":"cl_B7d4PD111AAA","jku":"https://evil.example/jwks","kid":"ins_test_1","typ":"JWT"}`},
		{"without", []ginclerktest.Claim{ginclerktest.WithoutHeader("kid", "typ", "cat")}, `{"alg":"RS256"}`},
		{"non-string", []ginclerktest.Claim{ginclerktest.Header("kid", 7)}, `{"alg":"RS256","cat":"cl_B7d4PD111AAA","kid":7,"typ":"JWT"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k := ginclerktest.DefaultKey(t)
			j := split(t, k.Mint(t, tt.opts...))
			assert.Equal(t, tt.want, string(j.header))
			assert.NoError(t, verifies(&k.Private.PublicKey, j), "still RS256-signed whatever alg says")
		})
	}
}

func TestMintKIDFollowsKey(t *testing.T) {
	t.Parallel()
	k := ginclerktest.SharedKey(t, 2).WithKID("ins_rotated")
	assert.Equal(t, "ins_rotated", object(t, split(t, k.Mint(t)).header)["kid"])
}

func TestMintUnencodable(t *testing.T) {
	t.Parallel()
	k := ginclerktest.DefaultKey(t)
	for name, opt := range map[string]ginclerktest.Claim{
		"claim":  ginclerktest.Set("ch", make(chan int)),
		"header": ginclerktest.Header("x", func() {}),
		"raw":    ginclerktest.Set("bad", json.RawMessage(`{`)),
	} {
		msg := (&fatalTB{TB: t}).run(func(tb testing.TB) { k.Mint(tb, opt) })
		assert.Contains(t, msg, "ginclerktest: encoding the token", name)
		assert.Panics(t, func() { k.Mint(nil, opt) }, "without a test, %s panics", name)
	}
	assert.NotEmpty(t, k.Mint(nil), "t may be nil")
}

func TestSign(t *testing.T) {
	t.Parallel()
	k := ginclerktest.DefaultKey(t)
	header, payload := []byte(`{"alg":"RS256","alg":"none"}`), []byte(`{"sub":"a","sub":"b"`)
	j := split(t, k.Sign(header, payload))
	assert.Equal(t, header, j.header, "bytes are signed verbatim")
	assert.Equal(t, payload, j.payload)
	assert.NoError(t, verifies(&k.Private.PublicKey, j))
}

func TestMintIsDeterministic(t *testing.T) {
	t.Parallel()
	k := ginclerktest.DefaultKey(t)
	opts := []ginclerktest.Claim{ginclerktest.At(time.Unix(base, 0)), ginclerktest.Set("a", map[string]int{"z": 1, "b": 2, "m": 3})}
	assert.Equal(t, k.Mint(t, opts...), k.Mint(t, opts...), "PKCS#1 v1.5 signatures are deterministic too")
}
