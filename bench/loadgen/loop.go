//go:build linux

package main

import (
	"errors"
	"fmt"
	"runtime"
	"syscall"
	"time"
	"unsafe"
)

// The generator is one thread running one epoll loop over non-blocking sockets, as wrk2 is: per request
// one write, one read and a share of one epoll wait, nothing else. Go's own network poller would add a
// failed read, a goroutine switch and timer work per request, and its timers wake up to 1 ms late when
// the process is idle (netpoll rounds sub-millisecond waits up), which the schedule would then charge
// to the server. epoll_pwait2 takes its timeout in nanoseconds, so sends leave within microseconds of
// their due time.

const (
	sysEpollPwait2  = 441 // the same number on every Linux architecture (5.11 and later)
	prSetTimerSlack = 29
	checkEvery      = 10 * time.Millisecond // timeouts and redials
	redialAfter     = 10 * time.Millisecond // after a failed connect
	responseLimit   = 64 << 10
)

// lateness tracks how late the loop woke from timed waits. A wake-up far behind its deadline means
// the generator's thread did not run (its core busy with something else, or the machine paused it):
// every request due meanwhile is charged for it, so the report shows it apart from the server's share.
type lateness struct {
	waits int64
	late  int64         // woke more than lateWakeup behind
	max   time.Duration // the latest
}

const lateWakeup = 200 * time.Microsecond

func (w *lateness) note(late time.Duration) {
	w.waits++
	w.max = max(w.max, late)
	if late > lateWakeup {
		w.late++
	}
}

type connState int

const (
	down connState = iota // closed; redialled at retryAt
	connecting
	idle
	busy
)

type conn struct {
	index      int
	fd         int
	generation int32 // tags epoll events: a closed socket's late event must not touch its successor
	state      connState
	since      time.Duration // when the state began (connecting) or the request left (busy)
	retryAt    time.Duration
	wantWrite  bool // the request did not fit the socket buffer: EPOLLOUT is on

	request int64 // in flight
	due     time.Duration
	written int
	buf     []byte
	filled  int
}

type loop struct {
	schedule
	rec           *recorder
	request       []byte
	noBody        bool
	timeout       time.Duration
	family        int
	addr          syscall.Sockaddr
	start         time.Time
	epfd          int
	pwait2        bool
	conns         []*conn
	idle          []*conn // free connections, used last-in first-out (the warmest first)
	inFlight      int
	next          int64 // the next request to send
	connectErrors int64
	wakeups       lateness // of the waits that ran to their timeout: the generator's own delays
	events        [256]syscall.EpollEvent
}

func (l *loop) now() time.Duration { return time.Since(l.start) } // monotonic

