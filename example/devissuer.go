package main

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
)

// The identity the development issuer signs in. The organization is there so
// that GET /api/me shows every field it can return.
const (
	devKID       = "ins_dev_local"
	devUserID    = "user_dev"
	devSessionID = "sess_dev"
	devOrgID     = "org_dev"
	devOrgSlug   = "dev-org"
	devOrgRole   = "admin" // decoded as "org:admin"
	// devTokenLifetime is far longer than Clerk's 60 s so that a token
	// copied from the banner still works while you try it out.
	devTokenLifetime = time.Hour
)

// devIssuer stands in for a Clerk instance when no Clerk key is configured,
// so that `make run` works on a fresh machine with no account and no
// network. Its RSA key is generated at start-up and lives only in this
// process: tokens it mints are worthless anywhere else, which is why — and
// only why — printing them is acceptable.
type devIssuer struct {
	key     *ginclerktest.Key
	backend *devBackend
}

// newDevIssuer generates the throwaway signing key.
func newDevIssuer() (*devIssuer, error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("generating the development signing key: %w", err)
	}
	return &devIssuer{key: &ginclerktest.Key{Private: priv, KID: devKID}, backend: newDevBackend()}, nil
}

// options configure ginclerk to trust this issuer, networklessly, exactly as
// CLERK_JWT_KEY would with a real instance's public key, and to verify
// machine credentials with the in-process development Backend API: its
// transport answers every Backend API call, so none leaves the process.
func (d *devIssuer) options() []ginclerk.Option {
	return []ginclerk.Option{
		ginclerk.WithJWTKey(d.key.PublicKeyPEM()),
		ginclerk.WithSecretKey(d.backend.secretKey),
		ginclerk.WithHTTPClient(&http.Client{Transport: d.backend}),
	}
}

// mint returns a fresh session token for the development user. The org
// claims grant org:invoices:read and org:invoices:manage (fpm bitmask 3 over
// the "invoices" organization feature), so /api/me has permissions to show.
// These claims always encode, so Mint needs no test to report to.
func (d *devIssuer) mint() string {
	return d.key.Mint(nil,
		ginclerktest.ExpiresIn(devTokenLifetime),
		ginclerktest.Subject(devUserID),
		ginclerktest.SessionID(devSessionID),
		ginclerktest.Org(devOrgID, devOrgSlug, devOrgRole),
		ginclerktest.Features("o:invoices"),
		ginclerktest.OrgPermissions("read,manage", "3"),
	)
}

// tokenHandler serves GET /dev/token: {"token": "…"}, freshly minted, so a
// script or a front end can get a token without reading the banner.
func (d *devIssuer) tokenHandler(c *gin.Context) {
	token := d.mint()
	// A token is a credential, even a throwaway one: keep it out of caches.
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"token": token})
}

// announce writes the boxed DEV MODE banner and a ready curl command to w
// (stderr), so nobody mistakes this for a protected deployment.
func (d *devIssuer) announce(w io.Writer, baseURL string) error {
	token := d.mint()
	lines := []string{
		"DEV MODE: no CLERK_SECRET_KEY or CLERK_JWT_KEY is set.",
		"NOT FOR PRODUCTION: sessions are verified against a key generated",
		"at start-up, and tokens are minted locally by this process for",
		"user " + devUserID + " (org " + devOrgID + "); the API key and M2M",
		"token below are checked by a fake Backend API in this process.",
		"Anyone who can reach",
		baseURL + "/dev/token can sign in.",
		"Set CLERK_SECRET_KEY or CLERK_JWT_KEY to use your Clerk instance.",
	}
	width := 0
	for _, l := range lines {
		width = max(width, len(l))
	}
	bar := strings.Repeat("#", width+4)
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s\n", bar)
	for _, l := range lines {
		fmt.Fprintf(&b, "# %-*s #\n", width, l)
	}
	fmt.Fprintf(&b, "%s\n\n", bar)
	fmt.Fprintf(&b, "Try it (token valid for %v):\n\n", devTokenLifetime)
	fmt.Fprintf(&b, "  curl -H 'Authorization: Bearer %s' %s/api/me\n\n", token, baseURL)
	fmt.Fprintf(&b, "Machines (%s accepts sessions, API keys and M2M tokens):\n\n", callerPath)
	fmt.Fprintf(&b, "  curl -H 'Authorization: Bearer %s' %s%s\n", d.backend.apiKey, baseURL, callerPath)
	fmt.Fprintf(&b, "  curl -H 'Authorization: Bearer %s' %s%s\n\n", d.backend.m2mToken, baseURL, callerPath)
	fmt.Fprintf(&b, "Fresh tokens: curl %s/dev/token\n\n", baseURL)
	_, err := io.WriteString(w, b.String())
	return err
}
