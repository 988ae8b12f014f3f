package jsonx

import "iter"

// Members iterates over the members of obj, a JSON object that Validate
// accepted (surrounding whitespace is allowed). key is the unescaped member
// name: a subslice of obj when the name has no escapes, so iterating
// allocates nothing for ordinary names, and a fresh slice otherwise. value is
// the member's raw value without surrounding whitespace, ready for KindOf,
// String, Int, Bool, Members or Elements. Both alias obj; do not modify them.
//
// Given anything Validate would reject, Members yields what it can make sense
// of and then stops; it never panics.
func Members(obj []byte) iter.Seq2[[]byte, []byte] {
	// The closure is kept tiny so that Members inlines and a range loop over
	// it does not allocate.
	return func(yield func(key, value []byte) bool) { members(obj, yield) }
}

// Elements iterates over the raw elements of arr, a JSON array that Validate
// accepted, each without surrounding whitespace. The same contract as
// Members applies: the elements alias arr, and malformed input stops the
// iteration rather than panicking.
func Elements(arr []byte) iter.Seq[[]byte] {
	return func(yield func(elem []byte) bool) { elements(arr, yield) }
}

func members(b []byte, yield func(key, value []byte) bool) {
	i := skipWSAt(b, 0)
	if i >= len(b) || b[i] != '{' {
		return
	}
	i = skipWSAt(b, i+1)
	if i < len(b) && b[i] == '}' {
		return
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return
		}
		kend, escaped := skipString(b, i)
		if kend < 0 {
			return
		}
		// Full slice expressions: appending to key or value must not
		// overwrite the document.
		key := b[i+1 : kend-1 : kend-1]
		i = skipWSAt(b, kend)
		if i >= len(b) || b[i] != ':' {
			return
		}
		i = skipWSAt(b, i+1)
		vend := skipValue(b, i)
		if vend < 0 {
			return
		}
		if escaped {
			var ok bool
			if key, ok = appendUnescaped(make([]byte, 0, len(key)), key); !ok {
				return
			}
		}
		if !yield(key, b[i:vend:vend]) {
			return
		}
		if i = skipWSAt(b, vend); i >= len(b) || b[i] != ',' {
			return
		}
		i = skipWSAt(b, i+1)
	}
}

func elements(b []byte, yield func(elem []byte) bool) {
	i := skipWSAt(b, 0)
	if i >= len(b) || b[i] != '[' {
		return
	}
	i = skipWSAt(b, i+1)
	if i < len(b) && b[i] == ']' {
		return
	}
	for {
		end := skipValue(b, i)
		if end < 0 || !yield(b[i:end:end]) {
			return
		}
		if i = skipWSAt(b, end); i >= len(b) || b[i] != ',' {
			return
		}
		i = skipWSAt(b, i+1)
	}
}

func skipWSAt(b []byte, i int) int {
	for i < len(b) && isWS(b[i]) {
		i++
	}
	return i
}

// skipString returns the offset just past the string token starting at
// b[i] == '"', and whether it contains a backslash; -1 if it is unterminated.
// It trusts Validate for everything except the closing quote.
func skipString(b []byte, i int) (end int, escaped bool) {
	i++
	for {
		// skipPlain also stops at bytes that are fine here (non-ASCII,
		// control characters); they are simply stepped over.
		i = skipPlain(b, i)
		if i >= len(b) {
			return -1, escaped
		}
		switch b[i] {
		case '"':
			return i + 1, escaped
		case '\\':
			// Skip the escaped byte too: it may be a quote.
			escaped = true
			i += 2
		default:
			i++
		}
	}
}

// skipValue returns the offset just past the value starting at b[i], or -1
// if there is none. Containers are skipped by counting brackets outside
// strings, which is exact for validated input and terminates on any input.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		end, _ := skipString(b, i)
		return end
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, _ := skipString(b, j)
				if end < 0 {
					return -1
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	case ',', ':', '}', ']':
		return -1
	}
	// A number or literal runs to the next delimiter.
	j := i
	for j < len(b) && !isWS(b[j]) && b[j] != ',' && b[j] != '}' && b[j] != ']' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}
