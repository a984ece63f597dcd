package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/url"
	"sync/atomic"
	"testing"
	"time"
)

const ms = time.Millisecond

func TestPercentileIsTheNearestRank(t *testing.T) {
	values := make([]time.Duration, 1000)
	for i := range values {
		values[i] = time.Duration(i+1) * time.Microsecond // 1 µs … 1000 µs
	}
	for fraction, want := range map[float64]time.Duration{0.5: 500, 0.9: 900, 0.99: 990, 0.999: 999, 1: 1000} {
		if got := percentile(values, fraction); got != want*time.Microsecond {
			t.Errorf("p%v = %v, want %v", fraction*100, got, want*time.Microsecond)
		}
	}
	if got := percentile([]time.Duration{7 * ms}, 0.999); got != 7*ms {
		t.Errorf("one value: %v", got)
	}
	if got := summarize([]time.Duration{3 * ms, 1 * ms, 2 * ms}); got != (summary{2, 3, 3, 3, 3}) {
		t.Errorf("summary in ms: %+v", got)
	}
}

func TestScheduleIsFixedRateWithoutDrift(t *testing.T) {
	s := schedule{rate: 3, total: 3_000_000}
	if s.due(0) != 0 || s.due(1) != 333_333_333 || s.due(3) != time.Second || s.due(2_999_999) != 999_999*time.Second+666_666_666 {
		t.Errorf("due: %v %v %v %v", s.due(0), s.due(1), s.due(3), s.due(2_999_999))
	}
}

func TestLatencyIsChargedFromTheDueTime(t *testing.T) {
	rec := newRecorder(3)
	// due at 0, left 5 ms late (the generator stalled, or every connection was busy), answered at 6 ms
	rec.markSent(5 * ms)
	rec.record(0, 0, 5*ms, 6*ms, answered, 200)
	rec.markSent(5 * ms)
	rec.record(1, 1*ms, 5*ms, 7*ms, timedOut, 0)
	if rec.latency[0] != 6*ms || rec.sendLag[0] != 5*ms {
		t.Errorf("latency %v, send lag %v; want 6ms, 5ms", rec.latency[0], rec.sendLag[0])
	}
	res := summarizeRun(rec, schedule{rate: 1000, total: 3}, 3*ms, 7*ms)
	if res.Answered != 1 || res.Status["200"] != 1 || res.Errors["timeout"] != 1 || res.Unsent != 1 {
		t.Errorf("counts: %+v", res)
	}
	if res.LatencyMs.Max != 6 || res.SendLagMs.P50 != 4 { // send lags 5 ms and 4 ms
		t.Errorf("latency %+v, send lag %+v", res.LatencyMs, res.SendLagMs)
	}
	// two requests sent by 5 ms where the schedule sends three: 2 / 6 ms, short of 1,000/s
	if res.AchievedRate != 333.3 || !res.ShortOfTarget {
		t.Errorf("achieved %v, short %v", res.AchievedRate, res.ShortOfTarget)
	}
}

func TestEncodeRequest(t *testing.T) {
	target, _ := url.Parse("http://127.0.0.1:8080/internal/auth?x=1")
	got, err := encodeRequest("GET", target, []string{"X-Forwarded-Uri: /a?v=3", "Cookie:a=b"})
	want := "GET /internal/auth?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Forwarded-Uri: /a?v=3\r\nCookie: a=b\r\n\r\n"
	if err != nil || string(got) != want {
		t.Errorf("%q, %v", got, err)
	}
	if _, err := encodeRequest("GET", target, []string{"no colon"}); err == nil {
		t.Error("a header without a colon was accepted")
	}
}

