package verify

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/keys"
)

// These tests cannot use ginclerktest (it imports the root package, which
// imports this one), so they mint their own tokens.

var testNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

const testSkew = 5 * time.Second

var enc = base64.RawURLEncoding

// Keys are generated once per binary: RSA generation is slow under -race.
var (
	keyOnce  sync.Once
	testPriv *rsa.PrivateKey // the instance's key
	evilPriv *rsa.PrivateKey // an attacker's key
)

func testKeys(t testing.TB) (instance, attacker *rsa.PrivateKey) {
	t.Helper()
	keyOnce.Do(func() {
		var err error
		if testPriv, err = rsa.GenerateKey(rand.Reader, 2048); err == nil {
			evilPriv, err = rsa.GenerateKey(rand.Reader, 2048)
		}
		if err != nil {
			panic(err)
		}
	})
	return testPriv, evilPriv
}

// sign returns header.payload.signature with an RS256 signature by k over
// the raw JSON given.
func sign(k *rsa.PrivateKey, header, payload string) string {
	input := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	return input + "." + enc.EncodeToString(rs256(k, input))
}

func rs256(k *rsa.PrivateKey, input string) []byte {
	d := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(nil, k, crypto.SHA256, d[:])
	if err != nil {
		panic(err)
	}
	return sig
}

// hdr is a valid session-token header with members overridden: a raw JSON
// value replaces or adds a member, "" deletes it.
func hdr(over ...string) string {
	return object(map[string]string{
		"alg": `"RS256"`, "cat": strconv.Quote(catSession), "kid": `"ins_test_1"`, "typ": `"JWT"`,
	}, over)
}

// claimsAt is a valid session payload at testNow, overridden like hdr.
func claimsAt(over ...string) string {
	unix := func(d time.Duration) string { return strconv.FormatInt(testNow.Add(d).Unix(), 10) }
	return object(map[string]string{
		"azp": `"http://localhost:3000"`, "exp": unix(time.Minute), "iat": unix(0),
		"iss": `"https://clerk.example.test"`, "nbf": unix(-10 * time.Second),
		"sid": `"sess_test_1"`, "sts": `"active"`, "sub": `"user_test_1"`, "v": "2",
	}, over)
}

func object(base map[string]string, over []string) string {
	for i := 0; i+1 < len(over); i += 2 {
		if over[i+1] == "" {
			delete(base, over[i])
		} else {
			base[over[i]] = over[i+1]
		}
	}
	names := make([]string, 0, len(base))
	for name := range base {
		names = append(names, name)
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = strconv.Quote(name) + ":" + base[name]
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// unixAt is testNow+d in Unix seconds, as JSON.
func unixAt(d time.Duration) string { return strconv.FormatInt(testNow.Add(d).Unix(), 10) }

// countingSource is a keys.Source that records every lookup, to prove which
// tokens never reach key resolution.
type countingSource struct {
	key   *rsa.PublicKey
	err   error
	calls atomic.Int64
	kids  sync.Map
}

func (s *countingSource) Key(_ context.Context, kid string) (*rsa.PublicKey, error) {
	s.calls.Add(1)
	s.kids.Store(kid, true)
	if s.err != nil {
		return nil, s.err
	}
	return s.key, nil
}

var _ keys.Source = (*countingSource)(nil)

// newVerifier returns a Verifier with the instance key, the fixed clock and
// a 5 s skew; change modifies the Config first.
func newVerifier(t testing.TB, change ...func(*Config)) *Verifier {
	k, _ := testKeys(t)
	cfg := Config{Keys: keys.Static(&k.PublicKey), Now: fixedNow, Skew: testSkew}
	for _, f := range change {
		f(&cfg)
	}
	return New(cfg)
}

// reasonOf is the Clerk reason of err, "" for nil, and a marker for an
// error that is not a *clerkerr.Error (every error must be one).
func reasonOf(err error) string {
	if err == nil {
		return ""
	}
	var ce *clerkerr.Error
	if !errors.As(err, &ce) {
		return "NOT-A-CLERKERR: " + err.Error()
	}
	return ce.Reason
}
