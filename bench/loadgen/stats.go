package main

import (
	"math"
	"slices"
	"time"
)

// percentile is the nearest rank: the smallest value with at least this fraction of the values at or
// below it (what bench/report.py and wrk2 report). sorted must be in ascending order.
func percentile(sorted []time.Duration, fraction float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	// rounded first, so 0.999 * 1000 is rank 999 and not 999.0000000000001 → 1000
	rank := int(math.Ceil(math.Round(float64(len(sorted))*fraction*1e6) / 1e6))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// summary holds the percentiles of one distribution, in milliseconds.
type summary struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	P999 float64 `json:"p99.9"`
	Max  float64 `json:"max"`
}

// summarize sorts values in place.
func summarize(values []time.Duration) summary {
	slices.Sort(values)
	ms := func(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 } // µs resolution
	return summary{
		P50:  ms(percentile(values, 0.5)),
		P90:  ms(percentile(values, 0.9)),
		P99:  ms(percentile(values, 0.99)),
		P999: ms(percentile(values, 0.999)),
		Max:  ms(percentile(values, 1)),
	}
}
