package jsonx

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// object builds an object with members named by name(0..n-1).
func object(n int, name func(i int) string) []byte {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%d", name(i), i)
	}
	b.WriteByte('}')
	return []byte(b.String())
}

func TestDuplicateKeysLargeObjects(t *testing.T) {
	t.Parallel()
	plain := func(i int) string { return fmt.Sprintf("k%d", i) }
	tests := []struct {
		name string
		doc  []byte
		dup  bool
	}{
		{"64 distinct (list mode only)", object(64, plain), false},
		{"65 distinct (switches to map)", object(65, plain), false},
		{"10000 distinct", object(10000, plain), false},
		{"dup of first at 65th", object(65, func(i int) string { return plain(i % 64) }), true},
		{"dup of first far into map mode", object(5000, func(i int) string {
			if i == 4999 {
				return "k0"
			}
			return plain(i)
		}), true},
		{"dup of a map-mode name", object(300, func(i int) string {
			if i == 299 {
				return "k200"
			}
			return plain(i)
		}), true},
		{"escaped dup in map mode", []byte(strings.TrimSuffix(string(object(100, plain)), "}") + `,"\u006b7":1}`), true},
		{"escaped names in map mode", object(100, func(i int) string { return fmt.Sprintf("é%d", i) }), false},
		// Names that collide in length and often in hash stay distinct.
		{"same length names", object(64, func(i int) string { return fmt.Sprintf("%03d", i) }), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Validate(tt.doc, 4)
			if tt.dup {
				require.ErrorIs(t, err, ErrDuplicateKey)
				return
			}
			require.NoError(t, err)
		})
	}
}

// TestDuplicateKeysBufferOverflow opens more names than the key buffer holds
// (deep nesting, each level holding many names) so that inner objects must
// fall back to map mode and still find duplicates and not see outer names.
func TestDuplicateKeysBufferOverflow(t *testing.T) {
	t.Parallel()
	const levels = 10
	build := func(innermost string) []byte {
		var b strings.Builder
		for l := range levels {
			b.WriteByte('{')
			for i := range 20 {
				fmt.Fprintf(&b, `"k%d":%d,`, i, l)
			}
			b.WriteString(`"next":`)
		}
		b.WriteString(innermost)
		b.WriteString(strings.Repeat(`,"tail":0}`, levels))
		return []byte(b.String())
	}
	require.Greater(t, levels*21, keyBufLen, "test must overflow the buffer")
	require.NoError(t, Validate(build(`{"k0":1,"next":2}`), levels+1))
	require.ErrorIs(t, Validate(build(`{"k0":1,"k\u0030":2}`), levels+1), ErrDuplicateKey)
	// A duplicate at an outer level, found after the inner levels have
	// popped their names.
	doc := build(`{}`)
	doc = append(doc[:len(doc)-1], `,"k3":0}`...)
	require.ErrorIs(t, Validate(doc, levels+1), ErrDuplicateKey)
}

func TestSameName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{`sub`, `sub`, true},
		{`sub`, `s\u0075b`, true},
		{`\n`, "\\u000a", true},
		{`\"`, `\u0022`, true},
		{`é`, `\u00e9`, true},
		{`é`, `\u00c3\u00a9`, false}, // same bytes as UTF-8 read as Latin-1: different names
		{`ab`, `a\u0062c`, false},
		{`abc`, `a\u0062`, false},
		{`a\\b`, `a\/b`, false},
	}
	for _, tt := range tests {
		t.Run(tt.a+" vs "+tt.b, func(t *testing.T) {
			t.Parallel()
			doc := []byte(`{"` + tt.a + `":1,"` + tt.b + `":2}`)
			err := Validate(doc, 1)
			if tt.want {
				require.ErrorIs(t, err, ErrDuplicateKey)
			} else {
				require.NoError(t, err)
			}
		})
	}
}
