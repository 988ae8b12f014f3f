package ginclerktest

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"strconv"
	"sync"
	"testing"
)

// sharedKeys is how many process-wide keys SharedKey hands out.
const sharedKeys = 8

// sharedPool holds the process-wide keys. Each is generated on first use,
// by index, so a suite that needs one key pays for one.
var sharedPool [sharedKeys]struct {
	once sync.Once
	key  *Key
	err  error
}

// DefaultKey returns the process-wide key with KID "ins_test_1", generated
// once on first use and shared by every test in the binary. It is
// SharedKey(t, 0). Do not modify it; use WithKID for a variant.
func DefaultKey(t testing.TB) *Key {
	t.Helper()
	return SharedKey(t, 0)
}

// SharedKey returns the i-th process-wide key (0 <= i < 8), with
// KID "ins_test_<i+1>". Each is generated once, on first use, and shared by
// every test in the binary, so suites needing a few distinct keys (rotation,
// wrong-key signatures) do not pay for RSA generation per test. Do not
// modify the returned key. An index out of range fails the test.
func SharedKey(t testing.TB, i int) *Key {
	t.Helper()
	if i < 0 || i >= sharedKeys {
		t.Fatalf("ginclerktest: SharedKey(%d): index out of range [0, %d)", i, sharedKeys)
		return nil
	}
	slot := &sharedPool[i]
	slot.once.Do(func() {
		priv, err := rsa.GenerateKey(rand.Reader, keyBits)
		if err != nil {
			slot.err = fmt.Errorf("ginclerktest: generating shared key %d: %w", i, err)
			return
		}
		slot.key = &Key{Private: priv, KID: "ins_test_" + strconv.Itoa(i+1)}
	})
	if slot.err != nil {
		t.Fatal(slot.err)
	}
	return slot.key
}
