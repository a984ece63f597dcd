// loadgen is an open-model HTTP/1.1 load generator for one core, written for bench/run.sh's tail step.
//
//	loadgen -url http://127.0.0.1:8080/internal/auth -rate 52000 -duration 10s -header 'X-Forwarded-Host: demo.localhost'
//
// Requests are due at a fixed rate whatever the answers, over kept-alive connections with one request
// in flight each. Each request is timed from its due time, not from when it actually left, so a stall
// of the generator or the server is charged to every request due meanwhile (no coordinated omission,
// as in wrk2). It prints one JSON object: the rate achieved, the answers by status, the errors and the
// latency percentiles.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"net"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type headerFlags []string

func (h *headerFlags) String() string     { return strings.Join(*h, ", ") }
func (h *headerFlags) Set(v string) error { *h = append(*h, v); return nil }

// result is the JSON the program prints; bench/report.py reads it.
type result struct {
	URL          string  `json:"url"`
	Connections  int     `json:"connections"`
	TargetRate   int64   `json:"target_rate"`
	AchievedRate float64 `json:"achieved_rate"` // requests sent over the time they took
	// more than 1 % below the target rate: the figures do not describe the target rate
	ShortOfTarget bool `json:"short_of_target"`
	// the generator's CPU time over the run's wall time. Not a headroom gauge: per request the loop costs
	// more at low rates, where it sleeps between requests, than at high ones, where it batches
	GeneratorCPU float64          `json:"generator_cpu"`
	DurationS    float64          `json:"duration_s"` // the schedule's length
	ElapsedS     float64          `json:"elapsed_s"`  // until the last answer
	Requests     int64            `json:"requests"`   // due in the schedule
	Sent         int64            `json:"sent"`
	Unsent       int64            `json:"unsent"` // still due when the run stopped (duration + timeout)
	Answered     int64            `json:"answered"`
	Status       map[string]int64 `json:"status"`
	StatusClass  map[string]int64 `json:"status_class"`
	Errors       map[string]int64 `json:"errors"`
	// timed waits of the generator's loop that woke more than 0.2 ms behind their deadline, and the
	// latest wake-up: how much of the tail the generator's own thread not running accounts for
	LateWakeups int64   `json:"late_wakeups"`
	TimedWaits  int64   `json:"timed_waits"`
	MaxWakeupMs float64 `json:"max_wakeup_lateness_ms"`
	// of the answered requests, from the due time to the end of the answer
	LatencyMs summary `json:"latency_ms"`
	// of the sent requests, from the due time to the actual send: the part of the latency spent waiting
	// for the generator or for a free connection
	SendLagMs summary `json:"send_lag_ms"`
}

