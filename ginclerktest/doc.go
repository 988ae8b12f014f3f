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
// A typical end-to-end handler test, for an app whose routes use the
// package-level ginclerk.WithAuth and RequireAuth as in ginclerk's quick
// start:
//
//	key := ginclerktest.DefaultKey(t)             // cached: no RSA generation per test
//	ginclerktest.SetDefault(t, key.Options()...) // until the test ends
//	req.Header.Set("Authorization", "Bearer "+key.Mint(t, ginclerktest.Subject("user_42")))
//
// SetDefaultAuth skips tokens altogether. An app that makes its own
// instance passes key.Options() (networkless PEM verification) or a fake
// Backend API's NewServer(t, key).Options() to ginclerk.New instead; these
// options include ginclerk.WithoutEnvironment, so the CLERK_* variables of
// the developer's shell never reach a test.
//
// Everything here is safe for concurrent use by parallel tests, except
// SetDefault and SetDefaultAuth, which change process-wide state.
package ginclerktest
