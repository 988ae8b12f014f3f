package tokencache

import (
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// t0 is the fake clock's start; entries in these tests expire relative to it.
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

// val is what the tests cache.
type val struct{ id int }

// deadline is t0 + d in Unix nanoseconds.
func deadline(d time.Duration) int64 { return t0.Add(d).UnixNano() }

func key(i int) string { return "token-" + strconv.Itoa(i) }

// small is a cache of about n entries of the size the tests charge (100 B).
func small(n int) *Cache[*val] {
	c := New[*val](Config{Bytes: 1})
	c.setBudget = int64(n) * (entryBytes[*val]() + 100)
	return c
}

func put(c *Cache[*val], i int, d time.Duration, now time.Time) *val {
	v := &val{id: i}
	c.Put(key(i), v, 100, deadline(d), now)
	return v
}

func TestNewDisabled(t *testing.T) {
	t.Parallel()
	for _, size := range []int64{0, -1} {
		c := New[*val](Config{Bytes: size})
		require.Nil(t, c)
		put(c, 1, time.Minute, t0) // no panic on a nil cache
		c.PutNegative(key(1), t0)
		got, res := c.Get(key(1), t0)
		assert.Nil(t, got)
		assert.Equal(t, Miss, res)
	}
}

func TestLifetimes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		maxTTL   time.Duration
		negative bool
		exp      time.Duration // the deadline, from t0
		advance  time.Duration // clock advance before the lookup
		want     Result
	}{
		{name: "fresh positive hits", exp: time.Minute, advance: 59 * time.Second, want: Hit},
		{name: "positive dies at its deadline", exp: time.Minute, advance: time.Minute, want: Miss},
		{name: "past deadline never stored", exp: -time.Second, want: Miss},
		{name: "deadline now never stored", exp: 0, want: Miss},
		{name: "MaxTTL caps a long deadline", maxTTL: 5 * time.Minute, exp: time.Hour, advance: 5 * time.Minute, want: Miss},
		{name: "MaxTTL longer than the deadline", maxTTL: 5 * time.Minute, exp: time.Minute, advance: 61 * time.Second, want: Miss},
		{name: "within MaxTTL", maxTTL: 5 * time.Minute, exp: time.Hour, advance: 4 * time.Minute, want: Hit},
		{name: "negative hits", negative: true, advance: DefaultNegativeTTL - time.Nanosecond, want: Negative},
		{name: "negative dies after NegativeTTL", negative: true, advance: DefaultNegativeTTL, want: Miss},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := New[*val](Config{Bytes: 1 << 20, MaxTTL: tt.maxTTL})
			var stored *val
			if tt.negative {
				c.PutNegative(key(1), t0)
			} else {
				stored = put(c, 1, tt.exp, t0)
			}
			got, res := c.Get(key(1), t0.Add(tt.advance))
			assert.Equal(t, tt.want, res)
			if tt.want == Hit {
				assert.Same(t, stored, got, "a hit returns the stored value, not a copy")
			}
			_, other := c.Get(key(2), t0)
			assert.Equal(t, Miss, other, "another key never hits")
		})
	}
}

// TestCollisionSafe: an entry answers only for its own key, even when
// another key has the same hash (forced here; with a random seed nobody
// can choose one).
func TestCollisionSafe(t *testing.T) {
	t.Parallel()
	c := New[*val](Config{Bytes: 1 << 20})
	genuine, tampered := "header.payload.signature", "header.pAyload.signature"
	h := c.hash(tampered)
	c.insert(&Entry[*val]{hash: h, key: genuine, value: &val{}, deadline: deadline(time.Hour), cost: 1}, genuine, t0.UnixNano())
	_, res := c.Get(tampered, t0)
	assert.Equal(t, Miss, res, "same hash, different key: a miss")

	n := &Entry[*val]{hash: c.hash("other"), negative: true, deadline: deadline(time.Hour), cost: 1}
	c.insert(n, "forged", t0.UnixNano()) // a negative entry whose digest is not other's
	_, res = c.Get("other", t0)
	assert.Equal(t, Miss, res, "a negative entry answers only for the key whose digest it holds")
}

func TestVerdictPrecedence(t *testing.T) {
	t.Parallel()
	c := New[*val](Config{Bytes: 1 << 20})
	c.PutNegative(key(1), t0)
	v1 := put(c, 1, time.Minute, t0)
	got, res := c.Get(key(1), t0)
	assert.Equal(t, Hit, res, "a verified key replaces a negative verdict")
	assert.Same(t, v1, got)

	c.PutNegative(key(1), t0)
	_, res = c.Get(key(1), t0)
	assert.Equal(t, Hit, res, "a negative verdict never replaces a live positive one")

	v2 := put(c, 1, 2*time.Minute, t0)
	got, _ = c.Get(key(1), t0)
	assert.Same(t, v2, got, "a second verification replaces the entry")
	assert.Equal(t, 1, c.count(), "one key, one slot")
}

