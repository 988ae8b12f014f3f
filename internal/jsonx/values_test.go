package jsonx

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKindOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		want Kind
	}{
		{``, KindInvalid},
		{` 1`, KindInvalid}, // whitespace is not trimmed
		{`x`, KindInvalid},
		{`null`, KindNull},
		{`true`, KindBool},
		{`false`, KindBool},
		{`0`, KindNumber},
		{`-1`, KindNumber},
		{`9`, KindNumber},
		{`"s"`, KindString},
		{`[]`, KindArray},
		{`{}`, KindObject},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, KindOf([]byte(tt.raw)))
		})
	}
}

func TestString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		raw     string
		want    string
		wantErr error
	}{
		{"plain", `"user_2abc"`, "user_2abc", nil},
		{"empty", `""`, "", nil},
		{"escapes", `"a\"b\\c\/d\b\f\n\r\t"`, "a\"b\\c/d\b\f\n\r\t", nil},
		{"unicode escapes", `"\u0041\u00e9\u20ac\ud83d\ude00"`, "Aé€😀", nil},
		{"escape at start and end", `"\u0073u\u0062"`, "sub", nil},
		{"raw UTF-8", `"Zoë"`, "Zoë", nil},
		{"escaped NUL", `"\u0000"`, "\x00", nil},
		{"number", `123`, "", ErrType},
		{"null", `null`, "", ErrType},
		{"object", `{}`, "", ErrType},
		{"empty input", ``, "", ErrType},
		{"unterminated", `"abc`, "", ErrSyntax},
		{"lone quote", `"`, "", ErrSyntax},
		{"trailing data", `"a"b`, "", ErrSyntax},
		{"two strings", `"a""b"`, "", ErrSyntax},
		{"trailing whitespace", `"a" `, "", ErrSyntax},
		{"bad escape", `"\x"`, "", ErrSyntax},
		{"lone surrogate", `"\ud800"`, "", ErrSyntax},
		{"invalid UTF-8", "\"\xff\"", "", ErrSyntax},
		{"control character", "\"\x01\"", "", ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := String([]byte(tt.raw))
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestInt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		raw     string
		want    int64
		wantErr error
	}{
		{"timestamp", `1767225600`, 1767225600, nil},
		{"zero", `0`, 0, nil},
		{"negative zero", `-0`, 0, nil},
		{"negative", `-5`, -5, nil},
		{"exponent", `1.7e9`, 1700000000, nil},
		{"capital exponent", `1E3`, 1000, nil},
		{"plus exponent", `2e+2`, 200, nil},
		{"negative exponent", `12345e-2`, 123, nil},
		{"exponent below one", `5e-1`, 0, nil},
		{"tiny", `1e-300`, 0, nil},
		{"huge negative exponent", `1e-99999999999999999999`, 0, nil},
		{"fraction truncated", `1767225600.9`, 1767225600, nil},
		{"negative fraction truncated toward zero", `-1.9`, -1, nil},
		{"fraction below one", `0.999`, 0, nil},
		{"leading fraction zeros", `0.00123e5`, 123, nil},
		{"trailing zeros", `1.7000e9`, 1700000000, nil},
		{"zero with exponent", `0e400`, 0, nil},
		{"zero fraction with exponent", `0.000e999`, 0, nil},
		{"2^53", `9007199254740992`, 1 << 53, nil},
		{"-2^53", `-9007199254740992`, -(1 << 53), nil},
		{"2^53 with exponent", `9.007199254740992e15`, 1 << 53, nil},
		{"2^53 plus fraction", `9007199254740992.5`, 1 << 53, nil},
		{"2^53+1", `9007199254740993`, 0, ErrType},
		{"-(2^53+1)", `-9007199254740993`, 0, ErrType},
		{"17 digits", `10000000000000000`, 0, ErrType},
		{"1e300", `1e300`, 0, ErrType},
		{"huge exponent", `1e99999999999999999999`, 0, ErrType},
		{"int64 overflow", `99999999999999999999`, 0, ErrType},
		{"numeric string", `"123"`, 0, ErrType},
		{"bool", `true`, 0, ErrType},
		{"null", `null`, 0, ErrType},
		{"empty", ``, 0, ErrType},
		{"leading zero", `01`, 0, ErrSyntax},
		{"lone minus", `-`, 0, ErrSyntax},
		{"missing fraction", `1.`, 0, ErrSyntax},
		{"missing exponent", `1e`, 0, ErrSyntax},
		{"trailing data", `12a`, 0, ErrSyntax},
		{"trailing whitespace", `12 `, 0, ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Int([]byte(tt.raw))
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestBool(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw     string
		want    bool
		wantErr error
	}{
		{`true`, true, nil},
		{`false`, false, nil},
		{`"true"`, false, ErrType},
		{`1`, false, ErrType},
		{`null`, false, ErrType},
		{``, false, ErrType},
		{`tru`, false, ErrSyntax},
		{`falsey`, false, ErrSyntax},
		{`true `, false, ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			t.Parallel()
			got, err := Bool([]byte(tt.raw))
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestStringAllocatesOnlyTheResult(t *testing.T) {
	plain := []byte(`"user_2abcDEFghiJKLmnoPQRstuVWx"`)
	escaped := []byte(`"user_\u0032abc\n"`)
	assert.Equal(t, 1.0, testing.AllocsPerRun(100, func() { _, _ = String(plain) }))
	assert.Equal(t, 1.0, testing.AllocsPerRun(100, func() { _, _ = String(escaped) }))
	assert.Equal(t, 0.0, testing.AllocsPerRun(100, func() { _, _ = Int([]byte(`1.7e9`)) }))
}
