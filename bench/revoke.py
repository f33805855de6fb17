#!/usr/bin/env python3
"""revoke.py PORT BODY_FILE REGISTRY: measures how long a revocation takes to reach the webhook.

Writes a new version of REGISTRY in which the first device is blocked (a temporary file renamed over it, as the
device tool writes), then polls the webhook with BODY_FILE (that device's allocation request) until it is refused
with 403, and prints the milliseconds from the rename to the first 403."""
import http.client, os, sys, time

port, body_file, registry = int(sys.argv[1]), sys.argv[2], sys.argv[3]
body = open(body_file, 'rb').read()


def post():
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/api/validatejwt", body, {"Content-Type": "application/json"})
        return connection.getresponse().status
    finally:
        connection.close()


if post() != 200:
    sys.exit("the device is not admitted before the change")
with open(registry, 'rb') as f:
    text = f.read()
blocked = text.replace(b'"blocked":false', b'"blocked":true', 1)
if blocked == text:
    sys.exit("no device to block in " + registry)
with open(registry + '.tmp', 'wb') as f:
    f.write(blocked)
os.replace(registry + '.tmp', registry)
written = time.monotonic_ns()
while post() != 403:
    if time.monotonic_ns() - written > 120e9:
        sys.exit("not refused within 120 s")
    time.sleep(0.01)
print((time.monotonic_ns() - written) // 1_000_000)
