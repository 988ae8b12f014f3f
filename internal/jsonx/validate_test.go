package jsonx

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidateAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  string
	}{
		{"session payload", string(sessionPayload)},
		{"session header", string(sessionHeader)},
		{"empty object", `{}`},
		{"empty array", `[]`},
		{"scalar string", `"x"`},
		{"scalar zero", `0`},
		{"negative zero", `-0`},
		{"fraction", `-0.5`},
		{"exponents", `[1e5,1E5,1e+5,1e-5,1.5e005,0e0]`},
		{"literals", `[true,false,null]`},
		{"surrounding whitespace", " \t\r\n{ \"a\" : [ 1 , 2 ] }\n "},
		{"escapes", `"\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20AC"`},
		{"surrogate pair", `"\ud83d\ude00"`},
		{"escaped NUL", `"\u0000"`},
		{"raw UTF-8", `{"name":"Zoë 日本 😀"}`},
		{"literal U+FFFD", "\"\xef\xbf\xbd\""},
		{"DEL is allowed", "\"\x7f\""},
		{"empty key", `{"":1}`},
		{"same key in sibling objects", `[{"a":1},{"a":2}]`},
		{"same key at different depths", `{"a":{"a":{"a":1}}}`},
		{"keys differing by escape meaning", `{"a\/b":1,"a\\/b":2}`},
		{"case differs", `{"sub":1,"Sub":2,"SUB":3}`},
		{"prefix keys", `{"a":1,"ab":2,"abc":3}`},
		{"nested at limit", `[[[[{"a":[{}]}]]]]`},
		{"big integer", `123456789012345678901234567890`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, Validate([]byte(tt.doc), 8))
			assert.True(t, json.Valid([]byte(tt.doc)), "encoding/json must agree")
		})
	}
}

func TestValidateRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  string
		want error
	}{
		{"empty", ``, ErrSyntax},
		{"only whitespace", "  \n", ErrSyntax},
		{"trailing value", `{} {}`, ErrSyntax},
		{"trailing garbage", `{"a":1}x`, ErrSyntax},
		{"trailing NUL", "{}\x00", ErrSyntax},
		{"BOM", "\xef\xbb\xbf{}", ErrSyntax},
		{"form feed is not whitespace", "\f{}", ErrSyntax},
		{"leading zero", `01`, ErrSyntax},
		{"leading zero in array", `[00]`, ErrSyntax},
		{"negative leading zero", `-01`, ErrSyntax},
		{"plus sign", `+1`, ErrSyntax},
		{"lone minus", `-`, ErrSyntax},
		{"bare fraction", `.5`, ErrSyntax},
		{"no fraction digits", `1.`, ErrSyntax},
		{"no exponent digits", `1e`, ErrSyntax},
		{"signed empty exponent", `1e+`, ErrSyntax},
		{"hex", `0x10`, ErrSyntax},
		{"NaN", `NaN`, ErrSyntax},
		{"Infinity", `-Infinity`, ErrSyntax},
		{"capitalised literal", `True`, ErrSyntax},
		{"truncated literal", `nul`, ErrSyntax},
		{"literal with suffix", `truex`, ErrSyntax},
		{"single quotes", `{'a':1}`, ErrSyntax},
		{"unquoted key", `{a:1}`, ErrSyntax},
		{"number key", `{1:1}`, ErrSyntax},
		{"trailing comma in object", `{"a":1,}`, ErrSyntax},
		{"trailing comma in array", `[1,]`, ErrSyntax},
		{"leading comma", `[,1]`, ErrSyntax},
		{"missing comma", `[1 2]`, ErrSyntax},
		{"missing colon", `{"a" 1}`, ErrSyntax},
		{"missing value", `{"a":}`, ErrSyntax},
		{"unclosed object", `{"a":1`, ErrSyntax},
		{"unclosed array", `[1`, ErrSyntax},
		{"mismatched brackets", `[}`, ErrSyntax},
		{"unclosed string", `"abc`, ErrSyntax},
		{"raw newline in string", "\"a\nb\"", ErrSyntax},
		{"raw tab in string", "\"a\tb\"", ErrSyntax},
		{"raw NUL in string", "\"a\x00b\"", ErrSyntax},
		{"unknown escape", `"\a"`, ErrSyntax},
		{"escaped single quote", `"\'"`, ErrSyntax},
		{"short unicode escape", `"\u12"`, ErrSyntax},
		{"bad hex", `"\u12g4"`, ErrSyntax},
		{"backslash at end", `"\`, ErrSyntax},
		{"lone high surrogate", `"\ud800"`, ErrSyntax},
		{"lone high surrogate then text", `"\ud800abcdef"`, ErrSyntax},
		{"lone low surrogate", `"\udc00"`, ErrSyntax},
		{"reversed pair", `"\udc00\ud800"`, ErrSyntax},
		{"high then non-surrogate", `"\ud800\u0041"`, ErrSyntax},
		{"two high surrogates", `"\ud800\ud800"`, ErrSyntax},
		{"invalid UTF-8 byte", "\"\xff\"", ErrSyntax},
		{"truncated UTF-8", "\"\xe2\x82\"", ErrSyntax},
		{"overlong UTF-8", "\"\xc0\xaf\"", ErrSyntax},
		{"UTF-8 surrogate", "\"\xed\xa0\x80\"", ErrSyntax},
		{"invalid UTF-8 in key", "{\"\xff\":1}", ErrSyntax},
		{"invalid UTF-8 outside string", "[1,\xff]", ErrSyntax},
		{"comment", `{} // x`, ErrSyntax},
		{"duplicate key", `{"sub":"a","sub":"b"}`, ErrDuplicateKey},
		{"duplicate after others", `{"a":1,"b":2,"c":3,"b":4}`, ErrDuplicateKey},
		{"duplicate empty key", `{"":1,"":2}`, ErrDuplicateKey},
		{"escaped duplicate", `{"sub":"a","s\u0075b":"b"}`, ErrDuplicateKey},
		{"escaped first", `{"\u0073ub":"a","sub":"b"}`, ErrDuplicateKey},
		{"both escaped differently", `{"\u0073ub":1,"s\u0075b":2}`, ErrDuplicateKey},
		{"escaped solidus", `{"a/b":1,"a\/b":2}`, ErrDuplicateKey},
		{"escaped UTF-8", `{"é":1,"\u00e9":2}`, ErrDuplicateKey},
		{"escaped pair", `{"😀":1,"\ud83d\ude00":2}`, ErrDuplicateKey},
		{"uppercase hex escape", `{"\u00E9":1,"\u00e9":2}`, ErrDuplicateKey},
		{"nested duplicate", `{"o":{"id":1,"id":2}}`, ErrDuplicateKey},
		{"duplicate after nested object", `{"a":{"b":1},"b":2,"a":3}`, ErrDuplicateKey},
		{"duplicate in array of objects", `[{"a":1},{"b":1,"b":2}]`, ErrDuplicateKey},
		{"deep duplicate", `[[[{"x":[{"k":1,"k":1}]}]]]`, ErrDuplicateKey},
		{"object too deep", `{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":1}}}}}}}}}`, ErrTooDeep},
		{"array too deep", `[[[[[[[[[1]]]]]]]]]`, ErrTooDeep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Validate([]byte(tt.doc), 8)
			require.ErrorIs(t, err, tt.want)
			assert.NotContains(t, err.Error(), "sub", "errors must not echo document content")
		})
	}
}

func TestValidateDepth(t *testing.T) {
	t.Parallel()
	nested := func(n int) []byte {
		return []byte(strings.Repeat(`{"a":[`, n) + strings.Repeat(`]}`, n))
	}
	tests := []struct {
		name     string
		doc      []byte
		maxDepth int
		want     error
	}{
		{"scalar with zero limit", []byte(`1`), 0, nil},
		{"object with zero limit", []byte(`{}`), 0, ErrTooDeep},
		{"array with negative limit", []byte(`[]`), -1, ErrTooDeep},
		{"object at limit 1", []byte(`{"a":1}`), 1, nil},
		{"nested over limit 1", []byte(`{"a":[]}`), 1, ErrTooDeep},
		{"exactly at limit", nested(5), 10, nil},
		{"one over limit", nested(5), 9, ErrTooDeep},
		{"hostile depth", nested(100000), 64, ErrTooDeep},
		{"depth is capped", []byte(strings.Repeat("[", 20000) + strings.Repeat("]", 20000)), math.MaxInt, ErrTooDeep},
		{"at the cap", []byte(strings.Repeat("[", 10000) + strings.Repeat("]", 10000)), math.MaxInt, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Validate(tt.doc, tt.maxDepth)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}
}

func TestValidateErrorOffset(t *testing.T) {
	t.Parallel()
	err := Validate([]byte(`{"a":1,"a":2}`), 4)
	require.ErrorIs(t, err, ErrDuplicateKey)
	assert.EqualError(t, err, "jsonx: duplicate member name at offset 7")
}