// run opens the connections, then sends the schedule until every request is answered or stopAt. It
// holds its OS thread: the timer slack it sets is per thread.
func (l *loop) run(connections int, stopAt time.Duration) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// hrtimers of this thread fire on time instead of up to 50 µs late (the default slack)
	syscall.RawSyscall(syscall.SYS_PRCTL, prSetTimerSlack, 1, 0)
	var err error
	if l.epfd, err = syscall.EpollCreate1(syscall.EPOLL_CLOEXEC); err != nil {
		return err
	}
	defer syscall.Close(l.epfd)
	l.pwait2 = true

	// every connection is open before the clock starts: the handshakes are not part of the schedule
	l.start = time.Now()
	for index := range connections {
		c := &conn{index: index, fd: -1, buf: make([]byte, responseLimit)}
		l.conns = append(l.conns, c)
		l.dial(c, 0)
	}
	for len(l.idle) < connections {
		now := l.now()
		if now > l.timeout || l.connectErrors > 0 {
			return fmt.Errorf("%d of %d connections open after %v (%d failed)", len(l.idle), connections, now,
				l.connectErrors)
		}
		l.handle(l.wait(checkEvery), l.now())
	}

	l.start = time.Now()
	nextCheck := checkEvery
	for {
		now := l.now()
		// every request that is due leaves now, on a free connection: none is skipped, however late
		for l.next < l.total && len(l.idle) > 0 && now < stopAt {
			due := l.due(l.next)
			if due > now {
				break
			}
			c := l.idle[len(l.idle)-1]
			l.idle = l.idle[:len(l.idle)-1]
			l.send(c, l.next, due, now)
			l.next++
		}
		if l.next >= l.total && l.inFlight == 0 {
			break
		}
		if now >= stopAt { // what is still in flight counts as timed out, the rest as unsent
			for _, c := range l.conns {
				if c.state == busy {
					l.fail(c, timedOut, now)
				}
			}
			break
		}
		if now >= nextCheck {
			l.check(now)
			nextCheck = now + checkEvery
		}
		deadline := nextCheck
		if l.next < l.total && len(l.idle) > 0 {
			deadline = min(deadline, l.due(l.next))
		}
		n := l.wait(deadline - l.now())
		woke := l.now()
		if n == 0 {
			l.wakeups.note(woke - deadline)
		}
		// Every answer in this batch arrived before the wait returned: timing them all at its return
		// charges each the loop's own delay, never less than the server's.
		l.handle(n, woke)
	}
	for _, c := range l.conns {
		l.close(c)
	}
	return nil
}

// wait blocks until an event or for d, and returns the number of events.
func (l *loop) wait(d time.Duration) int {
	d = max(d, 0)
	if l.pwait2 {
		timeout := syscall.NsecToTimespec(int64(d))
		n, _, errno := syscall.Syscall6(sysEpollPwait2, uintptr(l.epfd), uintptr(unsafe.Pointer(&l.events[0])),
			uintptr(len(l.events)), uintptr(unsafe.Pointer(&timeout)), 0, 0)
		if errno != syscall.ENOSYS {
			if errno != 0 {
				return 0 // EINTR
			}
			return int(n)
		}
		l.pwait2 = false // a kernel before 5.11: millisecond waits, and polling below a millisecond
	}
	n, err := syscall.EpollWait(l.epfd, l.events[:], int(d/time.Millisecond))
	if err != nil {
		return 0
	}
	return n
}

func (l *loop) handle(n int, now time.Duration) {
	for _, event := range l.events[:n] {
		c := l.conns[event.Fd]
		if event.Pad != c.generation || c.fd < 0 {
			continue // a socket closed earlier in this batch
		}
		switch {
		case c.state == connecting:
			l.connected(c, now)
		case event.Events&syscall.EPOLLOUT != 0 && c.wantWrite:
			l.write(c, now)
		default:
			l.read(c, now)
		}
	}
}

func (l *loop) dial(c *conn, now time.Duration) {
	fd, err := syscall.Socket(l.family, syscall.SOCK_STREAM|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		l.connectFailed(c, now)
		return
	}
	c.fd, c.generation, c.state, c.since, c.wantWrite = fd, c.generation+1, connecting, now, false
	_ = syscall.SetsockoptInt(fd, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1) // requests are one write
	if err := syscall.Connect(fd, l.addr); err != nil && !errors.Is(err, syscall.EINPROGRESS) {
		l.connectFailed(c, now)
		return
	}
	l.control(c, syscall.EPOLL_CTL_ADD, syscall.EPOLLOUT)
}

func (l *loop) connected(c *conn, now time.Duration) {
	if code, err := syscall.GetsockoptInt(c.fd, syscall.SOL_SOCKET, syscall.SO_ERROR); err != nil || code != 0 {
		l.connectFailed(c, now)
		return
	}
	l.control(c, syscall.EPOLL_CTL_MOD, syscall.EPOLLIN)
	c.state = idle
	l.idle = append(l.idle, c)
}

func (l *loop) connectFailed(c *conn, now time.Duration) {
	l.connectErrors++
	l.close(c)
	c.retryAt = now + redialAfter
}

