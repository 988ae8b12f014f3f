package ginclerk

import (
	"net/netip"
	"net/url"
	"strings"
)

// check validates the values that depend on more than one option or on the
// environment. It runs once in New, after every option, so that an option
// can override a bad environment value. Messages name the option and the
// variable, and never quote a secret or a URL's credentials.
func (c *config) check() {
	c.checkSecretKey()
	c.checkMachineSecretKey()
	c.checkAPIURL()
	if c.apiVersion == "" || strings.ContainsAny(c.apiVersion, "/?#") {
		c.fail("WithAPIVersion/CLERK_API_VERSION: %q is not a version path segment", c.apiVersion)
	}
}

// checkSecretKey rejects a secret key that cannot be one: Clerk's are
// sk_test_… or sk_live_…. The usual slips are a publishable key pasted in
// its place and whitespace copied along with it.
func (c *config) checkSecretKey() {
	k := c.secretKey
	switch {
	case k == "":
	case strings.HasPrefix(k, "pk_test_") || strings.HasPrefix(k, "pk_live_"):
		c.fail("WithSecretKey/CLERK_SECRET_KEY: this is a publishable key (pk_…); the secret key starts with sk_test_ or sk_live_")
	case strings.TrimSpace(k) != k || strings.ContainsAny(k, " \t\r\n"):
		c.fail("WithSecretKey/CLERK_SECRET_KEY: the secret key contains whitespace")
	case !validSecretKey(k):
		c.fail("WithSecretKey/CLERK_SECRET_KEY: not a Clerk secret key (sk_test_… or sk_live_…)")
	}
}

func validSecretKey(k string) bool {
	rest, ok := strings.CutPrefix(k, "sk_test_")
	if !ok {
		rest, ok = strings.CutPrefix(k, "sk_live_")
	}
	return ok && rest != ""
}

// checkAPIURL accepts an absolute https URL, or http to a loopback host (a
// local fake of the Backend API): anywhere else, http would send the secret
// key in cleartext. Credentials in the URL are refused, and never quoted.
func (c *config) checkAPIURL() {
	p, err := url.Parse(c.apiURL)
	if err != nil {
		c.fail("WithAPIURL/CLERK_API_URL: not a valid URL")
		return
	}
	if p.User != nil {
		c.fail("WithAPIURL/CLERK_API_URL: %q carries credentials; the secret key is the only credential the Backend API takes", withoutUserinfo(p))
		return
	}
	switch {
	case (p.Scheme != "https" && p.Scheme != "http") || p.Host == "":
		// Only the scheme and host are quoted: an opaque URL
		// ("scheme:user:pass@host") can carry credentials outside User.
		c.fail("WithAPIURL/CLERK_API_URL: not an absolute http(s) URL (scheme %q, host %q)", p.Scheme, p.Host)
	case p.Scheme == "http" && !isLoopback(p.Hostname()):
		c.fail("WithAPIURL/CLERK_API_URL: http://%s would send the secret key in cleartext; use https (http is allowed only to localhost, 127.0.0.0/8 or ::1)", p.Host)
	}
	c.apiURL = strings.TrimRight(c.apiURL, "/")
}

func withoutUserinfo(p *url.URL) string {
	q := *p
	q.User = nil
	return q.String()
}

// isLoopback reports whether host is localhost or a loopback address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}
