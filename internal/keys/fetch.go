package keys

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"

	"github.com/ginclerk/ginclerk/internal/backendapi"
	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

// fetch performs one GET of the JWKS and returns the usable keys by kid and
// how many published keys were skipped. Errors are *clerkerr.Error: the secret
// key rejected → secret-key-invalid; anything else → jwk-remote-failed-to-load.
func (c *cache) fetch(ctx context.Context) (map[string]*rsa.PublicKey, int, *clerkerr.Error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url, nil)
	if err != nil {
		return nil, 0, clerkerr.Wrap(clerkerr.JWKRemoteFailedToLoad, err,
			"could not load Clerk's signing keys: invalid Backend API URL")
	}
	// The header is precomputed once per cache; the secret never appears in
	// an error or a log line, only on the wire to Clerk.
	req.Header.Set("Authorization", c.auth)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", backendapi.UserAgent)
	req.Header.Set(backendapi.APIVersionHeader, backendapi.APIVersion)

	resp, err := c.client.Do(req)
	if err != nil {
		return nil, 0, c.transportError(ctx, err)
	}
	defer resp.Body.Close() // unread rest of an oversized body: the connection is simply not reused

	switch code := resp.StatusCode; {
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return nil, 0, clerkerr.Wrap(clerkerr.SecretKeyInvalid, fmt.Errorf("HTTP %d", code),
			"Clerk's Backend API rejected the secret key (HTTP %d); check CLERK_SECRET_KEY", code)
	case code != http.StatusOK:
		return nil, 0, clerkerr.Wrap(clerkerr.JWKRemoteFailedToLoad, fmt.Errorf("HTTP %d", code),
			"could not load Clerk's signing keys: Backend API answered HTTP %d", code)
	}

	body, err := backendapi.ReadBody(resp.Body)
	switch {
	case errors.Is(err, backendapi.ErrBodyTooLarge):
		return nil, 0, clerkerr.Wrap(clerkerr.JWKRemoteFailedToLoad, err,
			"could not load Clerk's signing keys: JWKS response larger than 1 MiB")
	case err != nil:
		return nil, 0, c.transportError(ctx, err)
	}
	return parseJWKS(body)
}

// transportError classifies a failure to talk to Clerk. Timeouts get their
// own message because "hang" and "refused" call for different operator action.
func (c *cache) transportError(ctx context.Context, err error) *clerkerr.Error {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return clerkerr.Wrap(clerkerr.JWKRemoteFailedToLoad, err,
			"could not load Clerk's signing keys: Backend API timed out after %s", c.cfg.Timeout)
	case errors.Is(ctx.Err(), context.Canceled):
		return clerkerr.Wrap(clerkerr.JWKRemoteFailedToLoad, err,
			"could not load Clerk's signing keys: key source closed")
	default:
		return clerkerr.Wrap(clerkerr.JWKRemoteFailedToLoad, err,
			"could not load Clerk's signing keys: Backend API unreachable")
	}
}
