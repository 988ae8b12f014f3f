package machine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/ginclerk/ginclerk/internal/backendapi"
	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

// call performs one verify call for token of kind and returns the decoded
// answer, or an error carrying the reason code of the outcome. It does not
// judge the answer (revoked, expired, subject): see check.
func (v *Verifier) call(ctx context.Context, kind Kind, token string) (*answer, *clerkerr.Error) {
	auth := v.auth(kind)
	if auth == "" {
		return nil, clerkerr.New(clerkerr.SecretKeyInvalid,
			"cannot verify an %s: set CLERK_SECRET_KEY", kind.noun())
	}
	body, err := json.Marshal(map[string]string{kind.bodyField(): token})
	if err != nil { // unreachable for a string; kept so a failure is never a panic
		return nil, v.unexpected(kind, err, "could not encode the request")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, v.cfg.APIURL+kind.endpoint(), bytes.NewReader(body))
	if err != nil {
		return nil, v.unexpected(kind, err, "invalid Backend API URL")
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set(backendapi.APIVersionHeader, backendapi.APIVersion)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", backendapi.UserAgent)

	resp, err := v.client.Do(req)
	if err != nil {
		return nil, v.transportError(ctx, kind, err)
	}
	defer resp.Body.Close() // the unread rest of an oversized body: the connection is not reused

	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return nil, notFound(kind)
	case http.StatusUnauthorized:
		return nil, clerkerr.Wrap(clerkerr.SecretKeyInvalid, statusError(resp.StatusCode),
			"Clerk's Backend API rejected the secret key verifying an %s (HTTP 401); check %s",
			kind.noun(), v.secretKeyName(kind))
	default:
		return nil, v.unexpected(kind, statusError(resp.StatusCode), "Backend API answered HTTP %d", resp.StatusCode)
	}
	data, err := backendapi.ReadBody(resp.Body)
	switch {
	case errors.Is(err, backendapi.ErrBodyTooLarge):
		return nil, v.unexpected(kind, err, "answer larger than 1 MiB")
	case err != nil:
		return nil, v.transportError(ctx, kind, err)
	}
	a, err := decode(kind, data)
	if err != nil {
		return nil, v.unexpected(kind, err, "unreadable answer")
	}
	return a, nil
}

// auth is the Authorization header of a verify call of kind.
func (v *Verifier) auth(kind Kind) string {
	if kind == M2MToken && v.cfg.MachineSecretKey != "" {
		return v.machineAuth
	}
	return v.secretAuth
}

// secretKeyName names the setting behind the secret key used for kind.
func (v *Verifier) secretKeyName(kind Kind) string {
	if kind == M2MToken && v.cfg.MachineSecretKey != "" {
		return "CLERK_MACHINE_SECRET_KEY"
	}
	return "CLERK_SECRET_KEY"
}

// transportError classifies a failure to talk to Clerk. A timeout gets its
// own message: "hang" and "refused" call for different operator action.
func (v *Verifier) transportError(ctx context.Context, kind Kind, err error) *clerkerr.Error {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return v.unexpected(kind, err, "Backend API timed out after %s", v.cfg.Timeout)
	case errors.Is(ctx.Err(), context.Canceled):
		return v.unexpected(kind, err, "verifier closed")
	default:
		return v.unexpected(kind, err, "Backend API unreachable")
	}
}

// unexpected is the unexpected-error of a verify call of kind.
func (v *Verifier) unexpected(kind Kind, cause error, format string, args ...any) *clerkerr.Error {
	return clerkerr.Wrap(clerkerr.UnexpectedError, cause,
		"could not verify the %s with Clerk's Backend API: %s", kind.noun(), fmt.Sprintf(format, args...))
}

// notFound is the token-invalid answer for a credential Clerk does not know.
func notFound(kind Kind) *clerkerr.Error {
	return clerkerr.New(clerkerr.TokenInvalid, "%s not found", kind.noun())
}

func statusError(code int) error { return fmt.Errorf("HTTP %d", code) }