// TestBoundedInBytes: whatever the mix and size of entries, no set charges
// more than its share, the newest entry is kept, and one larger than a
// share is not admitted.
func TestBoundedInBytes(t *testing.T) {
	t.Parallel()
	for _, budget := range []int64{8 << 10, 100 << 10, 1 << 20} {
		t.Run(strconv.FormatInt(budget, 10), func(t *testing.T) {
			t.Parallel()
			c := New[*val](Config{Bytes: budget})
			last := 0
			for i := range 4000 {
				if i%3 == 0 {
					c.PutNegative(key(i), t0)
					continue
				}
				c.Put(key(i), &val{id: i}, 50+(i%7)*500, deadline(time.Minute), t0)
				last = i
			}
			assert.LessOrEqual(t, c.charged()+c.fixed(), budget)
			_, res := c.Get(key(last), t0)
			assert.Equal(t, Hit, res, "the newest entry is kept")
			c.Put("huge", &val{}, int(c.setBudget), deadline(time.Minute), t0)
			_, res = c.Get("huge", t0)
			assert.Equal(t, Miss, res, "an entry larger than a set's share is not admitted")
		})
	}
}

func TestNegativeNeverEvictsPositive(t *testing.T) {
	t.Parallel()
	c := small(ways)
	for i := range ways {
		put(c, i, time.Minute, t0)
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
	c := small(2)
	put(c, 0, time.Minute, t0)
	c.PutNegative(key(1), t0)
	c.PutNegative(key(2), t0)
	_, res := c.Get(key(2), t0)
	assert.Equal(t, Negative, res, "the newest forgery is remembered")
	_, res = c.Get(key(0), t0)
	assert.Equal(t, Hit, res)
}

func TestClockSecondChance(t *testing.T) {
	t.Parallel()
	const n = 8
	c := small(n) // one set, room for n entries
	for i := range n {
		put(c, i, time.Minute, t0)
	}
	_, res := c.Get(key(0), t0) // key 0 is in use; the rest are not
	require.Equal(t, Hit, res)
	for i := range n - 1 {
		put(c, 100+i, time.Minute, t0)
	}
	_, res = c.Get(key(0), t0)
	assert.Equal(t, Hit, res, "a used entry survives a full turn of the hand")
	for i := 1; i < n; i++ {
		_, res := c.Get(key(i), t0)
		assert.Equal(t, Miss, res, "unused entry %d was evicted", i)
	}
}

func TestDeadEntriesReclaimed(t *testing.T) {
	t.Parallel()
	c := small(4)
	for i := range 4 {
		put(c, i, time.Second, t0)
		_, _ = c.Get(key(i), t0) // referenced: CLOCK alone would spare them
	}
	later := t0.Add(time.Second)
	for i := range 4 {
		c.PutNegative(key(100+i), later) // negatives may take dead slots
	}
	for i := range 4 {
		_, res := c.Get(key(100+i), later)
		assert.Equal(t, Negative, res)
	}
}

// TestConcurrent hammers overlapping keys from many goroutines (run it with
// -race): a hit must always return the value stored for that very key.
func TestConcurrent(t *testing.T) {
	t.Parallel()
	const keys, workers, ops = 64, 8, 5000
	clk := newClock()
	c := small(32) // smaller than the key space: evictions
	stored := make([]*val, keys)
	for i := range stored {
		stored[i] = &val{id: i}
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
						c.Put(key(i), stored[i], 100, deadline(time.Hour), clk.Now())
					}
				case 1:
					clk.Advance(time.Millisecond)
				default:
					got, res := c.Get(key(i), clk.Now())
					switch res {
					case Hit:
						if got != stored[i] {
							t.Errorf("key %d: got the value of %d", i, got.id)
						}
					case Negative:
						if i%4 != 0 {
							t.Errorf("key %d: negative for a genuine key", i)
						}
					}
				}
			}
		})
	}
	wg.Wait()
	assert.LessOrEqual(t, c.charged(), c.setBudget)
}

// count returns the number of occupied slots, for tests.
func (c *Cache[V]) count() int {
	n := 0
	for i := range c.sets {
		for j := range ways {
			if c.sets[i].slots[j].Load() != nil {
				n++
			}
		}
	}
	return n
}

// charged returns the bytes charged to all sets, for tests.
func (c *Cache[V]) charged() int64 {
	var n int64
	for i := range c.sets {
		s, mu := &c.sets[i], &c.locks[i%stripes]
		mu.Lock()
		n += s.bytes
		mu.Unlock()
	}
	return n
}

// fixed returns the bytes of the table itself, for tests.
func (c *Cache[V]) fixed() int64 {
	return tableBytes[V](int64(len(c.sets)))
}

func TestExpiryNanos(t *testing.T) {
	t.Parallel()
	assert.Equal(t, t0.Add(5*time.Second).UnixNano(), ExpiryNanos(t0.Unix(), 5*time.Second))
	assert.Equal(t, int64(1<<63-1), ExpiryNanos(1<<63-1, time.Second), "an absurd exp saturates")
	assert.Equal(t, int64(-1<<63), ExpiryNanos(-1<<63, 0))
	assert.Equal(t, int64(1<<63-1)/int64(time.Second)*int64(time.Second), ExpiryNanos((1<<63-1)/int64(time.Second), time.Hour), "no overflow adding grace")
}
