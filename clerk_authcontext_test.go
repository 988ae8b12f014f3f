package ginclerk

import (
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Ports of @clerk/backend's src/tokens/__tests__/authenticateContext.test.ts:
// which cookie pair usesSuffixedCookies() trusts, what is read from it, and
// getCookieSuffix. Clerk's fixture values are used as test data.

const (
	clerkPKTest = "pk_test_Y2xlcmsuaW5zcGlyZWQucHVtYS03NC5sY2wuZGV2JA" // suffix vWCgMp3A
	clerkPKLive = "pk_live_Y2xlcmsuaW5zcGlyZWQucHVtYS03NC5sY2wuZGV2JA" // suffix MqCvchyS
	// clerkMockIat is mockJwtPayload.iat, the fixture clock.
	clerkMockIat = 1666648250
)

// clerkCreateJwt is the fixture createJwt: mockJwtHeader and mockJwtPayload
// with overrides (a nil value removes the member), and a fixed signature.
func clerkCreateJwt(header, payload map[string]any) string {
	h := map[string]any{"alg": "RS256", "kid": "ins_2GIoQhbUpy0hX7B2cVkuTMinXoD", "typ": "JWT"}
	p := map[string]any{
		"azp": "https://accounts.inspired.puma-74.lcl.dev", "exp": 1666648310, "iat": clerkMockIat,
		"iss": "https://clerk.inspired.puma-74.lcl.dev", "nbf": 1666648240,
		"sid": "sess_2GbDB4enNdCa5vS1zpC3Xzg9tK9", "sub": "user_2GIpXOEpVyJw51rkZn9Kmnc6Sxr",
	}
	maps.Copy(h, header)
	maps.Copy(p, payload)
	enc := func(m map[string]any) string {
		maps.DeleteFunc(m, func(_ string, v any) bool { return v == nil })
		b, err := json.Marshal(m)
		if err != nil {
			panic(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(h) + "." + enc(p) + ".c2lnbmF0dXJl"
}

func TestClerkAuthenticateContextSuffixedCookies(t *testing.T) {
	t.Parallel()
	suffixedSession := clerkCreateJwt(nil, nil)
	session := clerkCreateJwt(nil, nil)
	sessionWithInvalidIssuer := clerkCreateJwt(nil, map[string]any{"iss": "http:whatever"})
	newSession := clerkCreateJwt(nil, map[string]any{"iat": clerkMockIat + 60})
	blahSession := clerkCreateJwt(nil, map[string]any{"iss": "http://blah"})
	fooSession := clerkCreateJwt(nil, map[string]any{"iss": "http://foo"})
	const clientUat, suffixedClientUat = "1717490192", "1717490193"

	tests := []struct {
		name        string // Clerk's test name
		pk          string
		cookies     map[string]string
		suffixed    bool
		wantSession string
		wantUAT     string
	}{
		{"use un-suffixed cookies: request with un-suffixed cookies", clerkPKLive,
			map[string]string{"__client_uat": clientUat, "__session": session},
			false, session, clientUat},
		{"use un-suffixed cookies: request with suffixed and valid newer un-suffixed cookies - case of ClerkJS downgrade", clerkPKLive,
			map[string]string{"__client_uat": clientUat, "__client_uat_MqCvchyS": suffixedClientUat, "__session": newSession, "__session_MqCvchyS": suffixedSession},
			false, newSession, clientUat},
		{"use un-suffixed cookies: request with suffixed client_uat as signed-out and un-suffixed client_uat as signed-in - case of ClerkJS downgrade", clerkPKTest,
			map[string]string{"__client_uat": clientUat, "__client_uat_vWCgMp3A": "0", "__session": session},
			false, session, clientUat},
		{"use un-suffixed cookies: prod: request with suffixed session and signed-out suffixed client_uat", clerkPKLive,
			map[string]string{"__client_uat": "0", "__client_uat_MqCvchyS": "0", "__session": session, "__session_MqCvchyS": suffixedSession},
			true, suffixedSession, "0"},
		{"use suffixed cookies: prod: request with valid suffixed and un-suffixed cookies", clerkPKLive,
			map[string]string{"__client_uat": clientUat, "__client_uat_MqCvchyS": suffixedClientUat, "__session": session, "__session_MqCvchyS": suffixedSession},
			true, suffixedSession, suffixedClientUat},
		{"use suffixed cookies: prod: request with invalid issuer un-suffixed and valid suffixed cookies - case of multiple apps on same eTLD+1 domain", clerkPKLive,
			map[string]string{"__client_uat": clientUat, "__client_uat_MqCvchyS": suffixedClientUat, "__session": sessionWithInvalidIssuer, "__session_MqCvchyS": suffixedSession},
			true, suffixedSession, suffixedClientUat},
		{"use suffixed cookies: dev: request with invalid issuer un-suffixed and valid multiple suffixed cookies - case of multiple apps on localhost", clerkPKTest,
			map[string]string{
				"__client_uat": "0", "__client_uat_vWCgMp3A": "0", "__client_uat_8HKF1r6W": "1717490193", "__client_uat_Rmi8c5i8": "1717490194",
				"__session": session, "__session_vWCgMp3A": suffixedSession, "__session_8HKF1r6W": blahSession, "__session_Rmi8c5i8": fooSession,
			},
			true, suffixedSession, "0"},
		{"use suffixed cookies: dev: request with suffixed session and signed-out suffixed client_uat", clerkPKTest,
			map[string]string{"__client_uat": "0", "__client_uat_vWCgMp3A": "0", "__session": session, "__session_vWCgMp3A": suffixedSession},
			true, suffixedSession, "0"},
		{"use suffixed cookies: prod: request without suffixed session and signed-out suffixed client_uat", clerkPKLive,
			map[string]string{"__client_uat": "0", "__client_uat_MqCvchyS": "0", "__session": session},
			true, "", "0"},
		{"malformed un-suffixed session token: falls back to suffixed cookies when the token has a non-string issuer", clerkPKLive,
			map[string]string{"__session": clerkCreateJwt(nil, map[string]any{"iss": 123}), "__client_uat_MqCvchyS": suffixedClientUat, "__session_MqCvchyS": suffixedSession},
			true, suffixedSession, suffixedClientUat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ck := clerkFixtureInstance(t, tt.pk)
			req := httptest.NewRequest(http.MethodGet, "http://example.com", nil)
			var pairs []string
			for name, value := range tt.cookies {
				pairs = append(pairs, name+"="+value)
			}
			req.Header.Set("Cookie", strings.Join(pairs, "; "))
			jar := readJar(req)
			assert.Equal(t, tt.suffixed, ck.usesSuffixedCookies(jar), "usesSuffixedCookies")
			sessionName, uatName := ck.cookieNames(jar)
			assert.Equal(t, tt.wantSession, jar.get(sessionName), "sessionTokenInCookie")
			assert.Equal(t, tt.wantUAT, strconv.FormatInt(parseIntJS(jar.get(uatName)), 10), "clientUat")
		})
	}
}

func TestClerkGetCookieSuffix(t *testing.T) {
	t.Parallel()
	for pk, want := range map[string]string{
		"pk_live_Y2xlcmsuY2xlcmsuZGV2JA": "1Z8AzTQD",
		"pk_test_Y2xlcmsuY2xlcmsuZGV2JA": "QvfNY2dr",
		// omits special characters from the cookie suffix
		"pk_test_ZW5vdWdoLWFscGFjYS04Mi5jbGVyay5hY2NvdW50cy5sY2xjbGVyay5jb20k": "jtYvyt_H",
		"pk_test_eHh4eHh4LXhhYWFhYS1hYS5jbGVyay5hY2NvdW50cy5sY2xjbGVyay5jb20k": "tZJdb-5s",
		clerkPKLive: "MqCvchyS",
		clerkPKTest: "vWCgMp3A",
	} {
		c, err := newInstanceCookies(pk)
		require.NoError(t, err, pk)
		assert.Equal(t, "__session_"+want, c.session, pk)
		assert.Equal(t, "__client_uat_"+want, c.clientUAT, pk)
	}
}

// clerkFixtureInstance is an instance with the publishable key pk and the
// clock at the fixtures' time (mockJwtPayload.iat).
func clerkFixtureInstance(t *testing.T, pk string) *Clerk {
	t.Helper()
	ck, err := New(WithJWTKey(clerkFixturePEM), WithPublishableKey(pk),
		WithClock(func() time.Time { return time.Unix(clerkMockIat, 0) }),
		WithLogger(slog.New(slog.DiscardHandler)))
	require.NoError(t, err)
	t.Cleanup(func() { _ = ck.Close() })
	return ck
}

// clerkFixturePEM is the fixtures' mockPEMKey: the routing under test never
// verifies a signature, any key will do.
const clerkFixturePEM = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA8Z1oLQbaYkakUSIYRvjmOoeXMDFFjynGP2+gVy0mQJHYgVhgo34RsQgZoz7rSNm/EOL+l/mHTqQAhwaf9Ef8X5vsPX8vP3RNRRm3XYpbIGbOcANJaHihJZwnzG9zIGYF8ki+m55zftO7pkOoXDtIqCt+5nIUQjGJK5axFELrnWaz2qcR03A7rYKQc3F1gut2Ru1xfmiJVUlQe0tLevQO/FzfYpWu7+691q+ZRUGxWvGc0ays4ACa7JXElCIKXRv/yb3Vc1iry77HRAQ28J7Fqpj5Cb+sxfFI+Vhf1GB1bNeOLPR10nkSMJ74HB0heHi/SsM83JiGekv0CpZPCC8jcQIDAQAB"
