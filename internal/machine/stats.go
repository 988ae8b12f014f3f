package machine

// Stats is a point-in-time view of a Verifier, for operators and tests.
// Counters are cumulative over the Verifier's life.
type Stats struct {
	// Calls is the number of Backend API verify calls started.
	Calls uint64
	// Joined is the number of Verify calls that waited on a call another
	// request had started, instead of making their own.
	Joined uint64
	// Hits and NegativeHits are the Verify calls answered from the
	// verified-credential cache and from the negative cache.
	Hits, NegativeHits uint64
	// Entries and Bytes describe the verified-credential cache: entries
	// held (live or dead but not yet evicted) and bytes charged, at most
	// Config.MaxBytes.
	Entries int
	Bytes   int64
	// NegativeEntries and NegativeBytes describe the negative cache; the
	// bytes are at most Config.NegativeMaxBytes.
	NegativeEntries int
	NegativeBytes   int64
}

// Stats returns the Verifier's counters and cache sizes.
func (v *Verifier) Stats() Stats {
	st := Stats{Calls: v.calls.Load(), Joined: v.joined.Load(), Hits: v.hits.Load(), NegativeHits: v.negHits.Load()}
	if v.pos != nil {
		st.Entries, st.Bytes = v.pos.stats()
		st.NegativeEntries, st.NegativeBytes = v.neg.stats()
	}
	return st
}
