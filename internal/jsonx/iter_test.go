package jsonx

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type member struct{ key, value string }

func collectMembers(obj []byte) []member {
	var got []member
	for k, v := range Members(obj) {
		got = append(got, member{string(k), string(v)})
	}
	return got
}

func collectElements(arr []byte) []string {
	var got []string
	for e := range Elements(arr) {
		got = append(got, string(e))
	}
	return got
}

func TestMembers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		obj  string
		want []member
	}{
		{"empty", `{}`, nil},
		{"empty with whitespace", " { \n } ", nil},
		{"scalars", `{"a":1,"b":"x","c":true,"d":null,"e":-1.5e3}`, []member{
			{"a", "1"}, {"b", `"x"`}, {"c", "true"}, {"d", "null"}, {"e", "-1.5e3"},
		}},
		{"whitespace trimmed", " {\n \"a\" :\t[ 1 ] ,\r\n\"b\" : { } }\n", []member{
			{"a", "[ 1 ]"}, {"b", "{ }"},
		}},
		{"nested values are raw", `{"o":{"id":"x","p":[1,{"q":"]}"}]},"n":2}`, []member{
			{"o", `{"id":"x","p":[1,{"q":"]}"}]}`}, {"n", "2"},
		}},
		{"escaped names are unescaped", `{"s\u0075b":1,"a\"b":2,"\ud83d\ude00":3,"\\":4}`, []member{
			{"sub", "1"}, {`a"b`, "2"}, {"😀", "3"}, {`\`, "4"},
		}},
		{"strings with escaped quotes", `{"a":"x\"}","b":"\\"}`, []member{
			{"a", `"x\"}"`}, {"b", `"\\"`},
		}},
		{"empty name", `{"":0}`, []member{{"", "0"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, Validate([]byte(tt.obj), 8))
			assert.Equal(t, tt.want, collectMembers([]byte(tt.obj)))
		})
	}
}

func TestMembersSession(t *testing.T) {
	t.Parallel()
	var keys []string
	for k, v := range Members(sessionPayload) {
		keys = append(keys, string(k))
		if string(k) == "o" {
			assert.Equal(t, KindObject, KindOf(v))
			id := ""
			for k2, v2 := range Members(v) {
				if string(k2) == "id" {
					var err error
					id, err = String(v2)
					require.NoError(t, err)
				}
			}
			assert.Equal(t, "org_2abcDEFghiJKLmnoPQRstuVWx", id)
		}
	}
	assert.Equal(t, []string{"azp", "exp", "fea", "fva", "iat", "iss", "jti", "nbf", "o", "pla", "sid", "sts", "sub", "v", "act"}, keys)
}

func TestMembersStopsEarly(t *testing.T) {
	t.Parallel()
	n := 0
	for k := range Members([]byte(`{"a":1,"b":2,"c":3}`)) {
		n++
		if string(k) == "b" {
			break
		}
	}
	assert.Equal(t, 2, n)

	n = 0
	for range Elements([]byte(`[1,2,3]`)) {
		n++
		break
	}
	assert.Equal(t, 1, n)
}

func TestMembersDoNotAliasOnAppend(t *testing.T) {
	t.Parallel()
	doc := []byte(`{"ab":"cd","ef":1}`)
	for k, v := range Members(doc) {
		_ = append(k, 'X')
		_ = append(v, 'Y')
	}
	assert.Equal(t, `{"ab":"cd","ef":1}`, string(doc))
}

func TestElements(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		arr  string
		want []string
	}{
		{"empty", `[]`, nil},
		{"empty with whitespace", " [ ] ", nil},
		{"fva", `[12,-1]`, []string{"12", "-1"}},
		{"mixed", ` [ "a,b" , {"x":[1,2]} , [ ] , null , 1e3 ] `, []string{`"a,b"`, `{"x":[1,2]}`, "[ ]", "null", "1e3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, Validate([]byte(tt.arr), 8))
			assert.Equal(t, tt.want, collectElements([]byte(tt.arr)))
		})
	}
}

// TestIteratorsOnInvalidInput checks the "stop, never panic" contract on
// documents Validate rejects.
func TestIteratorsOnInvalidInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		doc      string
		members  []member
		elements []string
	}{
		{"empty", ``, nil, nil},
		{"wrong kind", `[1]`, nil, []string{"1"}},
		{"not an array", `{"a":1}`, []member{{"a", "1"}}, nil},
		{"unterminated name", `{"a`, nil, nil},
		{"missing colon", `{"a" 1}`, nil, nil},
		{"missing value", `{"a":}`, nil, nil},
		{"missing value at end", `{"a":`, nil, nil},
		{"unclosed nested", `{"a":{"b":1}`, []member{{"a", `{"b":1}`}}, nil},
		{"unclosed container value", `{"a":[1,2`, nil, nil},
		{"unclosed string value", `{"a":"xyz`, nil, nil},
		{"garbage after member", `{"a":1 "b":2}`, []member{{"a", "1"}}, nil},
		{"trailing comma", `{"a":1,}`, []member{{"a", "1"}}, nil},
		{"bad escape in name", `{"\x":1}`, nil, nil},
		{"truncated escape in name", `{"\u12":1}`, nil, nil},
		{"backslash at end", `{"\`, nil, nil},
		{"array trailing comma", `[1,]`, nil, []string{"1"}},
		{"array leading comma", `[,1]`, nil, nil},
		{"array missing comma", `[1 2]`, nil, []string{"1"}},
		{"array unclosed", `[1,[2`, nil, []string{"1"}},
		{"lone bracket", `[`, nil, nil},
		{"lone brace", `{`, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.NotPanics(t, func() {
				assert.Equal(t, tt.members, collectMembers([]byte(tt.doc)))
				assert.Equal(t, tt.elements, collectElements([]byte(tt.doc)))
			})
		})
	}
}
