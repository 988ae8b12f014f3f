package ginclerk

import "github.com/ginclerk/ginclerk/internal/clerkerr"

// Reason codes carried in Error.Reason, Auth.Reason and the
// X-Clerk-Auth-Reason header. All but ReasonSessionTokenMissing,
// ReasonSessionPending and ReasonForbidden are Clerk's own, spelled as
// @clerk/backend spells them. The status each one
// answers with is in brackets.
const (
	// ReasonTokenExpired is "token-expired": exp is past, beyond the clock
	// skew (401).
	ReasonTokenExpired = clerkerr.TokenExpired
	// ReasonTokenInvalid is "token-invalid": the token is malformed (shape,
	// encoding, JSON, header or claim types), or the request is ambiguous
	// (two Authorization headers, two __session cookies) (401).
	ReasonTokenInvalid = clerkerr.TokenInvalid
	// ReasonTokenInvalidAlgorithm is "token-invalid-algorithm": the header's
	// alg is not exactly RS256 (401).
	ReasonTokenInvalidAlgorithm = clerkerr.TokenInvalidAlgorithm
	// ReasonTokenInvalidAuthorizedParties is
	// "token-invalid-authorized-parties": azp is missing or not one of
	// WithAuthorizedParties (401).
	ReasonTokenInvalidAuthorizedParties = clerkerr.TokenInvalidAuthorizedParties
	// ReasonTokenInvalidIssuer is "token-invalid-issuer": iss is not the
	// pinned issuer (WithPublishableKey, WithProxyURL, WithIssuer) (401).
	ReasonTokenInvalidIssuer = clerkerr.TokenInvalidIssuer
	// ReasonTokenInvalidSignature is "token-invalid-signature": the RS256
	// signature does not verify under the key (401).
	ReasonTokenInvalidSignature = clerkerr.TokenInvalidSignature
	// ReasonTokenNotActiveYet is "token-not-active-yet": nbf is in the
	// future, beyond the clock skew (401).
	ReasonTokenNotActiveYet = clerkerr.TokenNotActiveYet
	// ReasonTokenIatInTheFuture is "token-iat-in-the-future": iat is in the
	// future, beyond the clock skew (401).
	ReasonTokenIatInTheFuture = clerkerr.TokenIatInTheFuture
	// ReasonTokenVerificationFailed is "token-verification-failed": an
	// unexpected verification failure, refused without detail (401).
	ReasonTokenVerificationFailed = clerkerr.TokenVerificationFailed
	// ReasonTokenTypeMismatch is "token-type-mismatch": a genuine Clerk
	// token that is not a session token — a JWT template (no sid, or a
	// template cat header) or a machine token (sub "mch_…") (401).
	ReasonTokenTypeMismatch = clerkerr.TokenTypeMismatch
	// ReasonSecretKeyInvalid is "secret-key-invalid": Clerk's Backend API
	// rejected the secret key (HTTP 401/403) — our misconfiguration (500).
	ReasonSecretKeyInvalid = clerkerr.SecretKeyInvalid
	// ReasonJWKRemoteFailedToLoad is "jwk-remote-failed-to-load": no usable
	// signing keys could be fetched from the Backend API — our outage (503).
	ReasonJWKRemoteFailedToLoad = clerkerr.JWKRemoteFailedToLoad
	// ReasonJWKRemoteInvalid is "jwk-remote-invalid", Clerk's reason for an
	// unusable remote key. ginclerk reports an unusable JWKS as
	// ReasonJWKRemoteFailedToLoad instead; the constant is here so code
	// switching on Clerk's reasons compiles.
	ReasonJWKRemoteInvalid = clerkerr.JWKRemoteInvalid
	// ReasonJWKFailedToResolve is "jwk-failed-to-resolve": no key source is
	// configured (neither CLERK_JWT_KEY nor CLERK_SECRET_KEY) (500).
	ReasonJWKFailedToResolve = clerkerr.JWKFailedToResolve
	// ReasonJWKKidMismatch is "jwk-kid-mismatch": no key in Clerk's JWKS
	// has the token's kid (401).
	ReasonJWKKidMismatch = clerkerr.JWKKidMismatch
	// ReasonSessionTokenMissing is "session-token-missing": the request
	// carried no token, neither in Authorization nor in the __session
	// cookie (401).
	ReasonSessionTokenMissing = clerkerr.SessionTokenMissing
	// ReasonSessionTokenIatBeforeClientUAT is
	// "session-token-iat-before-client-uat": a __session cookie token older
	// than the __client_uat cookie, or __client_uat "0" (signed out) (401).
	ReasonSessionTokenIatBeforeClientUAT = clerkerr.SessionTokenIatBeforeClientUAT
	// ReasonSessionPending is "session-pending": a valid token of a session
	// with pending tasks (sts "pending"), without WithPendingSessions (401).
	ReasonSessionPending = clerkerr.SessionPending
	// ReasonForbidden is "forbidden": a signed-in request that an
	// authorization check (Require and friends) refused (403).
	ReasonForbidden = "forbidden"
)
