"""The demo app of infra/local/cluster.sh: answers every request with what reached it, as JSON.

    python3 infra/local/demo-app.py PORT

{"method", "uri" (the raw request target), "host", "headers" (lower-case name -> values joined by
", "), "header_list" ([name, value] pairs as received, duplicates and spelling kept)}. The end-to-end
tests read it to see exactly which headers the proxy let through.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real apps behind the proxy do
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except ConnectionError:
            self.close_connection = True

    def echo(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))  # keeps the connection usable
        headers = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = headers[key] + ", " + value if key in headers else value
        body = json.dumps({
            "method": self.command,
            "uri": self.path,
            "host": self.headers.get("Host", ""),
            "headers": headers,
            "header_list": [[name, value] for name, value in self.headers.items()],
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = echo

    def log_message(self, format, *args):
        pass  # the proxy's access log has every request


if __name__ == "__main__":
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Echo).serve_forever()
