"""A peer built on the Python reference implementation of RFC 9421 (http-message-signatures, the library the
original platform uses), for the end-to-end tests (PeeringEndToEndIntegrationTests):

    python reference_peer.py send KEY_PEM ALG KEYID URL CONNECT_TO [--body TEXT] [--times N]
        signs one request for URL (covering @method, @authority and @target-uri, with created and a random
        nonce, and content-digest with a body) and sends it N times (a replay after the first) to
        CONNECT_TO (host:port, the proxy), with URL's authority as the Host header; prints one JSON line:
        [{"status": ..., "body": ...}, ...]

    python reference_peer.py serve PORT KEYID PUBLIC_KEY_PEM
        an HTTP server on 127.0.0.1:PORT that verifies every request with the library and the given key:
        200 and what was verified as JSON, else 401 and why (a nonce is accepted once); prints
        "listening" once it accepts connections

ALG is ed25519 or rsa-pss-sha512; KEY_PEM a PKCS#8 private key, PUBLIC_KEY_PEM a SubjectPublicKeyInfo.
"""
import datetime
import http.client
import json
import secrets
import sys
import threading
import types
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key
from http_message_signatures import HTTPMessageSigner, HTTPMessageVerifier, HTTPSignatureKeyResolver, algorithms
from http_message_signatures.exceptions import HTTPMessageSignaturesException

ALGORITHMS = {"ed25519": algorithms.ED25519, "rsa-pss-sha512": algorithms.RSA_PSS_SHA512}
COMPONENTS = ("@method", "@authority", "@target-uri")


class Keys(HTTPSignatureKeyResolver):
    def __init__(self, key_id, private_key=None, public_key=None):
        self.key_id, self.private_key, self.public_key = key_id, private_key, public_key

    def resolve_private_key(self, key_id):
        return self.private_key if key_id == self.key_id else None

    def resolve_public_key(self, key_id):
        return self.public_key if key_id == self.key_id else None


def send(key_pem, alg, key_id, url, connect_to, body=None, times=1):
    with open(key_pem, "rb") as file:
        key = load_pem_private_key(file.read(), password=None)
    message = types.SimpleNamespace(method="POST" if body is not None else "GET", url=url, headers={})
    signer = HTTPMessageSigner(signature_algorithm=ALGORITHMS[alg], key_resolver=Keys(key_id, private_key=key))
    signer.sign(message, key_id=key_id, created=datetime.datetime.now(datetime.timezone.utc),
                nonce=secrets.token_urlsafe(16), covered_component_ids=COMPONENTS,
                body=None if body is None else body.encode())
    target = urllib.parse.urlsplit(url)
    headers = dict(message.headers, Host=target.netloc)
    answers = []
    for _ in range(times):
        host, port = connect_to.rsplit(":", 1)
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            connection.request(message.method, target.path + ("?" + target.query if target.query else ""),
                               body=None if body is None else body.encode(), headers=headers)
            response = connection.getresponse()
            answers.append({"status": response.status, "body": response.read().decode("utf-8", "replace")})
        finally:
            connection.close()
    print(json.dumps(answers))


def serve(port, key_id, public_key_pem):
    with open(public_key_pem, "rb") as file:
        key = load_pem_public_key(file.read())
    algorithm = algorithms.ED25519 if key.__class__.__name__.startswith("Ed25519") else algorithms.RSA_PSS_SHA512
    verifier = HTTPMessageVerifier(signature_algorithm=algorithm, key_resolver=Keys(key_id, public_key=key))
    seen_nonces = set()
    lock = threading.Lock()

    class Verify(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def verify(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            message = types.SimpleNamespace(method=self.command, url="http://" + self.headers.get("Host", "") + self.path,
                                            headers={name: value for name, value in self.headers.items()})
            try:
                results = verifier.verify(message, max_age=datetime.timedelta(minutes=5), require_components=COMPONENTS,
                                          body=body)
                result = results[0]
                with lock:
                    if result.nonce is None or result.nonce in seen_nonces:
                        raise HTTPMessageSignaturesException("no nonce, or a nonce seen before")
                    seen_nonces.add(result.nonce)
                status, answer = 200, {"verified": True, "label": result.label, "keyid": result.parameters["keyid"],
                                       "alg": result.parameters.get("alg"), "covered": result.covered_components,
                                       "body_verified": result.body is not None}
            except HTTPMessageSignaturesException as error:
                status, answer = 401, {"verified": False, "error": "%s: %s" % (type(error).__name__, error)}
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = verify

        def log_message(self, format, *args):
            pass

    ThreadingHTTPServer.daemon_threads = True
    server = ThreadingHTTPServer(("127.0.0.1", int(port)), Verify)
    print("listening", flush=True)
    server.serve_forever()


def main(arguments):
    if arguments[:1] == ["send"] and len(arguments) >= 6:
        options = dict(zip(arguments[6::2], arguments[7::2]))
        send(*arguments[1:6], body=options.get("--body"), times=int(options.get("--times", "1")))
    elif arguments[:1] == ["serve"] and len(arguments) == 4:
        serve(*arguments[1:4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
