package ginclerk

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Publishable-key prefixes: development and production instances.
const (
	publishableKeyTestPrefix = "pk_test_"
	publishableKeyLivePrefix = "pk_live_"
)

// WithPublishableKey pins the token issuer to the instance this publishable
// key (pk_test_… or pk_live_…, from the Clerk Dashboard) belongs to: the key
// encodes the instance's Frontend API host, and a session token's iss must
// then be exactly https://<host> (reason "token-invalid-issuer" otherwise).
// A malformed key is an error from New; an empty one turns the pinning off,
// overriding the environment. WithProxyURL and WithIssuer take precedence.
// Default: $CLERK_PUBLISHABLE_KEY, else no issuer check (as @clerk/backend).
func WithPublishableKey(key string) Option { return func(c *config) { c.publishableKey = key } }

// WithProxyURL pins the token issuer to the absolute URL of your Clerk
// Frontend API proxy (e.g. "https://example.com/__clerk"): iss must equal
// it exactly, trailing slashes aside. It takes precedence over
// WithPublishableKey; an empty URL turns it off, overriding the
// environment. Default: $CLERK_PROXY_URL, else none.
func WithProxyURL(proxyURL string) Option { return func(c *config) { c.proxyURL = proxyURL } }

// WithIssuer requires every session token's iss to be exactly iss, for set-ups
// the publishable key and proxy URL do not describe (satellite domains,
// custom Frontend API domains). It takes precedence over both. Default: none.
func WithIssuer(iss string) Option {
	return func(c *config) {
		if strings.TrimSpace(iss) == "" {
			c.fail("WithIssuer: empty issuer (leave WithIssuer out to derive it from the publishable key)")
			return
		}
		c.issuer = iss
	}
}

// resolveIssuer returns the iss tokens must carry, "" for no check. It runs
// once in New, after every option, so that an option can override a bad
// environment value.
func (c *config) resolveIssuer() (string, error) {
	switch {
	case c.issuer != "":
		return c.issuer, nil
	case c.proxyURL != "":
		u, err := url.Parse(c.proxyURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
			u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return "", fmt.Errorf("ginclerk: WithProxyURL/CLERK_PROXY_URL: %q is not an absolute http(s) URL without query or fragment", c.proxyURL)
		}
		return strings.TrimRight(c.proxyURL, "/"), nil
	case c.publishableKey != "":
		host, err := frontendAPIHost(c.publishableKey)
		if err != nil {
			return "", fmt.Errorf("ginclerk: WithPublishableKey/CLERK_PUBLISHABLE_KEY: %w", err)
		}
		return "https://" + host, nil
	}
	return "", nil
}

// frontendAPIHost decodes a publishable key with Clerk's own rules:
// "pk_test_" or "pk_live_", then base64 of the Frontend API host followed by
// exactly one "$" at the end, the host containing a dot. Messages never
// repeat the key.
func frontendAPIHost(key string) (string, error) {
	var encoded string
	switch {
	case strings.HasPrefix(key, publishableKeyTestPrefix):
		encoded = key[len(publishableKeyTestPrefix):]
	case strings.HasPrefix(key, publishableKeyLivePrefix):
		encoded = key[len(publishableKeyLivePrefix):]
	default:
		return "", errors.New("not a Clerk publishable key (want pk_test_… or pk_live_…)")
	}
	// Clerk decodes with atob, which accepts the padding being left out.
	decoded, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(encoded, "="))
	if encoded == "" || err != nil {
		return "", errors.New("publishable key is not valid base64 after its prefix")
	}
	host, ok := strings.CutSuffix(string(decoded), "$")
	if !ok || !strings.Contains(host, ".") || !isHostname(host) {
		return "", errors.New("publishable key does not encode a Frontend API host followed by \"$\"")
	}
	return host, nil
}

// isHostname reports whether s is made of DNS labels (ASCII letters, digits
// and hyphens, separated by dots). Clerk only checks for a dot; a Frontend
// API host is always a DNS name, so anything else is a corrupted key, better
// reported by New than discovered as every token failing the issuer check.
func isHostname(s string) bool {
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, r := range label {
			if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '-' {
				return false
			}
		}
	}
	return true
}
