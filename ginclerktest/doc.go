// Package ginclerktest is a test kit for code that uses ginclerk: a Clerk-like
// RSA signing key, a minter of real RS256 session tokens with an option for
// every claim Clerk puts in them (and M2M and OAuth access-token JWTs), a
// fake Clerk Backend API serving the JWKS endpoint and the API key, M2M
// token and OAuth token verify endpoints (with fault injection), and
// helpers that put a ready-made *ginclerk.Auth on a *gin.Context so
// handlers can be tested without tokens.
//
// It follows the standard library's <pkg>test convention (httptest,
// slogtest): ginclerktest imports ginclerk, never the reverse, so nothing in
// it ends up in a production binary that does not import it.
//
// A typical end-to-end handler test:
//
//	key := ginclerktest.DefaultKey(t)             // cached: no RSA generation per test
//	clerk, err := ginclerk.New(key.Options()...)  // networkless PEM verification
//	...
//	req.Header.Set("Authorization", "Bearer "+key.Mint(t, ginclerktest.Subject("user_42")))
//
// To exercise the JWKS path instead, start a fake Backend API with
// NewServer and pass its Options to ginclerk.New.
//
// Everything here is safe for concurrent use by parallel tests.
package ginclerktest
