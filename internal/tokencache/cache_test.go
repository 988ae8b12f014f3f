package tokencache

import (
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk/internal/claims"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// t0 is the fake clock's start; tokens in these tests expire relative to it.
var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// clock is a fake clock safe for concurrent use.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(t0.UnixNano())
	return c
}

func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// expiring returns claims whose exp is d after t0.
func expiring(d time.Duration) *claims.Claims {
	return &claims.Claims{Subject: "user_1", SessionID: "sess_1", Expiry: t0.Add(d).Unix()}
}

func key(i int) Key { return KeyOf("token-" + strconv.Itoa(i)) }

func TestNewDisabled(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, -1} {
		c := New(Config{Size: size})
		require.Nil(t, c)
		c.Put(key(1), expiring(time.Minute), t0) // no panic on a nil cache
		c.PutNegative(key(1), t0)
		got, res := c.Get(key(1), t0)
		assert.Nil(t, got)
		assert.Equal(t, Miss, res)
		assert.Zero(t, c.Cap())
	}
}

func TestLifetimes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		maxTTL  time.Duration
		put     func(c *Cache, k Key, cl *claims.Claims)
		exp     time.Duration // the token's exp, from t0
		advance time.Duration // clock advance before the lookup
		want    Result
	}{
		{name: "fresh positive hits", exp: time.Minute, advance: 59 * time.Second, want: Hit},
		{name: "positive dies at exp", exp: time.Minute, advance: time.Minute, want: Miss},
		{name: "expired token never stored", exp: -time.Second, want: Miss},
		{name: "token expiring now never stored", exp: 0, want: Miss},
		{name: "MaxTTL caps a long-lived token", maxTTL: 5 * time.Minute, exp: time.Hour, advance: 5 * time.Minute, want: Miss},
		{name: "MaxTTL longer than exp", maxTTL: 5 * time.Minute, exp: time.Minute, advance: 61 * time.Second, want: Miss},
		{name: "within MaxTTL", maxTTL: 5 * time.Minute, exp: time.Hour, advance: 4 * time.Minute, want: Hit},
		{name: "absurd exp saturates", exp: 0, put: func(c *Cache, k Key, _ *claims.Claims) {
			c.Put(k, &claims.Claims{Expiry: 1<<63 - 1}, t0)
		}, advance: 24 * time.Hour, want: Hit},
		{name: "negative hits", put: func(c *Cache, k Key, _ *claims.Claims) { c.PutNegative(k, t0) },
			advance: DefaultNegativeTTL - time.Nanosecond, want: Negative},
		{name: "negative dies after NegativeTTL", put: func(c *Cache, k Key, _ *claims.Claims) { c.PutNegative(k, t0) },
			advance: DefaultNegativeTTL, want: Miss},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clk := newClock()
			c := New(Config{Size: 16, MaxTTL: tt.maxTTL})
			cl := expiring(tt.exp)
			put := tt.put
			if put == nil {
				put = func(c *Cache, k Key, cl *claims.Claims) { c.Put(k, cl, clk.Now()) }
			}
			put(c, key(1), cl)
			clk.Advance(tt.advance)
			got, res := c.Get(key(1), clk.Now())
			assert.Equal(t, tt.want, res)
			if tt.want == Hit && tt.put == nil {
				assert.Same(t, cl, got, "a hit returns the stored claims, not a copy")
			}
			_, other := c.Get(key(2), clk.Now())
			assert.Equal(t, Miss, other, "another token never hits")
		})
	}
}

func TestVerdictPrecedence(t *testing.T) {
	t.Parallel()
	clk := newClock()
	c := New(Config{Size: 8})
	cl := expiring(time.Minute)

	c.PutNegative(key(1), clk.Now())
	c.Put(key(1), cl, clk.Now())
	got, res := c.Get(key(1), clk.Now())
	assert.Equal(t, Hit, res, "a verified token replaces a negative verdict")
	assert.Same(t, cl, got)

	c.PutNegative(key(1), clk.Now())
	_, res = c.Get(key(1), clk.Now())
	assert.Equal(t, Hit, res, "a negative verdict never replaces a live positive one")

	cl2 := expiring(2 * time.Minute)
	c.Put(key(1), cl2, clk.Now())
	got, _ = c.Get(key(1), clk.Now())
	assert.Same(t, cl2, got, "a second verification replaces the entry in place")
	assert.Equal(t, 1, c.count(), "one key, one slot")
}

func TestBounded(t *testing.T) {
	t.Parallel()
	for _, size := range []int{1, 3, 8, 9, 100, 10_000} {
		t.Run(strconv.Itoa(size), func(t *testing.T) {
			t.Parallel()
			c := New(Config{Size: size})
			require.LessOrEqual(t, c.Cap(), size)
			require.Greater(t, c.Cap(), size-ways)
			for i := range 3 * size {
				if i%3 == 0 {
					c.PutNegative(key(i), t0)
				} else {
					c.Put(key(i), expiring(time.Minute), t0)
				}
			}
			assert.LessOrEqual(t, c.count(), c.Cap())
			last := 3*size - 1
			_, res := c.Get(key(last), t0)
			assert.Equal(t, Hit, res, "the newest entry is always kept")
		})
	}
}

