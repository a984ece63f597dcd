package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
)

// encodeRequest is the request's bytes, built once: every send writes the same slice.
func encodeRequest(method string, target *url.URL, headers []string) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, target.RequestURI(), target.Host)
	for _, header := range headers {
		name, value, ok := bytes.Cut([]byte(header), []byte(":"))
		if !ok || len(bytes.TrimSpace(name)) == 0 {
			return nil, fmt.Errorf("header %q: want 'Name: value'", header)
		}
		fmt.Fprintf(&b, "%s: %s\r\n", bytes.TrimSpace(name), bytes.TrimSpace(value))
	}
	b.WriteString("\r\n")
	return b.Bytes(), nil
}

var errMalformed = errors.New("malformed HTTP response")

// response is what parseResponse found at the start of the bytes received so far.
type response struct {
	status     int
	size       int  // bytes of the whole answer; 0 while incomplete
	keepAlive  bool // the connection can carry the next request
	untilClose bool // no length given: the body ends with the connection
}

// parseResponse looks for one complete HTTP/1.x answer at the start of b (the bytes received so far on
// a connection with one request in flight). It allocates nothing, so it can run on every read.
func parseResponse(b []byte, noBody bool) (response, error) {
	headerEnd := bytes.Index(b, []byte("\r\n\r\n"))
	if headerEnd < 0 {
		return response{}, nil
	}
	lines := b[:headerEnd+2]
	// "HTTP/1.1 200 OK\r\n"
	line, lines, _ := bytes.Cut(lines, []byte("\r\n"))
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return response{}, errMalformed
	}
	status, ok := atoi(line[9:12], 10)
	if !ok {
		return response{}, errMalformed
	}
	r := response{status: status, keepAlive: line[7] == '1'} // 1.1 keeps the connection unless told; 1.0 not
	contentLength, chunked := -1, false
	for len(lines) > 0 {
		line, lines, _ = bytes.Cut(lines, []byte("\r\n"))
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return response{}, errMalformed
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if contentLength, ok = atoi(value, 10); !ok {
				return response{}, errMalformed
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			if bytes.EqualFold(value, []byte("close")) {
				r.keepAlive = false
			} else if bytes.EqualFold(value, []byte("keep-alive")) {
				r.keepAlive = true
			}
		}
	}
	bodyStart := headerEnd + 4
	switch {
	case noBody || status/100 == 1 || status == 204 || status == 304:
		r.size = bodyStart
	case chunked:
		size, err := chunkedEnd(b, bodyStart)
		if err != nil {
			return response{}, err
		}
		r.size = size
	case contentLength >= 0:
		if len(b) >= bodyStart+contentLength {
			r.size = bodyStart + contentLength
		}
	default:
		r.untilClose, r.keepAlive = true, false
	}
	return r, nil
}

// chunkedEnd is where a chunked body starting at start ends in b (after its trailers), 0 if not yet.
func chunkedEnd(b []byte, start int) (int, error) {
	at := start
	for {
		lineEnd := bytes.Index(b[at:], []byte("\r\n"))
		if lineEnd < 0 {
			return 0, nil
		}
		sizeText, _, _ := bytes.Cut(b[at:at+lineEnd], []byte(";")) // chunk extensions
		size, ok := atoi(bytes.TrimSpace(sizeText), 16)
		if !ok {
			return 0, errMalformed
		}
		at += lineEnd + 2
		if size == 0 {
			break
		}
		at += size + 2 // the chunk and its CRLF
		if at > len(b) {
			return 0, nil
		}
	}
	for { // trailers, up to the empty line
		lineEnd := bytes.Index(b[at:], []byte("\r\n"))
		if lineEnd < 0 {
			return 0, nil
		}
		at += lineEnd + 2
		if lineEnd == 0 {
			return at, nil
		}
	}
}

// atoi parses a non-negative number without allocating (strconv.Atoi needs a string).
func atoi(digits []byte, base int) (int, bool) {
	if len(digits) == 0 || len(digits) > 15 {
		return 0, false
	}
	n := 0
	for _, d := range digits {
		v := 255 // not a digit
		switch {
		case d >= '0' && d <= '9':
			v = int(d - '0')
		case d >= 'a' && d <= 'f':
			v = int(d-'a') + 10
		case d >= 'A' && d <= 'F':
			v = int(d-'A') + 10
		}
		if v >= base {
			return 0, false
		}
		n = n*base + v
	}
	return n, true
}
