package ginclerk_test

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// What must never leave the server: the checks the attack, log-hygiene and
// fuzz tests share.

// secrets are the strings of a row that must never be echoed or logged: the
// whole token and each of its segments long enough to be recognisable.
func (a attack) secrets() []string {
	var tokens []string
	if a.send != nil {
		r := a.request()
		for _, v := range r.Header.Values("Authorization") {
			tokens = append(tokens, strings.TrimPrefix(v, "Bearer "))
		}
		for _, c := range r.Cookies() {
			tokens = append(tokens, c.Value)
		}
	} else {
		tokens = []string{a.token}
	}
	var out []string
	for _, tok := range tokens {
		out = append(out, secretParts(tok)...)
	}
	return out
}

// secretParts is tok and its dot-separated parts of 16 bytes or more.
func secretParts(tok string) []string {
	var out []string
	if len(tok) >= 16 {
		out = append(out, tok)
	}
	for part := range strings.SplitSeq(tok, ".") {
		if len(part) >= 16 && part != tok {
			out = append(out, part)
		}
	}
	return out
}

// responseText is everything a client receives: headers and body.
func responseText(w *httptest.ResponseRecorder) string {
	var b strings.Builder
	for name, values := range w.Header() {
		b.WriteString(name + ": " + strings.Join(values, ", ") + "\n")
	}
	b.WriteString(w.Body.String())
	return b.String()
}

// assertNoEcho fails if text contains any of secrets.
func assertNoEcho(t *testing.T, where, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("%s echoes a token part (%d bytes, starting %.12q)", where, len(s), s)
		}
	}
}
