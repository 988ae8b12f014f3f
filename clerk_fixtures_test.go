package ginclerk_test

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
)

// Clerk's fixtures (@clerk/backend src/fixtures/index.ts), used as test data.
// mockJwt was minted by a real Clerk development instance and is signed by
// the key of mockJwks; signedJwt carries the same header and payload, signed
// by the key of pemEncodedPublicKey.
const (
	fxMockJwt                 = "eyJhbGciOiJSUzI1NiIsImtpZCI6Imluc18yR0lvUWhiVXB5MGhYN0IyY1ZrdVRNaW5Yb0QiLCJ0eXAiOiJKV1QifQ.eyJhenAiOiJodHRwczovL2FjY291bnRzLmluc3BpcmVkLnB1bWEtNzQubGNsLmRldiIsImV4cCI6MTY2NjY0ODMxMCwiaWF0IjoxNjY2NjQ4MjUwLCJpc3MiOiJodHRwczovL2NsZXJrLmluc3BpcmVkLnB1bWEtNzQubGNsLmRldiIsIm5iZiI6MTY2NjY0ODI0MCwic2lkIjoic2Vzc18yR2JEQjRlbk5kQ2E1dlMxenBDM1h6Zzl0SzkiLCJzdWIiOiJ1c2VyXzJHSXBYT0VwVnlKdzUxcmtabjlLbW5jNlN4ciJ9.n1Usc-DLDftqA0Xb-_2w8IGs4yjCmwc5RngwbSRvwevuZOIuRoeHmE2sgCdEvjfJEa7ewL6EVGVcM557TWPW--g_J1XQPwBy8tXfz7-S73CEuyRFiR97L2AHRdvRtvGtwR-o6l8aHaFxtlmfWbQXfg4kFJz2UGe9afmh3U9-f_4JOZ5fa3mI98UMy1-bo20vjXeWQ9aGrqaxHQxjnzzC-1Kpi5LdPvhQ16H0dPB8MHRTSM5TAuLKTpPV7wqixmbtcc2-0k6b9FKYZNqRVTaIyV-lifZloBvdzlfOF8nW1VVH_fx-iW5Q3hovHFcJIULHEC1kcAYTubbxzpgeVQepGg"
	fxMockInvalidSignatureJwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6Imluc18yR0lvUWhiVXB5MGhYN0IyY1ZrdVRNaW5Yb0QiLCJ0eXAiOiJKV1QifQ.eyJhenAiOiJodHRwczovL2FjY291bnRzLnRhbXBlcmVkLWRvbWFpbi5kZXYiLCJleHAiOjE2NjY2NDgzMTAsImlhdCI6MTY2NjY0ODI1MCwiaXNzIjoiaHR0cHM6Ly9jbGVyay5pbnNwaXJlZC5wdW1hLTc0LmxjbC5kZXYiLCJuYmYiOjE2NjY2NDgyNDAsInNpZCI6InNlc3NfMkdiREI0ZW5OZENhNXZTMXpwQzNYemc5dEs5Iiwic3ViIjoidXNlcl8yR0lwWE9FcFZ5Snc1MXJrWm45S21uYzZTeHIifQ.n1Usc-DLDftqA0Xb-_2w8IGs4yjCmwc5RngwbSRvwevuZOIuRoeHmE2sgCdEvjfJEa7ewL6EVGVcM557TWPW--g_J1XQPwBy8tXfz7-S73CEuyRFiR97L2AHRdvRtvGtwR-o6l8aHaFxtlmfWbQXfg4kFJz2UGe9afmh3U9-f_4JOZ5fa3mI98UMy1-bo20vjXeWQ9aGrqaxHQxjnzzC-1Kpi5LdPvhQ16H0dPB8MHRTSM5TAuLKTpPV7wqixmbtcc2-0k6b9FKYZNqRVTaIyV-lifZloBvdzlfOF8nW1VVH_fx-iW5Q3hovHFcJIULHEC1kcAYTubbxzpgeVQepGg"
	fxMockMalformedJwt        = "eyJhbGciOiJSUzI1NiIsImtpZCI6Imluc18yR0lvUWhiVXB5MGhYN0IyY1ZrdVRNaW5Yb0QiLCJ0eXAiOiJKV1QifQ.eyJpYXQiOjE2NjY2NDgyNTB9.n1Usc-DLDftqA0Xb-_2w8IGs4yjCmwc5RngwbSRvwevuZOIuRoeHmE2sgCdEvjfJEa7ewL6EVGVcM557TWPW--g_J1XQPwBy8tXfz7-S73CEuyRFiR97L2AHRdvRtvGtwR-o6l8aHaFxtlmfWbQXfg4kFJz2UGe9afmh3U9-f_4JOZ5fa3mI98UMy1-bo20vjXeWQ9aGrqaxHQxjnzzC-1Kpi5LdPvhQ16H0dPB8MHRTSM5TAuLKTpPV7wqixmbtcc2-0k6b9FKYZNqRVTaIyV-lifZloBvdzlfOF8nW1VVH_fx-iW5Q3hovHFcJIULHEC1kcAYTubbxzpgeVQepGg"
	fxSignedJwt               = "eyJhbGciOiJSUzI1NiIsImtpZCI6Imluc18yR0lvUWhiVXB5MGhYN0IyY1ZrdVRNaW5Yb0QiLCJ0eXAiOiJKV1QifQ.eyJhenAiOiJodHRwczovL2FjY291bnRzLmluc3BpcmVkLnB1bWEtNzQubGNsLmRldiIsImV4cCI6MTY2NjY0ODMxMCwiaWF0IjoxNjY2NjQ4MjUwLCJpc3MiOiJodHRwczovL2NsZXJrLmluc3BpcmVkLnB1bWEtNzQubGNsLmRldiIsIm5iZiI6MTY2NjY0ODI0MCwic2lkIjoic2Vzc18yR2JEQjRlbk5kQ2E1dlMxenBDM1h6Zzl0SzkiLCJzdWIiOiJ1c2VyXzJHSXBYT0VwVnlKdzUxcmtabjlLbW5jNlN4ciJ9.j3rB92k32WqbQDkFB093H4GoQsBVLH4HLGF6ObcwUaVGiHC8SEu6T31FuPf257SL8A5sSGtWWM1fqhQpdLohgZb_hbJswGBuYI-Clxl9BtpIRHbWFZkLBIj8yS9W9aVtD3fWBbF6PHx7BY1udio-rbGWg1YAOZNtVcxF02p-MvX-8XIK92Vwu3Un5zyfCoVIg__qo3Xntzw3tznsZ4XDe212c6kVz1R_L1d5DKjeWXpjUPAS_zFeZSIJEQLf4JNr4JCY38tfdnc3ajfDA3p36saf1XwmTdWXQKCXi75c2TJAXROs3Pgqr5Kw_5clygoFuxN5OEMhFWFSnvIBdi3M6w"

	fxKid  = "ins_2GIoQhbUpy0hX7B2cVkuTMinXoD"
	fxJwkN = "u0tNUitBZmcGYMWcqvaRBaJe0XmTQ738RHYoHjhYANyeOkysuu4L_Rqr-fmTXsbebrTp7_OewIqsJXImEWB_WQ3HN9lAkOMCCGDU1udsz_sl1Kwy5JZ7x8Nr4ghXJagQzEF0Ovsj7_TPsBJGkVJ-OiZsTXCe7EAmG5gNGGPBE5Gu14Rwb-eZ5r9RCAaPfhxR1yHYTAvCrku_6i2os7RLpT6UockKtX4QQSH2CMveNwqd6LdwhV8USZrczB2VYkAImngJC745-EWek1sVExYkqheGvC3J8O7D9H4JtaKD2zaq0rJzsIU0zb_wwax5-La-uRuPYvTXlO8B8IK4jjNMCQ"
	// fxMockJwks is mockJwks as Clerk's Backend API serves it.
	fxMockJwks = `{"keys":[{"use":"sig","kty":"RSA","kid":"` + fxKid + `","alg":"RS256","n":"` + fxJwkN + `","e":"AQAB"}]}`

	fxPemEncodedPublicKey = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqYy3MY8fOneEyzNDu9lp
6iGXKkNUF+u/dUnrlkadZYyB35efzKFJEr9fftmWv5PUj1uRHTQ3bh6X1cceOYsI
jy008dHWZJsKhGOxgdTjeK91rjaklxt7tyFXEiKHIOr1LSgKzopClOfCIjxK/oPU
Of38pVh7WnekcSBQmU5fqA+EzKMi6k9VwvbzqKlZM4XQsiFyn28d9VubJWjTU8nN
ot0n1NE+9k6TxM8nglM4RwkBH4Ni4B0LhKKOOV+AG8tBNiZVil415dpBldmJ/j0w
k7Ad4VFi9en3Z17oCKr+K+zuT7vKMKSb1548dk0vnmi0vj2QGXSo+61wM5yQWpk6
sQIDAQAB
-----END PUBLIC KEY-----`
	fxSomeOtherPublicKey = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA5wdNEDm/HUAO6xarLs6e
cS0/J8GencMs5I6rYS825knb8jsNbfoukYfBiK81vQy1/eK5gdWrEprpXQrmIcwG
akdeUhybYlK68UhHNA5+TAmZ+ReLTJ2QDk5YU4I1NlRRq/bqtEhWsBDOCCkpVsC4
OLnUpsZKGUwpCrE/8stMSJ6Xx+TzBlDe21cV1j0gn5CWswrrXo7m8OIZ9xkRnNn4
fTNypMSCbx6BS7fgmer6Efx9HOu9UIKgXD/29q3pEpFXiHRdQRbVoAc9vEZl0QIw
PSNjILVJLKvb6MhKoQMyaP5k0c1rEkVJr9jQk5Z/6WPklCNK3oT5+gh2lgi7ZxBd
oQIDAQAB
-----END PUBLIC KEY-----`
	// fxMockPEMKey is mockPEMKey: the bare base64 of another key, without
	// the PEM armour.
	fxMockPEMKey = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA8Z1oLQbaYkakUSIYRvjmOoeXMDFFjynGP2+gVy0mQJHYgVhgo34RsQgZoz7rSNm/EOL+l/mHTqQAhwaf9Ef8X5vsPX8vP3RNRRm3XYpbIGbOcANJaHihJZwnzG9zIGYF8ki+m55zftO7pkOoXDtIqCt+5nIUQjGJK5axFELrnWaz2qcR03A7rYKQc3F1gut2Ru1xfmiJVUlQe0tLevQO/FzfYpWu7+691q+ZRUGxWvGc0ays4ACa7JXElCIKXRv/yb3Vc1iry77HRAQ28J7Fqpj5Cb+sxfFI+Vhf1GB1bNeOLPR10nkSMJ74HB0heHi/SsM83JiGekv0CpZPCC8jcQIDAQAB"

	fxPKTest = "pk_test_Y2xlcmsuaW5zcGlyZWQucHVtYS03NC5sY2wuZGV2JA"
	fxPKLive = "pk_live_Y2xlcmsuaW5zcGlyZWQucHVtYS03NC5sY2wuZGV2JA"
	fxUser   = "user_2GIpXOEpVyJw51rkZn9Kmnc6Sxr"
	fxSid    = "sess_2GbDB4enNdCa5vS1zpC3Xzg9tK9"
	fxIat    = 1666648250 // mockJwtPayload.iat: the fixtures' clock
	fxExp    = 1666648310
)

