package claims

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeFeaturesAndPlans(t *testing.T) {
	t.Parallel()
	const org = `,"v":2,"o":{"id":"org_1"}`
	tests := []struct {
		name      string
		extra     string
		wantFea   []Entitlement
		wantPlans []Entitlement
	}{
		{
			name:    "all scopes, unknown skipped",
			extra:   org + `,"fea":"o:a,u:b,ou:c,uo:d,x:e,org:f,:g"`,
			wantFea: []Entitlement{{ScopeOrg, "a"}, {ScopeUser, "b"}, {ScopeBoth, "c"}, {ScopeBoth, "d"}},
		},
		{
			name:    "elements trimmed as a whole, never around the colon",
			extra:   org + `,"fea":" o:a , u: b,o :c,\u00a0ou:d\ufeff"`,
			wantFea: []Entitlement{{ScopeOrg, "a"}, {ScopeUser, " b"}, {ScopeBoth, "d"}},
		},
		{
			name:    "name is everything after the first colon",
			extra:   org + `,"fea":"o:a:b,u:"`,
			wantFea: []Entitlement{{ScopeOrg, "a:b"}, {ScopeUser, ""}},
		},
		{
			name:      "plans",
			extra:     `,"pla":"u:pro,o:team,z:zzz"`,
			wantPlans: []Entitlement{{ScopeUser, "pro"}, {ScopeOrg, "team"}},
		},
		{
			name:    "fea read in v1 too (Clerk's has() reads it whatever v is)",
			extra:   `,"fea":"u:a,o:b"`,
			wantFea: []Entitlement{{ScopeUser, "a"}, {ScopeOrg, "b"}},
		},
		{
			name:    "fea read in v2 without o",
			extra:   `,"v":2,"fea":"u:a"`,
			wantFea: []Entitlement{{ScopeUser, "a"}},
		},
		{
			// Clerk never parses fea here outside has(), where a malformed
			// list fails every check: decode to nil, keep the token.
			name:  "malformed fea in v1 is nil, token valid",
			extra: `,"fea":",,"`,
		},
		{
			name:  "malformed fea in v2 without o is nil, token valid",
			extra: `,"v":2,"fea":"u:a,"`,
		},
		{
			name:  "malformed fea with v string 2 is nil, token valid",
			extra: `,"v":"2","o":{"id":"org_1"},"fea":"u:a,b"`,
		},
		{
			name:  "non-string fea outside v2 is nil, token valid",
			extra: `,"fea":["o:a"]`,
		},
		{
			name:    "malformed pla is nil, token valid (Clerk reads pla only in has())",
			extra:   org + `,"fea":"o:a","pla":"u:pro,,"`,
			wantFea: []Entitlement{{ScopeOrg, "a"}},
		},
		{
			name:  "non-string pla is nil, token valid",
			extra: `,"pla":5`,
		},
		{
			name:  "empty lists",
			extra: org + `,"fea":"","pla":""`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Decode(payload(t, tt.extra))
			require.NoError(t, err)
			if tt.wantFea == nil {
				assert.Empty(t, c.Features)
			} else {
				assert.Equal(t, tt.wantFea, c.Features)
			}
			if tt.wantPlans == nil {
				assert.Empty(t, c.Plans)
			} else {
				assert.Equal(t, tt.wantPlans, c.Plans)
			}
		})
	}
}

func TestScope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		scope     Scope
		org, user bool
	}{
		{0, false, false},
		{ScopeOrg, true, false},
		{ScopeUser, false, true},
		{ScopeBoth, true, true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.org, tt.scope.Org(), "scope %d", tt.scope)
		assert.Equal(t, tt.user, tt.scope.User(), "scope %d", tt.scope)
	}
}

func TestJSTrim(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"a", "a"},
		{" \t\n\v\f\ra\r\n ", "a"},
		{"\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\ufeffa b\ufeff\u3000\u00a0", "a b"},
		{"\u0085a\u0085", "\u0085a\u0085"}, // NEL: Go trims it, JavaScript does not
		{"\u200ba\u200b", "\u200ba\u200b"}, // zero-width space is not white space
		{"\u00a1a\u00a1", "\u00a1a\u00a1"}, // C2 lead byte, not NBSP
		{"\u2030a\u2030", "\u2030a\u2030"}, // E2 80 B0, not a space
		{"\u3000", ""},
		{" \u00a0 ", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, jsTrim(tt.in), "jsTrim(%q)", tt.in)
		assert.Equal(t, tt.want, string(jsTrim([]byte(tt.in))), "jsTrim([]byte(%q))", tt.in)
	}
}

func TestParseMask(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		ok   bool
		bits []int // set bits below 81
	}{
		{"", false, nil},
		{"12a", false, nil},
		{"+1", false, nil},
		{"-1", false, nil},
		{"1e3", false, nil},
		{"١", false, nil}, // Arabic-Indic one: not an ASCII digit
		{"0", true, nil},
		{"000", true, nil},
		{"5", true, []int{0, 2}},
		{"18446744073709551615", true, func() []int { // 2^64-1, 20 digits
			b := make([]int, 64)
			for i := range b {
				b[i] = i
			}
			return b
		}()},
		{"590295810358705651713", true, []int{0, 69}},                       // 2^69+1
		{"0000000000000000000000590295810358705651713", true, []int{0, 69}}, // leading zeros
		{"1208925819614629174706176", true, []int{80}},                      // 2^80
	}
	for _, tt := range tests {
		m, ok := parseMask([]byte(tt.in))
		require.Equal(t, tt.ok, ok, "parseMask(%q)", tt.in)
		var got []int
		for i := range 81 {
			if ok && m.bit(i) {
				got = append(got, i)
			}
		}
		assert.Equal(t, tt.bits, got, "bits of %q", tt.in)
		if ok && len(got) > 0 && got[len(got)-1] < 80 {
			assert.Equal(t, got[len(got)-1]+1, m.len(), "len of %q", tt.in)
		}
		if ok && got == nil {
			assert.Zero(t, m.len(), "len of %q", tt.in)
		}
	}
}
