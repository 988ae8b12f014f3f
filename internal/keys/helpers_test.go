package keys

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

// testKeySet is generated once per test binary: 2048-bit generation takes
// tens of milliseconds each, hundreds under -race.
type testKeySet struct {
	rsa   [3]*rsa.PrivateKey // 2048-bit signing keys k0, k1, k2
	short *rsa.PrivateKey    // 1024-bit, must be refused
	ec    *ecdsa.PrivateKey  // wrong key type
}

var (
	keysOnce sync.Once
	keysVal  testKeySet
)

func testKeys(t testing.TB) *testKeySet {
	t.Helper()
	keysOnce.Do(func() {
		for i := range keysVal.rsa {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			keysVal.rsa[i] = k
		}
		var err error
		// GenerateKey refuses < 1024 bits; 1024 is below our floor anyway.
		if keysVal.short, err = rsa.GenerateKey(rand.Reader, 1024); err != nil {
			panic(err)
		}
		if keysVal.ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			panic(err)
		}
	})
	return &keysVal
}

// kidOf names test key i the way Clerk names its keys.
func kidOf(i int) string { return "ins_test" + string(rune('A'+i)) }

// jwkJSON is one key in Clerk's wire format.
type jwkJSON struct {
	Use string `json:"use,omitempty"`
	Kty string `json:"kty"`
	Kid string `json:"kid,omitempty"`
	Alg string `json:"alg,omitempty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
}

func rsaJWK(kid string, pub *rsa.PublicKey) jwkJSON {
	return jwkJSON{
		Use: "sig", Kty: "RSA", Kid: kid, Alg: "RS256",
		N: base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		E: base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}
}

func jwksBody(t testing.TB, keys ...jwkJSON) []byte {
	t.Helper()
	if keys == nil {
		keys = []jwkJSON{}
	}
	b, err := json.Marshal(map[string]any{"keys": keys})
	require.NoError(t, err)
	return b
}

// testConfig is a config for f with a fake clock, quiet logs and short
// timeouts; tests adjust it before acquire.
func testConfig(f *fakeClerk, clk *fakeClock) JWKSConfig {
	return JWKSConfig{
		APIURL:     f.srv.URL,
		SecretKey:  testSecret,
		HTTPClient: f.client(),
		Logger:     slog.New(slog.DiscardHandler),
		Now:        clk.Now,
		Timeout:    healthyTimeout,
	}
}

// healthyTimeout bounds fetches that must succeed or fail on their own
// merits: far above what a fetch takes on a loaded machine, so that only a
// hang could reach it.
const healthyTimeout = time.Minute

// acquire is AcquireJWKS with the Release registered for the end of the test.
func acquire(t *testing.T, cfg JWKSConfig) *JWKS {
	t.Helper()
	j := AcquireJWKS(cfg)
	t.Cleanup(j.Release)
	return j
}

// waitIdle waits for the fetch in flight, if any, so that tests observe a
// background refresh's outcome deterministically instead of sleeping.
func (c *cache) waitIdle() {
	c.mu.Lock()
	cl := c.inflight
	c.mu.Unlock()
	if cl != nil {
		<-cl.done
	}
}

// requireReason asserts err is a *clerkerr.Error with reason.
func requireReason(t testing.TB, err error, reason string) *clerkerr.Error {
	t.Helper()
	var ce *clerkerr.Error
	require.True(t, errors.As(err, &ce), "want *clerkerr.Error, got %T: %v", err, err)
	require.Equal(t, reason, ce.Reason, "message: %s", ce.Message)
	return ce
}

// logRecorder is a slog.Handler that keeps every record, to assert on log
// volume and on what never appears in logs.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Level.String() + " " + r.Message)
	r.Attrs(func(a slog.Attr) bool { b.WriteString(" " + a.String()); return true })
	h.mu.Lock()
	h.lines = append(h.lines, b.String())
	h.mu.Unlock()
	return nil
}

func (h *logRecorder) WithAttrs(as []slog.Attr) slog.Handler {
	return &logRecorderView{h: h, attrs: as}
}

func (h *logRecorder) WithGroup(string) slog.Handler { return h }

// logRecorderView carries With attributes while appending to the shared lines.
type logRecorderView struct {
	h     *logRecorder
	attrs []slog.Attr
}

func (v *logRecorderView) Enabled(ctx context.Context, l slog.Level) bool { return true }
func (v *logRecorderView) Handle(ctx context.Context, r slog.Record) error {
	r2 := r.Clone()
	r2.AddAttrs(v.attrs...)
	return v.h.Handle(ctx, r2)
}
func (v *logRecorderView) WithAttrs(as []slog.Attr) slog.Handler {
	return &logRecorderView{h: v.h, attrs: append(append([]slog.Attr{}, v.attrs...), as...)}
}
func (v *logRecorderView) WithGroup(string) slog.Handler { return v }

// count returns how many lines start with prefix (e.g. "WARN").
func (h *logRecorder) count(prefix string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, l := range h.lines {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}

func (h *logRecorder) all() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return strings.Join(h.lines, "\n")
}
