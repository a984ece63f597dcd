package main

import "time"

// schedule is the open model: request i is due i/rate seconds after the start, whatever happened to the
// requests before it. Integer arithmetic, so the schedule does not drift over a long run.
type schedule struct {
	rate  int64 // requests per second
	total int64 // requests in the run
}

func (s schedule) due(i int64) time.Duration { return time.Duration(i * int64(time.Second) / s.rate) }

// outcome of one request
type outcome int

const (
	answered outcome = iota
	timedOut
	failed // connection error or malformed answer
)

// recorder keeps what each request took, indexed by request, and the counts.
type recorder struct {
	latency []time.Duration // completion - due; 0 = never sent, -1 = sent but not answered
	sendLag []time.Duration // actual send - due: waiting for the generator or for a free connection
	status  [600]int64
	timeout int64
	failure int64
	sent    int64
	last    time.Duration // the latest send
}

func newRecorder(total int64) *recorder {
	return &recorder{latency: make([]time.Duration, total), sendLag: make([]time.Duration, total)}
}

// record charges request i from its due time, not from when it was actually sent: a request due at
// t=0 that left at 5 ms (the generator stalled, or every connection was busy) and was answered at 6 ms
// took 6 ms. That is the coordinated-omission correction: a stall is charged to every request due
// during it, as if each had been sent on time and waited.
func (r *recorder) record(i int64, due, sent, done time.Duration, what outcome, status int) {
	r.sendLag[i] = sent - due
	switch what {
	case answered:
		r.latency[i] = max(done-due, 1) // 0 means "never sent"
		r.status[min(max(status, 0), len(r.status)-1)]++
	case timedOut:
		r.latency[i] = -1
		r.timeout++
	default:
		r.latency[i] = -1
		r.failure++
	}
}

// markSent counts a request when it leaves, so the achieved rate does not depend on the answers.
func (r *recorder) markSent(sent time.Duration) {
	r.sent++
	r.last = max(r.last, sent)
}

// achievedRate is requests sent over the time they took: on schedule the last of n requests leaves at
// (n - 1)/rate, so n requests took n/rate.
func (r *recorder) achievedRate(s schedule) float64 {
	if r.sent == 0 {
		return 0
	}
	return float64(r.sent) / (r.last + time.Duration(int64(time.Second)/s.rate)).Seconds()
}
