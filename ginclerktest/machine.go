package ginclerktest

import "time"

// MachineCredential describes a machine credential registered with a
// Server's verify endpoints (AddAPIKey, AddM2MToken, AddOAuthToken). The
// zero value is a valid credential of the kind's default subject, with no
// name, scopes or claims, that never expires.
type MachineCredential struct {
	// ID is Clerk's identifier of the credential. Default: a random
	// "ak_…", "mt_…" or "oat_…" ID, different from the secret.
	ID string
	// Subject is who the credential acts for. Default: DefaultUserID for
	// API keys and OAuth tokens, DefaultMachineID for M2M tokens.
	Subject string
	// Name is an API key's name. Default: empty.
	Name string
	// Scopes are the credential's scopes. Default: none ([]).
	Scopes []string
	// Claims are the custom claims of an API key or M2M token, encoded with
	// encoding/json (a value it cannot encode makes the answer malformed
	// JSON). Default: nil, answered as null.
	Claims map[string]any
	// ClientID is an OAuth token's client ID. Default: DefaultClientID.
	ClientID string
	// Audience is an OAuth token's aud. Default: none (no aud member).
	Audience []string
	// ExpiresAt is the credential's expiration, answered in milliseconds.
	// Default: zero, answered as null (never expires).
	ExpiresAt time.Time
	// Expired is the answer's "expired" flag, for tests of a Backend API
	// that says so. The server never sets it on its own: whether ExpiresAt
	// has passed is for the code under test to judge with its own clock.
	Expired bool
	// Revoked is the answer's "revoked" flag; see also Server.Revoke.
	Revoked bool
}

// Defaults of machine credentials and machine tokens.
const (
	// DefaultMachineID is the subject of M2M tokens: the machine.
	DefaultMachineID = "mch_test_1"
	// DefaultClientID is the client_id of OAuth access tokens.
	DefaultClientID = "client_test_1"
)

// The opaque credential prefixes and the fixed parts of Clerk's answers.
const (
	apiKeyPrefix = "ak_"
	m2mPrefix    = "mt_"
	oauthPrefix  = "oat_"
)

// AddAPIKey registers an API key and returns its secret, "ak_" followed by
// random hex, for "Authorization: Bearer <secret>". POST /api_keys/verify
// answers it with Clerk's APIKey resource until Revoke.
func (s *Server) AddAPIKey(c MachineCredential) string {
	return s.addMachine(apiKeyPrefix, c, DefaultUserID)
}

// AddM2MToken registers an opaque M2M token and returns it, "mt_" followed
// by random hex. POST /m2m_tokens/verify answers it with Clerk's M2MToken
// resource, to requests authorized by SecretKey or MachineSecretKey.
func (s *Server) AddM2MToken(c MachineCredential) string {
	return s.addMachine(m2mPrefix, c, DefaultMachineID)
}

// AddOAuthToken registers an opaque OAuth access token and returns it,
// "oat_" followed by random hex. POST
// /oauth_applications/access_tokens/verify answers it with Clerk's OAuth
// access token resource.
func (s *Server) AddOAuthToken(c MachineCredential) string {
	if c.ClientID == "" {
		c.ClientID = DefaultClientID
	}
	return s.addMachine(oauthPrefix, c, DefaultUserID)
}

func (s *Server) addMachine(prefix string, c MachineCredential, subject string) string {
	if c.ID == "" {
		c.ID = prefix + randomHex(12)
	}
	if c.Subject == "" {
		c.Subject = subject
	}
	secret := prefix + randomHex(24)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.machine.creds == nil {
		s.machine.creds = make(map[string]*MachineCredential)
	}
	s.machine.creds[secret] = &c
	return secret
}

// Revoke marks a registered credential revoked: its verify answer says
// "revoked": true from now on. An unknown secret is ignored.
func (s *Server) Revoke(secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.machine.creds[secret]; c != nil {
		c.Revoked = true
	}
}

// FailVerify injects f into every later request to the three verify
// endpoints, until FailVerify(FaultNone). JWKS requests are unaffected
// (see Fail).
func (s *Server) FailVerify(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.machine.fault = f
}

// VerifyCalls counts the requests each verify endpoint has received,
// whatever their outcome (unknown credentials, wrong secret and injected
// faults included).
type VerifyCalls struct {
	APIKeys, M2MTokens, OAuthTokens int
}

// VerifyCalls returns the verify requests received so far.
func (s *Server) VerifyCalls() VerifyCalls {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.machine.calls
}