func (l *loop) control(c *conn, op int, events uint32) {
	event := syscall.EpollEvent{Events: events, Fd: int32(c.index), Pad: c.generation}
	if err := syscall.EpollCtl(l.epfd, op, c.fd, &event); err != nil {
		panic(fmt.Sprintf("epoll_ctl: %v", err)) // only a bug gets here
	}
}

func (l *loop) close(c *conn) {
	if c.fd >= 0 {
		syscall.Close(c.fd) // also leaves the epoll set
		c.fd = -1
	}
	if c.state == idle {
		for i, free := range l.idle {
			if free == c {
				l.idle = append(l.idle[:i], l.idle[i+1:]...)
				break
			}
		}
	}
	c.state = down
}

func (l *loop) send(c *conn, i int64, due, now time.Duration) {
	c.state, c.request, c.due, c.since, c.written, c.filled = busy, i, due, now, 0, 0
	l.inFlight++
	l.rec.markSent(now)
	l.write(c, now)
}

func (l *loop) write(c *conn, now time.Duration) {
	n, err := syscall.Write(c.fd, l.request[c.written:])
	if errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EINTR) {
		n, err = 0, nil
	}
	if err != nil {
		l.fail(c, failed, now)
		return
	}
	c.written += n
	// rare: the socket buffer took part of the request; EPOLLOUT says when the rest fits
	switch done := c.written == len(l.request); {
	case !done && !c.wantWrite:
		c.wantWrite = true
		l.control(c, syscall.EPOLL_CTL_MOD, syscall.EPOLLIN|syscall.EPOLLOUT)
	case done && c.wantWrite:
		c.wantWrite = false
		l.control(c, syscall.EPOLL_CTL_MOD, syscall.EPOLLIN)
	}
}

func (l *loop) read(c *conn, now time.Duration) {
	n, err := syscall.Read(c.fd, c.buf[c.filled:])
	if errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EINTR) {
		return
	}
	if c.state != busy { // the server closed an idle connection, or sent what nobody asked for
		l.close(c)
		l.dial(c, now)
		return
	}
	if err != nil || n == 0 {
		if answer, _ := parseResponse(c.buf[:c.filled], l.noBody); err == nil && answer.untilClose {
			l.answered(c, answer.status, false, now) // the body ended with the connection
		} else {
			l.fail(c, failed, now)
		}
		return
	}
	c.filled += n
	answer, err := parseResponse(c.buf[:c.filled], l.noBody)
	switch {
	case err != nil:
		l.fail(c, failed, now)
	case answer.size > 0:
		// bytes beyond the answer were not asked for: the connection is not reused
		l.answered(c, answer.status, answer.keepAlive && answer.size == c.filled, now)
	case c.filled == len(c.buf):
		l.fail(c, failed, now) // larger than responseLimit
	}
}

func (l *loop) answered(c *conn, status int, keepAlive bool, now time.Duration) {
	l.rec.record(c.request, c.due, c.since, now, answered, status)
	l.inFlight--
	if keepAlive {
		c.state = idle
		l.idle = append(l.idle, c)
		return
	}
	l.close(c) // "Connection: close": nginx says it after keepalive_requests (1,000) on a connection
	l.dial(c, now)
}

// fail ends the request in flight, if any, and redials.
func (l *loop) fail(c *conn, what outcome, now time.Duration) {
	if c.state == busy {
		l.rec.record(c.request, c.due, c.since, now, what, 0)
		l.inFlight--
	}
	l.close(c)
	l.dial(c, now)
}

// check times out requests and connects, and redials connections whose connect failed.
func (l *loop) check(now time.Duration) {
	for _, c := range l.conns {
		switch {
		case c.state == busy && now-c.since > l.timeout:
			l.fail(c, timedOut, now)
		case c.state == connecting && now-c.since > l.timeout:
			l.connectFailed(c, now)
		case c.state == down && now >= c.retryAt:
			l.dial(c, now)
		}
	}
}
