package ginclerktest_test

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode) // no debug banner in test and example output
	os.Exit(m.Run())
}

// base is the fixed time base of deterministic tokens: 2023-11-14T22:13:20Z.
const base = 1_700_000_000

// jwt is a decoded compact JWS, checked by hand rather than with the code
// under test.
type jwt struct {
	header, payload []byte // raw JSON
	signed          []byte // header.payload as sent
	sig             []byte
}

func split(t *testing.T, tok string) jwt {
	t.Helper()
	parts := strings.Split(tok, ".")
	require.Len(t, parts, 3, "a compact JWS has three segments")
	dec := func(s string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(s)
		require.NoError(t, err, "segments are unpadded base64url")
		return b
	}
	return jwt{
		header:  dec(parts[0]),
		payload: dec(parts[1]),
		signed:  []byte(parts[0] + "." + parts[1]),
		sig:     dec(parts[2]),
	}
}

func object(t *testing.T, raw []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m), "%s", raw)
	return m
}

func verifies(pub *rsa.PublicKey, j jwt) error {
	sum := sha256.Sum256(j.signed)
	return rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], j.sig)
}

// fatalTB records Fatal calls instead of failing the real test; run executes
// f in a goroutine because Fatal ends the goroutine, as testing.T's does.
type fatalTB struct {
	testing.TB
	mu  sync.Mutex
	msg string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatal(args ...any) { f.fail(fmt.Sprint(args...)) }

func (f *fatalTB) Fatalf(format string, args ...any) { f.fail(fmt.Sprintf(format, args...)) }

func (f *fatalTB) fail(msg string) {
	f.mu.Lock()
	f.msg = msg
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fatalTB) run(fn func(testing.TB)) string {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.msg
}
