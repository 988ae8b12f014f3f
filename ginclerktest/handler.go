package ginclerktest

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// serveHTTP implements the Backend API: GET /<version>/jwks and the three
// machine-credential verify endpoints, nothing else.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if s.serveVerify(w, r) {
		return
	}
	s.mu.Lock()
	version, keys, raw, fault := s.version, s.keys, s.raw, s.fault
	s.mu.Unlock()

	if r.URL.Path != "/"+version+"/jwks" {
		writeError(w, http.StatusNotFound, "resource_not_found", "Not Found")
		return
	}
	s.fetches.Add(1)
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "Method Not Allowed")
		return
	}
	// Clerk authenticates before anything else, so a wrong secret is a 401
	// whatever fault is injected.
	if !s.authorized(r) {
		writeError(w, http.StatusUnauthorized, "authentication_invalid", "Invalid authentication")
		return
	}
	body := raw
	if body == nil {
		body = JWKS(keys...)
	}
	s.answer(w, r, fault, body, JWKS())
}

// answer writes body, or the failure f instead. empty is the body of
// FaultEmptySet: a valid answer that says nothing.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, f Fault, body, empty []byte) {
	switch f {
	case Fault500:
		writeError(w, http.StatusInternalServerError, "internal_clerk_error", "Oops, something went wrong")
	case Fault401:
		writeError(w, http.StatusUnauthorized, "authentication_invalid", "Invalid authentication")
	case Fault403:
		writeError(w, http.StatusForbidden, "authorization_invalid", "Unauthorized request")
	case FaultGarbage:
		writeBody(w, []byte("<html><body>502 Bad Gateway</body></html>"))
	case FaultEmptySet:
		writeBody(w, empty)
	case Fault429:
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusTooManyRequests, "too_many_requests", "Too many requests")
	case FaultRedirect:
		if r.URL.Query().Has(redirected) {
			writeBody(w, body) // reached only by a client that follows redirects
			return
		}
		http.Redirect(w, r, r.URL.Path+"?"+redirected+"=1", http.StatusTemporaryRedirect)
	case FaultHang:
		s.block(r)
	case FaultStall:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body[:len(body)/2])
		_ = http.NewResponseController(w).Flush() // best effort: the client may be gone
		s.block(r)
	case FaultHugeBody:
		s.writeHuge(w, r, body)
	default:
		writeBody(w, body)
	}
}

// block waits until the client gives up or the server closes.
func (s *Server) block(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-s.closing:
	}
}

// padding is the whitespace FaultHugeBody streams, one chunk at a time.
var padding = bytes.Repeat([]byte(" "), 64<<10)

// writeHuge streams body padded to hugeBodySize bytes with whitespace after
// its opening brace, which keeps it valid JSON. It stops as soon as the
// client hangs up or the server closes.
func (s *Server) writeHuge(w http.ResponseWriter, r *http.Request, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	brace := min(1, len(body)) // an empty SetJWKS body is all padding
	if _, err := w.Write(body[:brace]); err != nil {
		return
	}
	for left := hugeBodySize - len(body); left > 0; {
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		default:
		}
		chunk := padding[:min(left, len(padding))]
		if _, err := w.Write(chunk); err != nil {
			return
		}
		left -= len(chunk)
	}
	_, _ = w.Write(body[brace:])
}

// writeBody answers 200 with a JSON body.
func writeBody(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// clerkError is the shape of Clerk's Backend API error bodies.
type clerkError struct {
	Message     string `json:"message"`
	LongMessage string `json:"long_message"`
	Code        string `json:"code"`
}

// writeError answers status with a body shaped like Clerk's:
// {"errors":[{"message","long_message","code"}]}.
func writeError(w http.ResponseWriter, status int, code, message string) {
	body, _ := json.Marshal(map[string][]clerkError{
		"errors": {{Message: message, LongMessage: message, Code: code}},
	})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
