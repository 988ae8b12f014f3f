package ginclerktest

import (
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// machineCredentials is the state of the verify endpoints, guarded by
// Server.mu.
type machineCredentials struct {
	creds map[string]*MachineCredential // by secret
	fault Fault
	calls VerifyCalls
}

// verifyEndpoint describes one verify endpoint of the Backend API. Unlike
// the JWKS, these paths carry no version segment.
type verifyEndpoint struct {
	path, field, prefix, object, notFound string
	count                                 func(*VerifyCalls) *int
}

var verifyEndpoints = [...]verifyEndpoint{
	{"/api_keys/verify", "secret", apiKeyPrefix, "api_key", "API key not found",
		func(c *VerifyCalls) *int { return &c.APIKeys }},
	{"/m2m_tokens/verify", "token", m2mPrefix, "machine_to_machine_token", "Machine token not found",
		func(c *VerifyCalls) *int { return &c.M2MTokens }},
	{"/oauth_applications/access_tokens/verify", "access_token", oauthPrefix, "clerk_idp_oauth_access_token",
		"OAuth token not found", func(c *VerifyCalls) *int { return &c.OAuthTokens }},
}

// maxVerifyBody bounds what the fake reads of a verify request.
const maxVerifyBody = 64 << 10

// serveVerify answers r if it is for a verify endpoint, and reports whether
// it did. Like Clerk, it authenticates first, then reads the body.
func (s *Server) serveVerify(w http.ResponseWriter, r *http.Request) bool {
	var ep *verifyEndpoint
	for i := range verifyEndpoints {
		if r.URL.Path == verifyEndpoints[i].path {
			ep = &verifyEndpoints[i]
		}
	}
	if ep == nil {
		return false
	}
	s.mu.Lock()
	*ep.count(&s.machine.calls)++
	fault := s.machine.fault
	s.mu.Unlock()

	switch {
	case r.Method != http.MethodPost:
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "Method Not Allowed")
	case !s.authorized(r) && !(ep.prefix == m2mPrefix && s.machineAuthorized(r)):
		writeError(w, http.StatusUnauthorized, "authentication_invalid", "Invalid authentication")
	default:
		// A fault hits every request, known credential or not, as an
		// outage would; only a followed FaultRedirect gets the real answer.
		body, status := s.verifyAnswer(r, ep)
		if status != http.StatusOK && (fault == FaultNone || r.URL.Query().Has(redirected)) {
			if status == http.StatusNotFound {
				writeError(w, status, "resource_not_found", ep.notFound)
			} else {
				writeError(w, status, "form_param_missing", "Missing or malformed request body")
			}
			return true
		}
		if body == nil {
			body = []byte("{}")
		}
		s.answer(w, r, fault, body, []byte("{}"))
	}
	return true
}

// machineAuthorized reports whether r carries the machine secret key.
func (s *Server) machineAuthorized(r *http.Request) bool {
	want := "Bearer " + s.MachineSecretKey
	return subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte(want)) == 1
}

// verifyAnswer looks the request's credential up and returns Clerk's
// resource for it, or 404 for a credential it does not know and 422 for a
// body that is not {"<field>": "<credential>"}.
func (s *Server) verifyAnswer(r *http.Request, ep *verifyEndpoint) ([]byte, int) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxVerifyBody))
	var req map[string]string
	if err != nil || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") ||
		json.Unmarshal(data, &req) != nil || req[ep.field] == "" {
		return nil, http.StatusUnprocessableEntity
	}
	secret := req[ep.field]
	s.mu.Lock()
	c := s.machine.creds[secret]
	var cred MachineCredential
	if c != nil {
		cred = *c
	}
	s.mu.Unlock()
	if c == nil || !strings.HasPrefix(secret, ep.prefix) {
		return nil, http.StatusNotFound
	}
	return resource(ep, secret, &cred), http.StatusOK
}

// resource encodes c as Clerk's Backend API does (snake_case members,
// times in Unix milliseconds, null for absent values).
func resource(ep *verifyEndpoint, secret string, c *MachineCredential) []byte {
	var expiration any
	if !c.ExpiresAt.IsZero() {
		expiration = c.ExpiresAt.UnixMilli()
	}
	var reason any
	if c.Revoked {
		reason = "revoked by test"
	}
	scopes := c.Scopes
	if scopes == nil {
		scopes = []string{}
	}
	m := map[string]any{
		"object": ep.object, "id": c.ID, "subject": c.Subject, "scopes": scopes,
		"revoked": c.Revoked, "revocation_reason": reason, "expired": c.Expired, "expiration": expiration,
		"created_at": createdAt, "updated_at": createdAt,
	}
	switch ep.prefix {
	case apiKeyPrefix:
		m["type"], m["name"], m["claims"] = "api_key", c.Name, c.Claims
		m["created_by"], m["description"], m["last_used_at"] = nil, nil, nil
	case m2mPrefix:
		m["claims"] = c.Claims
		m["token"] = secret // Clerk echoes the token back; clients must not keep it
	default:
		m["type"], m["client_id"] = "oauth:access_token", c.ClientID
		if c.Audience != nil {
			m["aud"] = c.Audience
		}
	}
	body, err := marshal(m)
	if err != nil {
		// Only a Claims value encoding/json cannot encode; answer garbage,
		// which the code under test must refuse like any other.
		return []byte("{")
	}
	return body
}

// createdAt is the fixed creation time of registered credentials, in
// Unix milliseconds, so that answers are deterministic.
const createdAt = 1753743316590
