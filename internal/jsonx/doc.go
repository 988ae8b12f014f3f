// Package jsonx is a strict, allocation-free JSON scanner for the small
// documents a session token carries (a JWT header and payload, ~500 bytes).
//
// It exists because the verifier must reject exactly the documents that two
// JSON parsers could read differently (parser-differential attacks): a
// duplicated member name ("sub" twice, or "sub" and "s\u0075b"), invalid
// UTF-8, lone surrogates, trailing data after the value, leading zeros, and
// absurd nesting. encoding/json accepts most of these silently (last
// duplicate wins, invalid UTF-8 becomes U+FFFD), so a token that it and
// another implementation decode differently could pass one check and fail
// another.
//
// The intended use is: Validate the whole document once, then walk it with
// Members and Elements and convert the leaves with String, Int and Bool.
// ValidateMembers does the first two steps in one pass for the top level.
// Validate allocates nothing unless an object has more than 64 members or
// more than 128 member names are open at once (it then switches to a map
// rather than to quadratic work); Members and Elements allocate only for
// member names that contain escapes; String allocates only its result.
//
// Nothing in this package panics on any input: Members and Elements given a
// document Validate did not accept simply stop early.
package jsonx
