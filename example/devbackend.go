package main

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
)

// The machines the development Backend API knows.
const (
	devAPIKeyName = "dev-key"
	devAPIKeyID   = "ak_dev"
	devMachineID  = "mch_dev"
	devM2MTokenID = "mt_dev"
	devScope      = "read"
)

// devBackend stands in for the two verify endpoints of Clerk's Backend API
// in dev mode, inside this process: it is the HTTP client transport of the
// development instance, so no request ever leaves the process. It knows
// one API key (for the dev user) and one M2M token (for the dev machine),
// both random at start-up and, like the dev issuer's tokens, worthless
// anywhere else. Any other request is answered 404, as Clerk answers an
// unknown path; a wrong secret key, 401.
type devBackend struct {
	secretKey, apiKey, m2mToken string
	mux                         *http.ServeMux
}

func newDevBackend() *devBackend {
	b := &devBackend{
		secretKey: "sk_test_dev_" + randomHex(),
		apiKey:    "ak_" + randomHex(),
		m2mToken:  "mt_" + randomHex(),
		mux:       http.NewServeMux(),
	}
	b.mux.HandleFunc("POST /api_keys/verify", b.verify("secret", b.apiKey, map[string]any{
		"object": "api_key", "id": devAPIKeyID, "type": "api_key", "name": devAPIKeyName, "subject": devUserID,
	}))
	b.mux.HandleFunc("POST /m2m_tokens/verify", b.verify("token", b.m2mToken, map[string]any{
		"object": "machine_to_machine_token", "id": devM2MTokenID, "subject": devMachineID,
	}))
	return b
}

// randomHex is 16 random bytes in hex. crypto/rand.Read never fails.
func randomHex() string {
	var buf [16]byte
	_, _ = rand.Read(buf[:])
	return hex.EncodeToString(buf[:])
}

// RoundTrip serves req in process, as the Backend API would over the
// network.
func (b *devBackend) RoundTrip(req *http.Request) (*http.Response, error) {
	w := httptest.NewRecorder()
	b.mux.ServeHTTP(w, req)
	return w.Result(), nil
}

// verify answers a verify call whose JSON body carries the credential in
// field: the resource when it is known, 404 otherwise, in Clerk's format.
func (b *devBackend) verify(field, known string, resource map[string]any) http.HandlerFunc {
	resource["scopes"] = []string{devScope}
	resource["claims"] = nil
	resource["revoked"] = false
	resource["expired"] = false
	resource["expiration"] = nil
	return func(w http.ResponseWriter, r *http.Request) {
		want := "Bearer " + b.secretKey
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte(want)) != 1 {
			writeJSON(w, http.StatusUnauthorized, clerkError("authentication_invalid"))
			return
		}
		var body map[string]string
		if json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&body) != nil ||
			subtle.ConstantTimeCompare([]byte(body[field]), []byte(known)) != 1 {
			writeJSON(w, http.StatusNotFound, clerkError("resource_not_found"))
			return
		}
		writeJSON(w, http.StatusOK, resource)
	}
}

func clerkError(code string) map[string]any {
	return map[string]any{"errors": []map[string]string{{"code": code, "message": code}}}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
