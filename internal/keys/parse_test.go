package keys

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk/internal/backendapi"
	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

func TestParseJWKSFiltersKeys(t *testing.T) {
	t.Parallel()
	ks := testKeys(t)
	good := rsaJWK("ins_good", &ks.rsa[0].PublicKey)
	with := func(mod func(*jwkJSON)) jwkJSON {
		k := rsaJWK("ins_other", &ks.rsa[1].PublicKey)
		mod(&k)
		return k
	}
	ecJWK := jwkJSON{Kty: "EC", Kid: "ins_ec", Use: "sig", Alg: "ES256", Crv: "P-256",
		X: base64.RawURLEncoding.EncodeToString(ks.ec.X.FillBytes(make([]byte, 32))),
		Y: base64.RawURLEncoding.EncodeToString(ks.ec.Y.FillBytes(make([]byte, 32)))}

	tests := []struct {
		name     string
		keys     []jwkJSON
		wantKids []string
		skipped  int
	}{
		{"clerk's wire format", []jwkJSON{good}, []string{"ins_good"}, 0},
		{"use and alg absent", []jwkJSON{with(func(k *jwkJSON) { k.Use, k.Alg = "", "" })}, []string{"ins_other"}, 0},
		{"use enc skipped", []jwkJSON{good, with(func(k *jwkJSON) { k.Use = "enc" })}, []string{"ins_good"}, 1},
		{"alg RS512 skipped", []jwkJSON{good, with(func(k *jwkJSON) { k.Alg = "RS512" })}, []string{"ins_good"}, 1},
		{"alg none skipped", []jwkJSON{good, with(func(k *jwkJSON) { k.Alg = "none" })}, []string{"ins_good"}, 1},
		{"ec key skipped", []jwkJSON{good, ecJWK}, []string{"ins_good"}, 1},
		{"1024-bit key skipped", []jwkJSON{good, rsaJWK("ins_short", &ks.short.PublicKey)}, []string{"ins_good"}, 1},
		{"missing kid skipped", []jwkJSON{good, with(func(k *jwkJSON) { k.Kid = "" })}, []string{"ins_good"}, 1},
		{"even exponent skipped", []jwkJSON{good, with(func(k *jwkJSON) {
			k.E = base64.RawURLEncoding.EncodeToString(big.NewInt(65536).Bytes())
		})}, []string{"ins_good"}, 1},
		{"duplicate kid: last wins", []jwkJSON{with(func(k *jwkJSON) { k.Kid = "ins_good" }), good}, []string{"ins_good"}, 1},
		{"duplicate kid: an unusable last one drops the kid", []jwkJSON{good, with(func(k *jwkJSON) { k.Kid, k.Use = "ins_good", "enc" }), with(func(*jwkJSON) {})}, []string{"ins_other"}, 2},
		{"unknown kty ignored", []jwkJSON{good, {Kty: "XYZ", Kid: "ins_x"}}, []string{"ins_good"}, 0},
		{"two keys", []jwkJSON{good, with(func(*jwkJSON) {})}, []string{"ins_good", "ins_other"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, skipped, err := parseJWKS(jwksBody(t, tc.keys...))
			require.Nil(t, err)
			var kids []string
			for kid := range got {
				kids = append(kids, kid)
			}
			assert.ElementsMatch(t, tc.wantKids, kids)
			assert.Equal(t, tc.skipped, skipped)
			if k, ok := got["ins_good"]; ok {
				assert.True(t, k.Equal(&ks.rsa[0].PublicKey), "the last key under a kid wins")
			}
		})
	}
}

func TestParseJWKSRejects(t *testing.T) {
	t.Parallel()
	ks := testKeys(t)
	privWithD, err := json.Marshal(map[string]any{"keys": []any{map[string]string{
		"kty": "RSA", "kid": "ins_priv", "use": "sig", "alg": "RS256",
		"n": base64.RawURLEncoding.EncodeToString(ks.rsa[0].N.Bytes()),
		"e": "AQAB",
		"d": base64.RawURLEncoding.EncodeToString(ks.rsa[0].D.Bytes()),
	}}})
	require.NoError(t, err)
	got, _, perr := parseJWKS(privWithD)
	require.Nil(t, perr, "a private key published by mistake still yields its public half")
	assert.True(t, got["ins_priv"].Equal(&ks.rsa[0].PublicKey))

	for name, body := range map[string]string{
		"empty set":      `{"keys":[]}`,
		"no keys member": `{}`,
		"not json":       `<html>`,
		"truncated":      `{"keys":[{"kty":"RSA",`,
		"only ec":        string(jwksBody(t, jwkJSON{Kty: "EC", Kid: "x", Crv: "P-256", X: "AA", Y: "AA"})),
		"keys not array": `{"keys":{}}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, _, err := parseJWKS([]byte(body))
			require.NotNil(t, err)
			assert.Nil(t, got)
			assert.Equal(t, clerkerr.JWKRemoteFailedToLoad, err.Reason)
		})
	}
}

func TestBodyCap(t *testing.T) {
	t.Parallel()
	valid := jwksBody(t, rsaJWK(kidOf(0), &testKeys(t).rsa[0].PublicKey))
	pad := func(n int) []byte { // valid JSON of exactly n bytes
		return append(bytes.Clone(valid), bytes.Repeat([]byte{' '}, n-len(valid))...)
	}
	for _, tc := range []struct {
		name string
		size int
		ok   bool
	}{
		{"exactly 1 MiB", backendapi.MaxBody, true},
		{"1 MiB + 1", backendapi.MaxBody + 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := pad(tc.size)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(body) }))
			defer srv.Close()
			j := AcquireJWKS(JWKSConfig{APIURL: srv.URL, SecretKey: testSecret, HTTPClient: srv.Client(), Logger: discardLogger()})
			defer j.Release()
			_, err := j.Key(context.Background(), kidOf(0))
			if tc.ok {
				require.NoError(t, err)
				return
			}
			ce := requireReason(t, err, clerkerr.JWKRemoteFailedToLoad)
			assert.Contains(t, ce.Message, "larger than 1 MiB")
		})
	}
}
