"""Writes vectors.json: requests signed by the Python reference library, for PythonVectorTests.

Run in a virtualenv with `pip install http-message-signatures==3.0.0 requests`:
    python generate.py > vectors.json
Keys are generated on each run; the PEMs of their public halves go into the file.
"""

import datetime
import json
from importlib.metadata import version

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from http_message_signatures import HTTPMessageSigner, HTTPSignatureKeyResolver, algorithms

CREATED = 1767225600  # 2026-01-01T00:00:00Z


class Keys(HTTPSignatureKeyResolver):
    def __init__(self):
        self.private = {"peer-ed": ed25519.Ed25519PrivateKey.generate(),
                        "peer-rsa": rsa.generate_private_key(public_exponent=65537, key_size=3072)}

    def resolve_private_key(self, key_id):
        return self.private[key_id]

    def resolve_public_key(self, key_id):
        return self.private[key_id].public_key()

    def pem(self, key_id):
        return self.resolve_public_key(key_id).public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def vector(keys, name, algorithm, key_id, method, url, headers, components, body=None, nonce=None, expires=None,
           label=None):
    request = requests.Request(method, url, headers=headers, data=body).prepare()
    signer = HTTPMessageSigner(signature_algorithm=algorithm, key_resolver=keys)
    arguments = dict(key_id=key_id, covered_component_ids=components,
                     created=datetime.datetime.fromtimestamp(CREATED, datetime.timezone.utc), nonce=nonce,
                     body=None if body is None else body.encode())
    if expires is not None:
        arguments["expires"] = datetime.datetime.fromtimestamp(expires, datetime.timezone.utc)
    if label is not None:
        arguments["label"] = label
    signer.sign(request, **arguments)
    return {"name": name, "algorithm": algorithm.algorithm_id, "keyid": key_id, "public_key_pem": keys.pem(key_id),
            "method": request.method, "url": request.url, "headers": [[k, v] for k, v in request.headers.items()],
            "created": CREATED, "expires": expires, "nonce": nonce}


def main():
    keys = Keys()
    vectors = [
        vector(keys, "ed25519 over the minimum components, a nonce and an expiry", algorithms.ED25519, "peer-ed",
               "GET", "https://demo.peer.example/private/report?b=2&a=1", {"Date": "Thu, 01 Jan 2026 00:00:00 GMT"},
               ("@method", "@authority", "@target-uri", "@path", "@query", "date"), nonce="n-0001",
               expires=CREATED + 300),
        vector(keys, "rsa-pss-sha512 over the target pieces, a query parameter and the content digest",
               algorithms.RSA_PSS_SHA512, "peer-rsa", "POST",
               "https://app.example.org/api/items?id=42&name=caf%C3%A9+au+lait",
               {"Content-Type": "application/json"},
               ("@method", "@authority", "@target-uri", "@scheme", "@request-target", '"@query-param";name="name"',
                "content-type", "content-digest"), body='{"hello": "world"}', nonce="n-0002"),
        vector(keys, "ed25519 over structured fields with sf and key", algorithms.ED25519, "peer-ed", "PUT",
               "https://files.peer.example/a/b", {"Content-Type": "text/plain"},
               ("@method", "@authority", "@target-uri", '"content-digest";sf', '"content-digest";key="sha-256"'),
               body="some text", label="peer"),
    ]
    print(json.dumps({"library": "http-message-signatures", "version": version("http-message-signatures"),
                      "vectors": vectors}, indent=2))


main()
