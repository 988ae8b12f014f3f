package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sample = `goos: linux
goarch: amd64
pkg: github.com/ginclerk/ginclerk
BenchmarkBareRoute-2     	 1000000	      2000 ns/op	    6825 B/op	      16 allocs/op
BenchmarkBareRoute-2     	 1000000	      2200 ns/op	    6825 B/op	      16 allocs/op
BenchmarkBareRoute-2     	 1000000	      2400 ns/op	    6825 B/op	      16 allocs/op
BenchmarkFloor-2         	   20000	     50000 ns/op	   10434 B/op	      39 allocs/op
BenchmarkFloor-2         	   20000	     48000 ns/op	   10434 B/op	      39 allocs/op
BenchmarkColdToken-2     	   20000	     52000 ns/op	   10332 B/op	      37 allocs/op
BenchmarkColdToken-2     	   20000	     54000 ns/op	   10332 B/op	      37 allocs/op
BenchmarkWarmToken-2     	  300000	      5500 ns/op	    7786 B/op	      21 allocs/op
BenchmarkParallelBare-2  	  300000	      1000 ns/op	    6825 B/op	      16 allocs/op
BenchmarkParallelWarm-2  	  300000	      2500 ns/op	    7786 B/op	      21 allocs/op
BenchmarkLoad/warm-2     	       1	 100 ns/op	 9000 req/s	 3.5 p99-ms
    bench_test.go:12: a log line
PASS
ok  	github.com/ginclerk/ginclerk	17.284s
`

func TestParse(t *testing.T) {
	t.Parallel()
	set, err := parse(strings.NewReader(sample))
	require.NoError(t, err)
	assert.Equal(t, []string{"BareRoute", "Floor", "ColdToken", "WarmToken", "ParallelBare", "ParallelWarm", "Load/warm"}, set.order)
	assert.Equal(t, []float64{2000, 2200, 2400}, set.get("BareRoute").ns)
	assert.Equal(t, []float64{9000}, set.get("Load/warm").metrics["req/s"])
	assert.InDelta(t, 49000, median(set.get("Floor").ns), 0)
	assert.InDelta(t, 2200, median(set.get("BareRoute").ns), 0)
}

func TestTrimProcs(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"X-2": "X", "X": "X", "X-": "X-", "a-b": "a-b", "Load/warm-16": "Load/warm"} {
		assert.Equal(t, want, trimProcs(in), in)
	}
}

func TestRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		targets []string
		strict  bool
		want    []string
		wantErr string
	}{
		{name: "table", want: []string{
			"| ColdToken | 2 | 53.00 | ±2% | 37 | 10332 | 1.08 | 24.09 |",
			"| ParallelWarm | 1 | 2.50 | ±0% | 21 | 7786 | 0.05 | 2.50 |",
			"| Load/warm | 1 | 0.10 | ±0% | — | — | 0.00 | 0.05 | 3.50 | 9000.00 |",
		}},
		{name: "targets", targets: []string{"ColdToken:floor<=1.15", "ColdToken:allocs<=40", "WarmToken:bare<=2", "WarmToken:allocs-bare<=6", "ColdToken:x:Floor<=1"},
			want: []string{"ColdToken:floor<=1.15", "1.08  PASS", "WarmToken:bare<=2", "2.50  FAIL", "5.00  PASS", "1.08  FAIL", "targets: 5 checked, 2 failed"}},
		{name: "reported metric", targets: []string{"Load/warm:m:req/s<=10000", "Load/warm:m:p99-ms<=3"},
			want: []string{"9000.00  PASS", "3.50  FAIL"}},
		{name: "strict fails on a miss", targets: []string{"WarmToken:bare<=2"}, strict: true, wantErr: "1 target(s) missed"},
		{name: "absent benchmark is skipped", targets: []string{"Nope:floor<=1", "ColdToken:x:Nope<=1"}, strict: true,
			want: []string{"Nope:floor<=1", "skipped: Nope not in this run"}},
		{name: "bad target", targets: []string{"ColdToken:floor"}, wantErr: "want NAME:METRIC<=VALUE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			r := report{floor: "Floor", bare: "BareRoute", parallelBare: "ParallelBare", targets: tt.targets}
			err := run(strings.NewReader(sample), &out, r, tt.strict)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			for _, w := range tt.want {
				assert.Contains(t, out.String(), w)
			}
		})
	}
}

func TestRunFailed(t *testing.T) {
	t.Parallel()
	err := run(strings.NewReader(sample+"--- FAIL: BenchmarkFloor\nFAIL\n"), &bytes.Buffer{}, report{}, false)
	require.ErrorContains(t, err, "run failed: --- FAIL: BenchmarkFloor")
}

func TestRunEmpty(t *testing.T) {
	t.Parallel()
	err := run(strings.NewReader("PASS\n"), &bytes.Buffer{}, report{}, false)
	require.ErrorContains(t, err, "no benchmark results")
}

// TestRatioOfPairs: with as many runs as the baseline, rounds are paired,
// so one slow round (a load spike on both sides) does not skew the ratio.
func TestRatioOfPairs(t *testing.T) {
	t.Parallel()
	base := &result{ns: []float64{10, 10, 40}}
	x := &result{ns: []float64{20, 20, 80}}
	assert.InDelta(t, 2.0, ratioOf(x, base), 1e-9)
	unpaired := &result{ns: []float64{20, 80}}
	assert.InDelta(t, 50.0/10, ratioOf(unpaired, base), 1e-9, "ratio of medians")
	assert.InDelta(t, -1.0, ratioOf(x, nil), 0)
}
