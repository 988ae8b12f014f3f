package ginclerk

import "github.com/ginclerk/ginclerk/internal/clerkerr"

// Reason codes carried in Error.Reason, Auth.Reason and the
// X-Clerk-Auth-Reason header. All but ReasonSessionTokenMissing,
// ReasonSessionPending and ReasonForbidden are Clerk's own, spelled as
// @clerk/backend spells them.
const (
	ReasonTokenExpired                   = clerkerr.TokenExpired
	ReasonTokenInvalid                   = clerkerr.TokenInvalid
	ReasonTokenInvalidAlgorithm          = clerkerr.TokenInvalidAlgorithm
	ReasonTokenInvalidAuthorizedParties  = clerkerr.TokenInvalidAuthorizedParties
	ReasonTokenInvalidIssuer             = clerkerr.TokenInvalidIssuer
	ReasonTokenInvalidSignature          = clerkerr.TokenInvalidSignature
	ReasonTokenNotActiveYet              = clerkerr.TokenNotActiveYet
	ReasonTokenIatInTheFuture            = clerkerr.TokenIatInTheFuture
	ReasonTokenVerificationFailed        = clerkerr.TokenVerificationFailed
	ReasonTokenTypeMismatch              = clerkerr.TokenTypeMismatch
	ReasonSecretKeyInvalid               = clerkerr.SecretKeyInvalid
	ReasonJWKRemoteFailedToLoad          = clerkerr.JWKRemoteFailedToLoad
	ReasonJWKRemoteInvalid               = clerkerr.JWKRemoteInvalid
	ReasonJWKFailedToResolve             = clerkerr.JWKFailedToResolve
	ReasonJWKKidMismatch                 = clerkerr.JWKKidMismatch
	ReasonSessionTokenMissing            = clerkerr.SessionTokenMissing
	ReasonSessionTokenIatBeforeClientUAT = clerkerr.SessionTokenIatBeforeClientUAT
	ReasonSessionPending                 = clerkerr.SessionPending
	// ReasonForbidden is ginclerk's reason for a signed-in request that an
	// authorization check refused (status 403).
	ReasonForbidden = "forbidden"
)
