// Package backendapi holds what every caller of Clerk's Backend API shares:
// the HTTP client rule that keeps the secret key on the configured API URL,
// and the API version every request names.
package backendapi

import "net/http"

// Every Backend API request names the API version it speaks, as
// @clerk/backend 3.25 does on each of its calls: without it, Clerk answers
// with whatever version the instance defaults to.
const (
	APIVersionHeader = "Clerk-API-Version"
	APIVersion       = "2026-05-12"
)

// UserAgent identifies ginclerk to Clerk's Backend API, as Clerk's SDKs
// identify themselves.
const UserAgent = "ginclerk"

// Client returns the client to call the Backend API with, and the private
// transport it owns, if any (nil when hc is given), for the caller to close
// its idle connections when done.
//
// Answers must come from the configured API URL and the bearer secret must
// go nowhere else, whatever client the application supplies: the result
// never follows a redirect, so a 3xx is the answer, which callers treat as
// a failure. hc itself is not modified — the result is a copy with its own
// CheckRedirect. With hc nil, the result is a private client on a clone of
// http.DefaultTransport.
func Client(hc *http.Client) (*http.Client, *http.Transport) {
	if hc != nil {
		c := *hc
		c.CheckRedirect = noRedirect
		return &c, nil
	}
	var own *http.Transport
	var rt http.RoundTripper = http.DefaultTransport
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		own = t.Clone()
		rt = own
	}
	return &http.Client{Transport: rt, CheckRedirect: noRedirect}, own
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
