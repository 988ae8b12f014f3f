package ginclerk_test

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ginclerk/ginclerk"
)

// Ports of @clerk/backend's src/tokens/__tests__/request.test.ts
// (authenticateRequest), every case that applies to an API middleware with
// the default acceptsToken (session tokens). Where Clerk answers a browser
// document request with a handshake, the API answer is signed out with the
// same reason; handshake-only flows (dev browser, satellites, refresh,
// multi-domain sync) have no API counterpart and are not ported.
//
// Deliberate differences, listed in the README: an expired token is
// "token-expired" (Clerk's handshake reason is
// "session-token-expired-refresh-<why no refresh>"); a JWKS that cannot be
// loaded is status 503.

const fxEmptyJWKS = `{}`

func TestClerkAuthenticateRequest(t *testing.T) {
	t.Parallel()
	mockJwks, emptyJwks := fxServer(t), fxServer(t)
	emptyJwks.SetJWKS([]byte(fxEmptyJWKS))
	uatBefore := "__client_uat=" + strconv.Itoa(fxIat-10)
	// mockOptions: publishableKey PK_TEST, keys from the Backend API.
	withKeys := func(srv interface{ Options() []ginclerk.Option }, opts ...ginclerk.Option) []ginclerk.Option {
		return append(append(srv.Options(), ginclerk.WithPublishableKey(fxPKTest)), opts...)
	}
	oauthJWT := fxToken(`{"alg":"RS256","kid":"`+fxKid+`","typ":"at+jwt"}`, `{"sub":"user_2vYVtestTESTtestTESTtestTESTtest","client_id":"client_1","exp":1666648310,"iat":1666648250,"jti":"oat_1"}`)
	m2mJWT := fxToken(`{"alg":"RS256","cat":"cl_B7d4PD333AAA","kid":"`+fxKid+`","typ":"JWT"}`, `{"sub":"mch_1","exp":1666648310,"iat":1666648250,"jti":"mt_1"}`)

	tests := []struct {
		name    string // Clerk's test name
		method  string
		auth    string // Authorization header, "" for none
		cookie  string // Cookie header, "" for none
		headers map[string]string
		opts    []ginclerk.Option
		reason  string // "" for signed in
	}{
		{name: "does not throw error with missing auth scheme from Authorization header",
			auth: fxMockInvalidSignatureJwt, opts: withKeys(emptyJwks), reason: ginclerk.ReasonJWKRemoteFailedToLoad},
		{name: "does not throw error with Basic auth scheme from Authorization header",
			auth: "Basic dXNlcjpwYXNzd29yZA==", opts: withKeys(emptyJwks), reason: ginclerk.ReasonSessionTokenAndUATMissing},
		{name: "returns signed out state if jwk fails to load from remote",
			auth: "Bearer " + fxMockJwt, opts: withKeys(emptyJwks), reason: ginclerk.ReasonJWKRemoteFailedToLoad},
		{name: "headerToken: returns signed in state when a valid token [1y.2y]",
			auth: "Bearer " + fxMockJwt, opts: withKeys(mockJwks)},
		{name: "headerToken: returns signed out state when a token with invalid authorizedParties [1y.2n]",
			auth: "Bearer " + fxMockJwt, opts: withKeys(mockJwks, ginclerk.WithAuthorizedParties("whatever")), reason: ginclerk.ReasonTokenInvalidAuthorizedParties},
		{name: "headerToken: returns handshake state when token expired [1y.2n] (reason token-expired: deliberate)",
			auth: "Bearer " + fxMockJwt, opts: withKeys(mockJwks, ginclerk.WithClock(fxAt(3600))), reason: ginclerk.ReasonSessionTokenExpired},
		{name: "headerToken: returns signed out state when invalid signature [1y.2n]",
			auth: "Bearer " + fxMockInvalidSignatureJwt, opts: withKeys(mockJwks), reason: ginclerk.ReasonTokenInvalidSignature},
		{name: "headerToken: returns signed out state when an malformed token [1y.1n]",
			auth: "Bearer test_header_token", opts: withKeys(mockJwks), reason: ginclerk.ReasonTokenInvalid},
		{name: "cookieToken: returns signed out when no cookieToken and no clientUat in production [4y]",
			opts: withKeys(mockJwks, ginclerk.WithPublishableKey(fxPKLive)), reason: ginclerk.ReasonSessionTokenAndUATMissing},
		{name: "cookieToken: returns handshake when no clientUat in development [5y]",
			cookie: "__clerk_db_jwt=deadbeef;__session=" + fxMockJwt, opts: withKeys(mockJwks), reason: ginclerk.ReasonSessionTokenButNoClientUAT},
		{name: "cookieToken: returns handshake when clientUat > 0 and no cookieToken [8y]",
			cookie: "__client_uat=12345", opts: withKeys(mockJwks, ginclerk.WithPublishableKey(fxPKLive)), reason: ginclerk.ReasonClientUATButNoSessionToken},
		{name: "cookieToken: returns signed out when clientUat = 0 and no cookieToken [9y]",
			cookie: "__client_uat=0", opts: withKeys(mockJwks, ginclerk.WithPublishableKey(fxPKLive)), reason: ginclerk.ReasonSessionTokenAndUATMissing},
		{name: "cookieToken: returns handshake when clientUat > cookieToken.iat [10n]",
			cookie: "__clerk_db_jwt=deadbeef;__client_uat=" + strconv.Itoa(fxIat+10) + ";__session=" + fxMockJwt, opts: withKeys(mockJwks), reason: ginclerk.ReasonSessionTokenIatBeforeClientUAT},
		{name: "cookieToken: returns signed out when cookieToken.iat >= clientUat and malformed token [10y.1n] (3.25 checks the signature first)",
			cookie: "__clerk_db_jwt=deadbeef;" + uatBefore + ";__session=" + fxMockMalformedJwt, opts: withKeys(mockJwks), reason: ginclerk.ReasonTokenInvalidSignature},
		{name: "cookieToken: returns signed in when cookieToken.iat >= clientUat and valid token [10y.2y]",
			cookie: "__clerk_db_jwt=deadbeef;" + uatBefore + ";__session=" + fxMockJwt, opts: withKeys(mockJwks)},
		{name: "cookieToken: returns handshake when cookieToken.iat >= clientUat and expired token [10y.2n.1n] (reason token-expired: deliberate)",
			cookie: "__clerk_db_jwt=deadbeef;" + uatBefore + ";__session=" + fxMockJwt, opts: withKeys(mockJwks, ginclerk.WithClock(fxAt(3600))), reason: ginclerk.ReasonSessionTokenExpired},
		{name: "cookieToken: returns signed in for Amazon Cloudfront userAgent",
			cookie: "__client_uat=12345;__session=" + fxMockJwt, headers: map[string]string{"User-Agent": "Amazon CloudFront"},
			opts: withKeys(mockJwks, ginclerk.WithPublishableKey(fxPKLive))},
		{name: "Any Token Type Authentication: accepts session token when acceptsToken is \"any\"",
			auth: "Bearer " + fxMockJwt, opts: withKeys(mockJwks)},
		{name: "Token Type Mismatch: rejects OAuth JWT token when acceptsToken is session_token",
			auth: "Bearer " + oauthJWT, opts: withKeys(mockJwks), reason: ginclerk.ReasonTokenTypeMismatch},
		{name: "Array of Accepted Token Types: accepts session token in header when session_token is in the acceptsToken array",
			auth: "Bearer " + fxMockJwt, opts: withKeys(mockJwks)},
		{name: "Array of Accepted Token Types: accepts session token in cookie when session_token is in the acceptsToken array",
			cookie: "__session=" + fxMockJwt + ";__client_uat=12345", opts: withKeys(mockJwks)},
		{name: "POST requests with sec-fetch-dest: document: returns signed out instead of handshake when clientUat > 0 and no cookieToken",
			method: http.MethodPost, cookie: "__client_uat=12345", opts: withKeys(mockJwks, ginclerk.WithPublishableKey(fxPKLive)), reason: ginclerk.ReasonClientUATButNoSessionToken},
		{name: "POST requests with sec-fetch-dest: document: returns signed out instead of handshake when clientUat > cookieToken.iat",
			method: http.MethodPost, cookie: "__clerk_db_jwt=deadbeef;__client_uat=" + strconv.Itoa(fxIat+10) + ";__session=" + fxMockJwt, opts: withKeys(mockJwks), reason: ginclerk.ReasonSessionTokenIatBeforeClientUAT},

		// Cross-origin sync: the cases where Clerk stays signed in. (Where
		// it hands a valid session to a handshake, an API stays signed in:
		// multi-domain sync is a browser flow.)
		{name: "Cross-origin sync: does not trigger handshake when referer is same origin",
			cookie: "__session=" + fxMockJwt + ";__client_uat=12345", headers: map[string]string{"Referer": "https://primary.com/signin"}, opts: withKeys(mockJwks, ginclerk.WithPublishableKey(fxPKLive))},
		{name: "Cross-origin sync: does not trigger handshake when no referer header",
			cookie: "__session=" + fxMockJwt + ";__client_uat=12345", headers: map[string]string{"Origin": "https://primary.com"}, opts: withKeys(mockJwks, ginclerk.WithPublishableKey(fxPKLive))},
		{name: "Cross-origin sync: does not trigger handshake for cross-origin POST document request on primary domain",
			method: http.MethodPost, cookie: "__session=" + fxMockJwt + ";__client_uat=12345", headers: map[string]string{"Referer": "https://satellite.com/form"}, opts: withKeys(mockJwks, ginclerk.WithPublishableKey(fxPKLive))},
		{name: "Cross-origin sync: does not trigger handshake for non-document requests",
			cookie: "__session=" + fxMockJwt + ";__client_uat=12345", headers: map[string]string{"Referer": "https://satellite.com/signin", "Sec-Fetch-Dest": "empty"}, opts: withKeys(mockJwks, ginclerk.WithPublishableKey(fxPKLive))},
		{name: "Cross-origin sync: does not trigger handshake when referer header contains invalid URL format",
			cookie: "__session=" + fxMockJwt + ";__client_uat=12345", headers: map[string]string{"Referer": "invalid-url-format"}, opts: withKeys(mockJwks, ginclerk.WithPublishableKey(fxPKLive))},
		{name: "Cross-origin sync: does not trigger handshake when referer is from production accounts portal",
			cookie: "__session=" + fxMockJwt + ";__client_uat=12345", headers: map[string]string{"Referer": "https://accounts.example.com/sign-in"}, opts: withKeys(mockJwks, ginclerk.WithPublishableKey(fxPKLive))},
		{name: "Cross-origin sync: does not trigger handshake when referer is from FAPI domain (redirect-based auth)",
			cookie: "__session=" + fxMockJwt + ";__client_uat=12345", headers: map[string]string{"Referer": "https://clerk.inspired.puma-74.lcl.dev/v1/client/sign_ins/12345/attempt_first_factor"}, opts: withKeys(mockJwks)},

		// The machine-token kinds presented where sessions are accepted.
		{name: "isMachineJwt in the header: an M2M JWT is token-type-mismatch",
			auth: "Bearer " + m2mJWT, opts: withKeys(mockJwks), reason: ginclerk.ReasonTokenTypeMismatch},
		{name: "isMachineJwt in the cookie: an OAuth JWT is token-type-mismatch",
			cookie: "__session=" + oauthJWT + ";__client_uat=12345", opts: withKeys(mockJwks), reason: ginclerk.ReasonTokenTypeMismatch},
		{name: "an opaque API key where sessions are accepted is not a JWT",
			auth: "Bearer ak_0123456789abcdef", opts: withKeys(mockJwks), reason: ginclerk.ReasonTokenInvalid},
		{name: "an opaque M2M token in the cookie is not a JWT",
			cookie: "__session=mt_0123456789abcdef;__client_uat=12345", opts: withKeys(mockJwks), reason: ginclerk.ReasonTokenInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			req := httptest.NewRequest(method, "https://primary.com/", nil)
			// Clerk's defaultHeaders: a browser document request.
			req.Header.Set("User-Agent", "Mozilla/TestAgent")
			req.Header.Set("Sec-Fetch-Dest", "document")
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			if tt.cookie != "" {
				req.Header.Set("Cookie", tt.cookie)
			}
			auth, h := fxVerdict(t, req, tt.opts...)
			assert.Equal(t, tt.reason, auth.Reason)
			if tt.reason == "" {
				assert.Equal(t, fxUser, auth.UserID)
				assert.Empty(t, h.Get("X-Clerk-Auth-Status"))
				return
			}
			assertClerkSignedOutHeaders(t, h, tt.reason)
		})
	}
}

// assertClerkSignedOutHeaders checks the signed-out headers Clerk sends for
// reason: status and reason always, a message only when Clerk has one.
func assertClerkSignedOutHeaders(t *testing.T, h http.Header, reason string) {
	t.Helper()
	assert.Equal(t, "signed-out", h.Get("X-Clerk-Auth-Status"))
	assert.Equal(t, reason, h.Get("X-Clerk-Auth-Reason"))
	switch reason {
	case ginclerk.ReasonSessionTokenAndUATMissing, ginclerk.ReasonSessionTokenButNoClientUAT,
		ginclerk.ReasonClientUATButNoSessionToken, ginclerk.ReasonSessionTokenIatBeforeClientUAT,
		ginclerk.ReasonTokenTypeMismatch:
		assert.NotContains(t, h, "X-Clerk-Auth-Message", "Clerk sends no message for %s", reason)
	default:
		assert.NotEmpty(t, h.Get("X-Clerk-Auth-Message"), "Clerk sends a message for %s", reason)
	}
}

// fxToken is a JWT with the given header and payload JSON and a signature
// no key made: for tokens refused before any signature check.
func fxToken(header, payload string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload)) + "." +
		enc.EncodeToString([]byte(strings.Repeat("s", 256)))
}
