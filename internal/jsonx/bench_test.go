package jsonx

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// walkSession does what the verifier does per request: validate the
// payload, then read every member, descending into "o" and "fva".
func walkSession(tb testing.TB, payload []byte) (n int) {
	if err := Validate(payload, 8); err != nil {
		tb.Fatal(err)
	}
	for _, v := range Members(payload) {
		n++
		switch KindOf(v) {
		case KindObject:
			for range Members(v) {
				n++
			}
		case KindArray:
			for range Elements(v) {
				n++
			}
		case KindNumber:
			if _, err := Int(v); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return n
}

func TestZeroAllocs(t *testing.T) {
	require.Equal(t, 25, walkSession(t, sessionPayload))
	allocs := testing.AllocsPerRun(200, func() { walkSession(t, sessionPayload) })
	assert.Zero(t, allocs, "Validate + Members on a session payload must not allocate")

	escapedKeys := []byte(`{"s\u0075b":"user_1","\u0065xp":1767225600,"o":{"\u0069d":"org_1"}}`)
	allocs = testing.AllocsPerRun(200, func() { _ = Validate(escapedKeys, 8) })
	assert.Zero(t, allocs, "Validate must not allocate even for escaped names")
}

func BenchmarkValidate(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(sessionPayload)))
	for b.Loop() {
		if err := Validate(sessionPayload, 8); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateHeader(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(sessionHeader)))
	for b.Loop() {
		if err := Validate(sessionHeader, 8); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMembers(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(sessionPayload)))
	for b.Loop() {
		n := 0
		for k, v := range Members(sessionPayload) {
			n += len(k) + len(v)
		}
		if n == 0 {
			b.Fatal("no members")
		}
	}
}

// BenchmarkSession is the whole per-request use: Validate, then walk.
func BenchmarkSession(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(sessionPayload)))
	for b.Loop() {
		walkSession(b, sessionPayload)
	}
}

// BenchmarkValidateHostileObject shows that an object with thousands of
// members costs linear, not quadratic, time.
func BenchmarkValidateHostileObject(b *testing.B) {
	doc := object(10000, func(i int) string {
		return "k" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))
	})
	require.NoError(b, Validate(doc, 2))
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		_ = Validate(doc, 2)
	}
}

func BenchmarkIntTimestamp(b *testing.B) {
	raw := []byte(`1767225600`)
	for b.Loop() {
		if _, err := Int(raw); err != nil {
			b.Fatal(err)
		}
	}
}
