package claims

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

func TestDecodeStandardClaims(t *testing.T) {
	t.Parallel()
	p := payload(t, `,"sid":"sess_1","azp":"https://app.example","iss":"https://clerk.example","sts":"active",`+
		`"nbf":1699999990,"iat":1699999995,"custom":{"nested":[1,{"x":null}]},"v":1`)
	c, err := Decode(p)
	require.NoError(t, err)
	assert.Equal(t, "user_1", c.Subject)
	assert.Equal(t, "sess_1", c.SessionID)
	assert.Equal(t, "https://app.example", c.AuthorizedParty)
	assert.Equal(t, "https://clerk.example", c.Issuer)
	assert.Equal(t, "active", c.SessionStatus)
	assert.Equal(t, int64(1700000000), c.Expiry)
	assert.Equal(t, int64(1699999990), c.NotBefore)
	assert.Equal(t, int64(1699999995), c.IssuedAt)
	assert.True(t, c.HasNotBefore)
	assert.True(t, c.HasIssuedAt)
	assert.Equal(t, 1, c.Version)
	assert.Nil(t, c.OrgPermissions)
	assert.Nil(t, c.Features)
	assert.Nil(t, c.Plans)
	assert.Empty(t, c.Actor)
	assert.False(t, c.HasFVA)
	require.Len(t, c.Raw, len(p))
	assert.Same(t, &p[0], &c.Raw[0], "Raw must be the caller's buffer, not a copy")
}

func TestDecodeMinimal(t *testing.T) {
	t.Parallel()
	c, err := Decode(payload(t, ""))
	require.NoError(t, err)
	assert.Equal(t, "user_1", c.Subject)
	assert.False(t, c.HasNotBefore)
	assert.False(t, c.HasIssuedAt)
	assert.Empty(t, c.SessionID)
	assert.Equal(t, 1, c.Version)
}

func TestDecodeNumbers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		exp  string
		want int64
	}{
		{"integer", `1700000000`, 1700000000},
		{"fraction truncated", `1700000000.9`, 1700000000},
		{"exponent", `1.7e9`, 1700000000},
		{"negative", `-5`, -5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Decode(payload(t, `,"nbf":`+tt.exp+`,"iat":`+tt.exp))
			require.NoError(t, err)
			assert.Equal(t, tt.want, c.NotBefore)
			assert.Equal(t, tt.want, c.IssuedAt)
		})
	}
}

// TestDecodeRegisteredClaimTypes pins @clerk/backend's reason for a missing
// or mistyped sub, exp, nbf or iat: token-verification-failed, not
// token-invalid.
func TestDecodeRegisteredClaimTypes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		payload string
		want    string
	}{
		{"no sub", `{"exp":1}`, `"sub" is required and must be a string`},
		{"numeric sub", `{"sub":12345678,"exp":1}`, `"sub" is required and must be a string`},
		{"null sub", `{"sub":null,"exp":1}`, `"sub" is required and must be a string`},
		{"no exp", `{"sub":"u"}`, `"exp" is required and must be a number`},
		{"numeric string exp", `{"sub":"u","exp":"1700000000"}`, `"exp" must be a number`},
		{"null exp", `{"sub":"u","exp":null}`, `"exp" must be a number`},
		{"string nbf", `{"sub":"u","exp":1,"nbf":"1"}`, `"nbf" must be a number`},
		{"bool iat", `{"sub":"u","exp":1,"iat":true}`, `"iat" must be a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Decode([]byte(tt.payload))
			assert.Nil(t, c)
			var ce *clerkerr.Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, clerkerr.TokenVerificationFailed, ce.Reason)
			assert.Contains(t, ce.Message, tt.want)
			assert.NotContains(t, ce.Message, "12345678", "messages must not echo claim values")
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		payload string // a whole payload
		want    string // part of the message
	}{
		{"not an object", `[1,2]`, "not a JSON object"},
		{"string payload", `"sub"`, "not a JSON object"},
		{"empty sub", `{"sub":"","exp":1}`, `"sub" must be a non-empty string`},
		{"exp out of range", `{"sub":"u","exp":1e300}`, `"exp"`},
		{"numeric sid", `{"sub":"u","exp":1,"sid":1}`, `"sid" must be a string`},
		{"null azp", `{"sub":"u","exp":1,"azp":null}`, `"azp" must be a string`},
		{"array iss", `{"sub":"u","exp":1,"iss":["a"]}`, `"iss" must be a string`},
		{"object sts", `{"sub":"u","exp":1,"sts":{}}`, `"sts" must be a string`},
		{"string act", `{"sub":"u","exp":1,"act":"user_2"}`, `"act" must be an object`},
		{"null act", `{"sub":"u","exp":1,"act":null}`, `"act" must be an object`},
		{"numeric act.sub", `{"sub":"u","exp":1,"act":{"sub":7}}`, `"act.sub" must be a string`},
		{"fva not array", `{"sub":"u","exp":1,"fva":"1,2"}`, `"fva"`},
		{"fva one element", `{"sub":"u","exp":1,"fva":[1]}`, `"fva"`},
		{"fva three elements", `{"sub":"u","exp":1,"fva":[1,2,3]}`, `"fva"`},
		{"fva empty", `{"sub":"u","exp":1,"fva":[]}`, `"fva"`},
		{"fva string element", `{"sub":"u","exp":1,"fva":["1",2]}`, `"fva"`},
		{"fva fraction", `{"sub":"u","exp":1,"fva":[1.5,2]}`, `"fva"`},
		{"fva exponent", `{"sub":"u","exp":1,"fva":[1e1,2]}`, `"fva"`},
		{"fva too large", `{"sub":"u","exp":1,"fva":[4294967296,2]}`, `"fva"`},
		{"fva null", `{"sub":"u","exp":1,"fva":null}`, `"fva"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Decode([]byte(tt.payload))
			requireInvalid(t, err, tt.want)
			assert.Nil(t, c)
			assert.NotContains(t, err.Error(), "12345678", "messages must not echo claim values")
		})
	}
}

func TestDecodeActor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		act     string
		wantSub string
	}{
		{"with sub and extras", `{"sub":"user_admin","iss":"https://dashboard.clerk.com","sid":"sess_x"}`, "user_admin"},
		{"escaped sub", `{"sub":"user_\u0061"}`, "user_a"},
		{"without sub", `{}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Decode(payload(t, `,"act":`+tt.act))
			require.NoError(t, err)
			assert.Equal(t, tt.act, c.Actor)
			assert.Equal(t, tt.wantSub, c.ActorSubject)
		})
	}
}

func TestDecodeFVA(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fva  string
		want [2]int
	}{
		{"both factors", `[3,7]`, [2]int{3, 7}},
		{"second factor not enabled", `[0,-1]`, [2]int{0, -1}},
		{"spaces", `[ 12 , -1 ]`, [2]int{12, -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Decode(payload(t, `,"fva":`+tt.fva))
			require.NoError(t, err)
			assert.True(t, c.HasFVA)
			assert.Equal(t, tt.want, c.FVA)
		})
	}
}
