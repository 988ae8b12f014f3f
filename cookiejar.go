package ginclerk

import (
	"math"
	"net/http"
)

// cookieJar is a request's cookies, parsed once for the several lookups
// Clerk's cookie rules make.
type cookieJar []*http.Cookie

func readJar(r *http.Request) cookieJar { return r.Cookies() }

// get returns the value of the first cookie named name, "" when there is
// none, as Clerk's cookie reader does.
func (j cookieJar) get(name string) string {
	for _, c := range j {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// ambiguous returns the first of names that the request carries more than
// once: which of two session cookies the browser meant cannot be known, so
// ginclerk refuses rather than picks one.
func (j cookieJar) ambiguous(names ...string) string {
	for _, name := range names {
		n := 0
		for _, c := range j {
			if c.Name == name {
				n++
			}
		}
		if n > 1 {
			return name
		}
	}
	return ""
}

// parseIntJS reads __client_uat as Clerk does, Number.parseInt(value) || 0:
// leading whitespace, an optional sign, then decimal digits — or hex digits
// after "0x" — up to the first other character; no digits at all is 0.
// Values beyond int64 saturate, which orders them the same way against
// any iat.
func parseIntJS(s string) int64 {
	i := 0
	for i < len(s) && (s[i] == ' ' || ('\t' <= s[i] && s[i] <= '\r')) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	base := int64(10)
	if i+1 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') {
		base = 16
		i += 2
	}
	var n int64
	for ; i < len(s); i++ {
		d := digitValue(s[i])
		if d >= base {
			break
		}
		if n > (math.MaxInt64-d)/base {
			n = math.MaxInt64
			continue
		}
		n = n*base + d
	}
	if neg {
		return -n
	}
	return n
}

// digitValue is the value of an ASCII digit or letter in base 36, or 36.
func digitValue(c byte) int64 {
	switch {
	case '0' <= c && c <= '9':
		return int64(c - '0')
	case 'a' <= c && c <= 'z':
		return int64(c-'a') + 10
	case 'A' <= c && c <= 'Z':
		return int64(c-'A') + 10
	}
	return 36
}
