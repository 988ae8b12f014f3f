package ginclerk

import "github.com/ginclerk/ginclerk/internal/clerkerr"

// Reason codes carried in Error.Reason, Auth.Reason and the
// X-Clerk-Auth-Reason header, one per reason ginclerk produces. All but
// ReasonSessionPending and ReasonForbidden are Clerk's own, spelled as
// @clerk/backend spells them and given where @clerk/backend gives them. The
// status each one answers with is in brackets.
const (
	// ReasonTokenExpired is "token-expired": exp is past, beyond the clock
	// skew, for a token verified on its own (VerifyToken); a request's token
	// gets ReasonSessionTokenExpired or ReasonSessionTokenExpiredNonGet (401).
	ReasonTokenExpired = clerkerr.TokenExpired
	// ReasonTokenInvalid is "token-invalid": the token is not a JWT (an
	// opaque "ak_…" API key where only sessions are accepted included) or
	// is malformed (encoding, JSON, header typ, claim types, an empty sub);
	// a machine credential Clerk does not know, or one revoked or expired;
	// an M2M JWT of another category; or the request is ambiguous (two
	// Authorization headers, two session cookies) (401).
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
	// future, beyond the clock skew, for a token verified on its own (VerifyToken);
	// a request's token gets ReasonSessionTokenNBF (401).
	ReasonTokenNotActiveYet = clerkerr.TokenNotActiveYet
	// ReasonTokenIatInTheFuture is "token-iat-in-the-future": iat is in the
	// future, beyond the clock skew, for a token verified on its own
	// (VerifyToken); a request's token gets ReasonSessionTokenIatInTheFuture (401).
	ReasonTokenIatInTheFuture = clerkerr.TokenIatInTheFuture
	// ReasonTokenVerificationFailed is "token-verification-failed": sub is
	// missing or not a string, exp is missing or not a number, nbf or iat is
	// not a number; an aud that is not one of WithAudience; any failure of
	// an M2M or OAuth JWT; or an unexpected verification failure (401).
	ReasonTokenVerificationFailed = clerkerr.TokenVerificationFailed
	// ReasonTokenTypeMismatch is "token-type-mismatch": a JWT that is not a
	// session token — an OAuth access token (typ at+jwt), an M2M token (sub
	// "mch_…"), a JWT template (a non-session cat header, or no sid) —
	// decided before any key is fetched (401).
	ReasonTokenTypeMismatch = clerkerr.TokenTypeMismatch
	// ReasonSecretKeyInvalid is "secret-key-invalid": Clerk's Backend API
	// rejected the secret key (HTTP 401/403), or a machine credential
	// arrived with no secret key to verify it — our misconfiguration (500).
	ReasonSecretKeyInvalid = clerkerr.SecretKeyInvalid
	// ReasonJWKRemoteFailedToLoad is "jwk-remote-failed-to-load": no usable
	// signing keys could be fetched from the Backend API — our outage (503).
	ReasonJWKRemoteFailedToLoad = clerkerr.JWKRemoteFailedToLoad
	// ReasonJWKFailedToResolve is "jwk-failed-to-resolve": no key source is
	// configured (neither CLERK_JWT_KEY nor CLERK_SECRET_KEY) (500).
	ReasonJWKFailedToResolve = clerkerr.JWKFailedToResolve
	// ReasonJWKKidMismatch is "jwk-kid-mismatch": no key in Clerk's JWKS
	// has the token's kid (401).
	ReasonJWKKidMismatch = clerkerr.JWKKidMismatch
	// ReasonSessionTokenAndUATMissing is "session-token-and-uat-missing":
	// the request carried no token — no Authorization token, and neither a
	// session cookie nor a signed-in __client_uat (401).
	ReasonSessionTokenAndUATMissing = clerkerr.SessionTokenAndUATMissing
	// ReasonSessionTokenButNoClientUAT is "session-token-but-no-client-uat":
	// a session cookie without a __client_uat saying the client is signed
	// in (missing, "0" or not a number) (401).
	ReasonSessionTokenButNoClientUAT = clerkerr.SessionTokenButNoClientUAT
	// ReasonClientUATButNoSessionToken is "client-uat-but-no-session-token":
	// a signed-in __client_uat without a session cookie (401).
	ReasonClientUATButNoSessionToken = clerkerr.ClientUATButNoSessionToken
	// ReasonSessionTokenIatBeforeClientUAT is
	// "session-token-iat-before-client-uat": a session cookie token issued
	// before the client's last sign-in or sign-out (__client_uat) (401).
	ReasonSessionTokenIatBeforeClientUAT = clerkerr.SessionTokenIatBeforeClientUAT
	// ReasonSessionTokenExpired is
	// "session-token-expired-refresh-non-eligible-no-refresh-cookie": on a
	// GET request, the session token's exp is past, beyond the clock skew.
	// It is what @clerk/backend's authenticateRequest reports for an
	// expired token when it cannot refresh the session, which an API
	// middleware never does (401). VerifyToken reports ReasonTokenExpired
	// instead, as Clerk's verifyToken does.
	ReasonSessionTokenExpired = clerkerr.SessionTokenExpiredNoRefreshCookie
	// ReasonSessionTokenExpiredNonGet is
	// "session-token-expired-refresh-non-eligible-non-get":
	// ReasonSessionTokenExpired on a request whose method is not GET (401).
	ReasonSessionTokenExpiredNonGet = clerkerr.SessionTokenExpiredNonGet
	// ReasonSessionTokenNBF is "session-token-nbf": the session token's nbf
	// is in the future, beyond the clock skew — authenticateRequest's name
	// for ReasonTokenNotActiveYet (401).
	ReasonSessionTokenNBF = clerkerr.SessionTokenNBF
	// ReasonSessionTokenIatInTheFuture is "session-token-iat-in-the-future":
	// the session token's iat is in the future, beyond the clock skew —
	// authenticateRequest's name for ReasonTokenIatInTheFuture (401).
	ReasonSessionTokenIatInTheFuture = clerkerr.SessionTokenIatInTheFuture
	// ReasonSessionPending is "session-pending": a valid token of a session
	// with pending tasks (sts "pending"), without WithPendingSessions (401).
	ReasonSessionPending = clerkerr.SessionPending
	// ReasonForbidden is "forbidden": a signed-in request that an
	// authorization check (Require and friends) refused (403).
	ReasonForbidden = "forbidden"
	// ReasonUnexpectedError is "unexpected-error": Clerk's Backend API
	// could not verify a machine credential — it failed (5xx, 429), timed
	// out, or gave an answer that cannot be read or trusted — our outage,
	// never the client's fault (503). It matches ErrKeysUnavailable.
	ReasonUnexpectedError = clerkerr.UnexpectedError
)