func TestParseResponse(t *testing.T) {
	for _, c := range []struct {
		name, raw string
		want      response
	}{
		{"incomplete headers", "HTTP/1.1 200 OK\r\nContent-Len", response{}},
		{"empty body", "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n", response{status: 200, size: 38, keepAlive: true}},
		{"incomplete body", "HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nabc", response{status: 404, keepAlive: true}},
		{"body", "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nabc", response{status: 404, size: 48, keepAlive: true}},
		{"close", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", response{status: 200, size: 57}},
		{"1.0", "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", response{status: 200, size: 38}},
		{"no content", "HTTP/1.1 204 No Content\r\n\r\n", response{status: 204, size: 27, keepAlive: true}},
		{"chunked", "HTTP/1.1 503 x\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\n\r\n", response{status: 503, size: 63, keepAlive: true}},
		{"chunked, incomplete", "HTTP/1.1 503 x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n", response{status: 503, keepAlive: true}},
		{"until close", "HTTP/1.1 200 OK\r\n\r\nab", response{status: 200, untilClose: true}},
	} {
		if got, err := parseResponse([]byte(c.raw), false); err != nil || got != c.want {
			t.Errorf("%s: %+v, %v; want %+v", c.name, got, err, c.want)
		}
	}
	for _, raw := range []string{"HTTP/2 200\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nbad\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"} {
		if _, err := parseResponse([]byte(raw), false); err == nil {
			t.Errorf("%q was accepted", raw)
		}
	}
}

// readRequest reads a request's header lines (the generator sends no body).
func readRequest(reader *bufio.Reader) error {
	for {
		line, err := reader.ReadString('\n')
		if err != nil || line == "\r\n" {
			return err
		}
	}
}

// serve answers every request on a local listener with 200 and an empty body, stalling before the
// answer to request number stallAt (counted across connections, from 1) for stall.
func serve(t *testing.T, stallAt int64, stall time.Duration) string {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { listener.Close() })
	var count atomic.Int64
	go func() {
		for {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				reader := bufio.NewReader(conn)
				for readRequest(reader) == nil {
					if count.Add(1) == stallAt {
						time.Sleep(stall)
					}
					io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
				}
			}()
		}
	}()
	return fmt.Sprintf("http://%s/internal/auth", listener.Addr())
}

func TestAStallIsChargedToEveryRequestDueDuringIt(t *testing.T) {
	// one connection at 1,000 req/s: the server holds request 100 for 200 ms, so the ~200 requests due
	// meanwhile wait for the connection; each is charged from its due time (a generator that timed from
	// the actual send would see one slow request)
	res, err := load(serve(t, 100, 200*ms), "GET", nil, 1000, time.Second, 1, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 1000 || res.Answered != 1000 || res.Status["200"] != 1000 {
		t.Fatalf("sent %d, answered %d, status %v", res.Sent, res.Answered, res.Status)
	}
	if res.LatencyMs.Max < 200 || res.LatencyMs.P90 < 50 {
		t.Errorf("the stall was not charged: %+v", res.LatencyMs)
	}
	if res.ShortOfTarget {
		t.Errorf("short of the target after catching up: %v req/s", res.AchievedRate)
	}
}

func TestNoStallNoLatency(t *testing.T) {
	res, err := load(serve(t, 0, 0), "GET", []string{"X-Forwarded-Host: demo.localhost"}, 2000, 500*ms, 8, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if res.Answered != 1000 || res.LatencyMs.P50 > 5 || res.ShortOfTarget {
		t.Errorf("%+v", res)
	}
}

func TestConnectionCloseIsFollowed(t *testing.T) {
	// an answer with "Connection: close", as nginx sends after keepalive_requests: the generator dials
	// again instead of counting an error
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	go func() {
		for {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				if readRequest(bufio.NewReader(conn)) == nil {
					io.WriteString(conn, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
				}
			}()
		}
	}()
	res, err := load("http://"+listener.Addr().String()+"/", "GET", nil, 500, 200*ms, 2, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if res.Answered != 100 || res.Errors["connection"] != 0 || res.Errors["timeout"] != 0 {
		t.Errorf("answered %d, errors %v", res.Answered, res.Errors)
	}
}
