package jsonx

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSkipPlain checks the SWAR fast path against the byte-at-a-time
// definition, for every interesting byte at every position of a word.
func TestSkipPlain(t *testing.T) {
	t.Parallel()
	naive := func(d []byte, i int) int {
		for i < len(d) && plain[d[i]] {
			i++
		}
		return i
	}
	specials := []byte{0x00, 0x01, 0x1f, '"', '\\', 0x7f, 0x80, 0xc3, 0xff, ' ', '!', '#', '[', ']', '}'}
	for n := 0; n <= 24; n++ {
		for pos := 0; pos < n; pos++ {
			for _, c := range specials {
				d := make([]byte, n)
				for j := range d {
					d[j] = 'a'
				}
				d[pos] = c
				for start := 0; start <= n; start++ {
					require.Equal(t, naive(d, start), skipPlain(d, start), "n=%d pos=%d c=%#x start=%d", n, pos, c, start)
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2)) // fixed seed: deterministic
	for range 20000 {
		d := make([]byte, rng.IntN(40))
		for j := range d {
			if rng.IntN(4) == 0 {
				d[j] = byte(rng.IntN(256))
			} else {
				d[j] = byte(0x20 + rng.IntN(0x5f))
			}
		}
		start := rng.IntN(len(d) + 1)
		require.Equal(t, naive(d, start), skipPlain(d, start), "%q from %d", d, start)
	}
}