func main() {
	var headers headerFlags
	target := flag.String("url", "", "http:// URL to request (required)")
	method := flag.String("method", "GET", "request method (requests have no body)")
	rate := flag.Int64("rate", 0, "requests per second (required)")
	duration := flag.Duration("duration", 10*time.Second, "length of the schedule")
	connections := flag.Int("connections", 64, "kept-alive connections, one request in flight on each")
	timeout := flag.Duration("timeout", 10*time.Second, "per request; sending also stops at duration + timeout")
	output := flag.String("output", "", "write the JSON to this file instead of stdout")
	flag.Var(&headers, "header", "'Name: value' added to every request (repeatable)")
	flag.Parse()

	res, err := load(*target, *method, headers, *rate, *duration, *connections, *timeout)
	if err == nil {
		err = write(res, *output)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
}

func load(target, method string, headers []string, rate int64, duration time.Duration, connections int,
	timeout time.Duration) (*result, error) {
	parsed, err := url.Parse(target)
	if err != nil || parsed.Scheme != "http" || parsed.Host == "" {
		return nil, fmt.Errorf("-url %q: want http://host[:port]/path", target)
	}
	if rate <= 0 || duration <= 0 || connections <= 0 || timeout <= 0 {
		return nil, fmt.Errorf("-rate, -duration, -connections and -timeout must be positive")
	}
	request, err := encodeRequest(method, parsed, headers)
	if err != nil {
		return nil, err
	}
	port := parsed.Port()
	if port == "" {
		port = "80"
	}
	addr, err := net.ResolveTCPAddr("tcp", net.JoinHostPort(parsed.Hostname(), port))
	if err != nil {
		return nil, err
	}
	family, sockaddr := syscall.AF_INET6, syscall.Sockaddr(&syscall.SockaddrInet6{Port: addr.Port})
	if ip4 := addr.IP.To4(); ip4 != nil {
		family, sockaddr = syscall.AF_INET, &syscall.SockaddrInet4{Port: addr.Port, Addr: [4]byte(ip4)}
	} else {
		copy(sockaddr.(*syscall.SockaddrInet6).Addr[:], addr.IP.To16())
	}

	s := schedule{rate: rate, total: int64(math.Round(float64(rate) * duration.Seconds()))}
	l := &loop{schedule: s, rec: newRecorder(s.total), request: request, noBody: method == "HEAD",
		timeout: timeout, family: family, addr: sockaddr}
	// the loop allocates nothing per request; a collection would only add pauses to the figures
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	cpuBefore := cpuTime()
	if err := l.run(connections, duration+timeout); err != nil {
		return nil, fmt.Errorf("%s: %w", addr, err)
	}
	elapsed := l.now()
	res := summarizeRun(l.rec, s, duration, elapsed)
	res.URL, res.Connections = target, connections
	res.GeneratorCPU = math.Round((cpuTime()-cpuBefore).Seconds()/elapsed.Seconds()*1000) / 1000
	res.Errors["connect"] = l.connectErrors
	res.LateWakeups, res.TimedWaits = l.wakeups.late, l.wakeups.waits
	res.MaxWakeupMs = math.Round(float64(l.wakeups.max)/1e3) / 1e3
	return res, nil
}

// summarizeRun turns the recorder's raw figures into the result.
func summarizeRun(rec *recorder, s schedule, duration, elapsed time.Duration) *result {
	res := &result{
		TargetRate: s.rate, DurationS: duration.Seconds(), ElapsedS: math.Round(elapsed.Seconds()*1000) / 1000,
		Requests: s.total, Sent: rec.sent, Unsent: s.total - rec.sent,
		Status: map[string]int64{}, StatusClass: map[string]int64{},
		Errors: map[string]int64{"timeout": rec.timeout, "connection": rec.failure},
	}
	res.AchievedRate = math.Round(rec.achievedRate(s)*10) / 10
	res.ShortOfTarget = res.AchievedRate < 0.99*float64(s.rate)
	for code, n := range rec.status {
		if n > 0 {
			res.Status[strconv.Itoa(code)] = n
			res.StatusClass[fmt.Sprintf("%dxx", code/100)] += n
			res.Answered += n
		}
	}
	answeredLatency := make([]time.Duration, 0, res.Answered)
	sendLag := make([]time.Duration, 0, rec.sent)
	for i, latency := range rec.latency {
		if latency > 0 {
			answeredLatency = append(answeredLatency, latency)
		}
		if latency != 0 {
			sendLag = append(sendLag, rec.sendLag[i])
		}
	}
	res.LatencyMs = summarize(answeredLatency)
	res.SendLagMs = summarize(sendLag)
	return res
}

func write(res *result, output string) error {
	out := os.Stdout
	if output != "" {
		file, err := os.Create(output)
		if err != nil {
			return err
		}
		defer file.Close()
		out = file
	}
	encoder := json.NewEncoder(out)
	encoder.SetIndent("", "  ")
	return encoder.Encode(res)
}

// cpuTime is this process's user and system time so far.
func cpuTime() time.Duration {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return 0
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
}