func TestNegativeNeverEvictsPositive(t *testing.T) {
	t.Parallel()
	c := New(Config{Size: ways}) // one set
	for i := range ways {
		c.Put(key(i), expiring(time.Minute), t0)
	}
	for i := range 1000 {
		c.PutNegative(key(ways+i), t0) // a flood of distinct forgeries
	}
	for i := range ways {
		_, res := c.Get(key(i), t0)
		assert.Equal(t, Hit, res, "positive entry %d survived the flood", i)
	}
}

func TestNegativeReplacesNegative(t *testing.T) {
	t.Parallel()
	c := New(Config{Size: 2}) // one set of two
	c.Put(key(0), expiring(time.Minute), t0)
	c.PutNegative(key(1), t0)
	c.PutNegative(key(2), t0)
	_, res := c.Get(key(2), t0)
	assert.Equal(t, Negative, res, "the newest forgery is remembered")
	_, res = c.Get(key(0), t0)
	assert.Equal(t, Hit, res)
}

func TestClockSecondChance(t *testing.T) {
	t.Parallel()
	c := New(Config{Size: ways}) // one set
	for i := range ways {
		c.Put(key(i), expiring(time.Minute), t0)
	}
	_, res := c.Get(key(0), t0) // key 0 is in use; the rest are not
	require.Equal(t, Hit, res)
	for i := range ways - 1 {
		c.Put(key(100+i), expiring(time.Minute), t0)
	}
	_, res = c.Get(key(0), t0)
	assert.Equal(t, Hit, res, "a used entry survives a full turn of the hand")
	for i := 1; i < ways; i++ {
		_, res := c.Get(key(i), t0)
		assert.Equal(t, Miss, res, "unused entry %d was evicted", i)
	}
}

func TestDeadSlotsReused(t *testing.T) {
	t.Parallel()
	clk := newClock()
	c := New(Config{Size: ways})
	for i := range ways {
		c.Put(key(i), expiring(time.Second), clk.Now())
		_, _ = c.Get(key(i), clk.Now()) // referenced: CLOCK alone would spare them
	}
	clk.Advance(time.Second)
	for i := range ways {
		c.PutNegative(key(100+i), clk.Now()) // negatives may take dead slots
	}
	for i := range ways {
		_, res := c.Get(key(100+i), clk.Now())
		assert.Equal(t, Negative, res)
	}
}

// TestConcurrent hammers overlapping keys from many goroutines (run it with
// -race): a hit must always return the claims stored for that very key.
func TestConcurrent(t *testing.T) {
	t.Parallel()
	const keys, workers, ops = 64, 8, 5000
	clk := newClock()
	c := New(Config{Size: 32}) // smaller than the key space: evictions
	stored := make([]*claims.Claims, keys)
	for i := range stored {
		stored[i] = expiring(time.Hour)
		stored[i].Subject = "user_" + strconv.Itoa(i)
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for n := range ops {
				i := (n*7 + w*13) % keys
				switch n % 5 {
				case 0:
					if i%4 == 0 {
						c.PutNegative(key(i), clk.Now())
					} else {
						c.Put(key(i), stored[i], clk.Now())
					}
				case 1:
					clk.Advance(time.Millisecond)
				default:
					got, res := c.Get(key(i), clk.Now())
					switch res {
					case Hit:
						if got != stored[i] {
							t.Errorf("key %d: got claims of %s", i, got.Subject)
						}
					case Negative:
						if i%4 != 0 {
							t.Errorf("key %d: negative for a genuine token", i)
						}
					}
				}
			}
		})
	}
	wg.Wait()
	assert.LessOrEqual(t, c.count(), c.Cap())
}

// count returns the number of occupied slots, for tests.
func (c *Cache) count() int {
	n := 0
	for i := range c.sets {
		for j := range c.ways {
			if c.sets[i].slots[j].Load() != nil {
				n++
			}
		}
	}
	return n
}

// TestGraceOutlivesExp: with Grace, an entry lives until exp + Grace (the
// caller's skew), never longer, and MaxTTL still caps it.
func TestGraceOutlivesExp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		maxTTL  time.Duration
		advance time.Duration
		want    Result
	}{
		{"within the grace", 0, time.Minute + 4*time.Second, Hit},
		{"at exp + grace", 0, time.Minute + 5*time.Second, Miss},
		{"MaxTTL first", 30 * time.Second, 40 * time.Second, Miss},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := New(Config{Size: 64, MaxTTL: tt.maxTTL, Grace: 5 * time.Second})
			c.Put(key(1), expiring(time.Minute), t0)
			_, res := c.Get(key(1), t0.Add(tt.advance))
			assert.Equal(t, tt.want, res)
		})
	}
	c := New(Config{Size: 64, Grace: 5 * time.Second})
	c.Put(key(2), expiring(-3*time.Second), t0)
	_, res := c.Get(key(2), t0)
	assert.Equal(t, Hit, res, "a token within its grace is stored")
	c.Put(key(3), &claims.Claims{Subject: "u", SessionID: "s", Expiry: 1<<63 - 1}, t0)
	_, res = c.Get(key(3), t0)
	assert.Equal(t, Hit, res, "an absurd exp saturates instead of overflowing")
}