// fxAt is a clock reading t seconds after mockJwtPayload.iat.
func fxAt(t int64) func() time.Time {
	return func() time.Time { return time.Unix(fxIat+t, 0) }
}

// fxJwkPEM is the key of mockJwks, the one that signed mockJwt, as a PEM.
func fxJwkPEM(t *testing.T) string {
	t.Helper()
	n, err := base64.RawURLEncoding.DecodeString(fxJwkN)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(&rsa.PublicKey{N: new(big.Int).SetBytes(n), E: 65537})
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// fxServer is a fake Backend API serving mockJwks.
func fxServer(t *testing.T) *ginclerktest.Server {
	t.Helper()
	srv := ginclerktest.NewServer(t)
	srv.SetJWKS([]byte(fxMockJwks))
	return srv
}

// fxClerk is an instance built from opts, on the fixtures' clock unless
// opts set another.
func fxClerk(t *testing.T, opts ...ginclerk.Option) *ginclerk.Clerk {
	t.Helper()
	ck, err := ginclerk.New(append([]ginclerk.Option{ginclerk.WithClock(fxAt(0)), quiet()}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = ck.Close() })
	return ck
}

// fxVerdict runs req through WithAuth of an instance built from opts (the
// fixtures' clock unless opts set another) and returns the Auth the handler
// saw and the response.
func fxVerdict(t *testing.T, req *http.Request, opts ...ginclerk.Option) (*ginclerk.Auth, http.Header) {
	t.Helper()
	ck := fxClerk(t, opts...)
	var s seen
	w := do(router(&s, ck.WithAuth()), req)
	require.True(t, s.ran)
	return s.auth, w.Header()
}

// TestClerkFixtures: Clerk's real-Clerk-minted mockJwt verifies at its own
// timestamp through a JWKS served by the fake Backend API and as a PEM; the
// other fixtures fail as Clerk's code says they do.
func TestClerkFixtures(t *testing.T) {
	t.Parallel()
	srv := fxServer(t)
	jwks := srv.Options()
	jwkPEM := ginclerk.WithJWTKey(fxJwkPEM(t))
	tests := []struct {
		name   string
		token  string
		opts   []ginclerk.Option
		reason string // "" for signed in
	}{
		{"mockJwt through mockJwks", fxMockJwt, jwks, ""},
		{"mockJwt through mockJwks, pinned to its instance by pk_test", fxMockJwt, append(srv.Options(), ginclerk.WithPublishableKey(fxPKTest)), ""},
		{"mockJwt through mockJwks, pinned to its instance by pk_live", fxMockJwt, append(srv.Options(), ginclerk.WithPublishableKey(fxPKLive)), ""},
		{"mockJwt as a PEM of mockJwks' key", fxMockJwt, []ginclerk.Option{jwkPEM}, ""},
		{"signedJwt with pemEncodedPublicKey", fxSignedJwt, []ginclerk.Option{ginclerk.WithJWTKey(fxPemEncodedPublicKey)}, ""},
		{"signedJwt with someOtherPublicKey", fxSignedJwt, []ginclerk.Option{ginclerk.WithJWTKey(fxSomeOtherPublicKey)}, ginclerk.ReasonTokenInvalidSignature},
		{"mockJwt with mockPEMKey (another key, no PEM armour)", fxMockJwt, []ginclerk.Option{ginclerk.WithJWTKey(fxMockPEMKey)}, ginclerk.ReasonTokenInvalidSignature},
		{"mockInvalidSignatureJwt through mockJwks", fxMockInvalidSignatureJwt, jwks, ginclerk.ReasonTokenInvalidSignature},
		{"mockMalformedJwt through mockJwks: the signature first", fxMockMalformedJwt, jwks, ginclerk.ReasonTokenInvalidSignature},
		{"mockJwt one second after exp, within the 5 s skew", fxMockJwt, append(srv.Options(), ginclerk.WithClock(fxAt(fxExp-fxIat+1))), ""},
		{"mockJwt 60 s after exp", fxMockJwt, append(srv.Options(), ginclerk.WithClock(fxAt(fxExp-fxIat+60))), ginclerk.ReasonSessionTokenExpired},
		{"mockJwt one second after exp, no skew", fxMockJwt, append(srv.Options(), ginclerk.WithClock(fxAt(fxExp-fxIat+1)), ginclerk.WithClockSkew(0)), ginclerk.ReasonSessionTokenExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			auth, _ := fxVerdict(t, get(tt.token), tt.opts...)
			assert.Equal(t, tt.reason, auth.Reason)
			if tt.reason == "" {
				assert.Equal(t, fxUser, auth.UserID)
				assert.Equal(t, fxSid, auth.SessionID)
			}
		})
	}
}
