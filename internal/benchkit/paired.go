package benchkit

import (
	"sync/atomic"
	"testing"
	"time"
)

// batch is how many requests each side serves between two clock reads:
// enough that reading the clock costs nothing measurable, few enough that
// both sides of a pair see the same load on a shared machine.
const batch = 8

// Paired measures target against base in alternating batches within one
// benchmark and reports target's time over base's as the metric unit
// (e.g. "x-bare"). A ratio between two separate benchmarks compares
// moments seconds apart, which a busy machine makes meaningless; here every
// batch of one side is next to a batch of the other, and which goes first
// alternates. ns/op is the time of one pair of batches.
func Paired(b *testing.B, unit string, base, target func()) {
	var tb, tt time.Duration
	i := 0
	for b.Loop() {
		first, second, d1, d2 := base, target, &tb, &tt
		if i%2 == 1 {
			first, second, d1, d2 = target, base, &tt, &tb
		}
		*d1 += timeBatch(first)
		*d2 += timeBatch(second)
		i++
	}
	b.ReportMetric(float64(tt)/float64(tb), unit)
}

// PairedParallel is Paired under b.RunParallel: every goroutine alternates
// batches of both sides, and the metric is the ratio of their total times.
func PairedParallel(b *testing.B, unit string, base, target func()) {
	var tb, tt atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		var mb, mt time.Duration
		for i := 0; pb.Next(); i++ {
			if i%2 == 0 {
				mb += timeBatch(base)
				mt += timeBatch(target)
			} else {
				mt += timeBatch(target)
				mb += timeBatch(base)
			}
		}
		tb.Add(int64(mb))
		tt.Add(int64(mt))
	})
	b.ReportMetric(float64(tt.Load())/float64(max(tb.Load(), 1)), unit)
}

func timeBatch(f func()) time.Duration {
	start := time.Now()
	for range batch {
		f()
	}
	return time.Since(start)
}
