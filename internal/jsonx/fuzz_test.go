package jsonx

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"testing"
	"unicode/utf8"
)

// FuzzValidate checks, for any input, that nothing panics; that whatever
// Validate accepts encoding/json accepts too and reads the same way (same
// member names, no duplicates); and that Validate rejects as a syntax error
// nothing encoding/json accepts, except for the two things it is deliberately
// stricter about: invalid UTF-8 and lone surrogates in \u escapes.
func FuzzValidate(f *testing.F) {
	for _, seed := range []string{
		string(sessionPayload), string(sessionHeader),
		`{}`, `[]`, `""`, `0`, `-0.5e-3`, `[true,false,null]`,
		`{"a":{"b":[1,{"c":"d"}]},"e":"\u00e9\ud83d\ude00\n"}`,
		`{"sub":1,"s\u0075b":2}`, `{"a":1,"a":2}`, `[{"a":1},{"a":1}]`,
		`{"a":1,}`, `[01]`, `"\ud800"`, "\"\xff\"", `{"a" 1}`, `[[[[[[[[]]]]]]]]`,
		"{\"\\\"\":\"\\\\\"}", ` { "k" : [ 1 , 2 ] } `, `1e999`, `"\u0000"`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := Validate(data, 32)
		if err == nil {
			if !json.Valid(data) {
				t.Fatalf("Validate accepted what encoding/json rejects: %q", data)
			}
			checkValue(t, bytes.TrimSpace(data))
			return
		}
		if !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrDuplicateKey) && !errors.Is(err, ErrTooDeep) {
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		if errors.Is(err, ErrSyntax) && json.Valid(data) && utf8.Valid(data) && !bytes.Contains(data, []byte(`\u`)) {
			t.Fatalf("Validate rejected valid JSON: %v: %q", err, data)
		}
		// The iterators must survive anything.
		for k, v := range Members(data) {
			_, _ = k, v
		}
		for range Elements(data) {
		}
	})
}

// FuzzValidateMembers checks that ValidateMembers is Validate plus Members
// in one pass, for any input: the same verdict, the same members of a valid
// document, and a stop from yield that changes the members seen but never
// the verdict.
func FuzzValidateMembers(f *testing.F) {
	for _, seed := range []string{
		string(sessionPayload), `{}`, `[]`, `"x"`, `{"a":1,"b":[{"c":2}],"d":{"e":{}}}`,
		` { "k" : [ 1 , 2 ] , "\u0041" : "v" } `, `{"a":1,"a":2}`, `{"a":1,}`, `[{"a":1}]`,
	} {
		f.Add([]byte(seed), uint8(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, stop uint8) {
		want := Validate(data, 32)
		type member struct{ key, value string }
		var all, some []member
		got := ValidateMembers(data, 32, func(key, value []byte) bool {
			all = append(all, member{string(key), string(value)})
			return true
		})
		if (got == nil) != (want == nil) || got != nil && got.Error() != want.Error() {
			t.Fatalf("ValidateMembers: %v, Validate: %v, for %q", got, want, data)
		}
		if got = ValidateMembers(data, 32, func(key, value []byte) bool {
			some = append(some, member{string(key), string(value)})
			return len(some) < int(stop)
		}); (got == nil) != (want == nil) {
			t.Fatalf("a stop from yield changed the verdict to %v, for %q", got, data)
		}
		if want != nil {
			return
		}
		var members []member
		for key, value := range Members(data) {
			members = append(members, member{string(key), string(value)})
		}
		if len(all) != len(members) {
			t.Fatalf("yielded %d members, Members %d, for %q", len(all), len(members), data)
		}
		for i := range all {
			if all[i] != members[i] {
				t.Fatalf("member %d: yielded %q, Members %q", i, all[i], members[i])
			}
		}
		if n := min(max(int(stop), 1), len(members)); len(some) != n {
			t.Fatalf("yield returned false after %d members but saw %d", n, len(some))
		}
	})
}

// checkValue walks a value Validate accepted and checks every part of the
// API against encoding/json.
func checkValue(t *testing.T, raw []byte) {
	t.Helper()
	if !json.Valid(raw) {
		t.Fatalf("iterator yielded invalid JSON %q", raw)
	}
	switch KindOf(raw) {
	case KindObject:
		var std map[string]json.RawMessage
		if err := json.Unmarshal(raw, &std); err != nil {
			t.Fatalf("encoding/json: %v", err)
		}
		seen := map[string]bool{}
		for k, v := range Members(raw) {
			if seen[string(k)] {
				t.Fatalf("duplicate member name %q survived Validate", k)
			}
			seen[string(k)] = true
			if _, ok := std[string(k)]; !ok {
				t.Fatalf("member %q unknown to encoding/json", k)
			}
			checkValue(t, v)
		}
		if len(seen) != len(std) {
			t.Fatalf("Members yielded %d names, encoding/json found %d", len(seen), len(std))
		}
	case KindArray:
		var std []json.RawMessage
		if err := json.Unmarshal(raw, &std); err != nil {
			t.Fatalf("encoding/json: %v", err)
		}
		n := 0
		for e := range Elements(raw) {
			n++
			checkValue(t, e)
		}
		if n != len(std) {
			t.Fatalf("Elements yielded %d, encoding/json found %d", n, len(std))
		}
	case KindString:
		var want string
		got, err := String(raw)
		if err != nil || json.Unmarshal(raw, &want) != nil || got != want {
			t.Fatalf("String(%q) = %q, %v; encoding/json says %q", raw, got, err, want)
		}
	case KindNumber:
		f, _ := strconv.ParseFloat(string(raw), 64) // ±Inf for 1e999
		got, err := Int(raw)
		switch {
		case err == nil:
			if math.Abs(float64(got)-math.Trunc(f)) > 1 { // float rounding may cross an integer
				t.Fatalf("Int(%q) = %d, float64 says %v", raw, got, f)
			}
		case !errors.Is(err, ErrType) || math.Abs(f) < 1<<52:
			t.Fatalf("Int(%q): %v", raw, err)
		}
	case KindBool:
		got, err := Bool(raw)
		if err != nil || got != (string(raw) == "true") {
			t.Fatalf("Bool(%q) = %v, %v", raw, got, err)
		}
	case KindNull:
		if string(raw) != "null" {
			t.Fatalf("bad null %q", raw)
		}
	default:
		t.Fatalf("KindOf(%q) is invalid", raw)
	}
}
