#!/usr/bin/env python3
"""first200.py PORT BODY_FILE GO_FILE: measures process launch to the first 200 allocation.

Prints "ready" once its imports are done (so that Python's own start-up is not measured), then waits for GO_FILE
to hold "<launch time as time.time_ns()> <pid>", written by the script right after it launched the webhook; polls
the webhook until it answers 200 to the body and prints the milliseconds since the launch. Cheap between
attempts, so it does not steal the CPU the starting process needs."""
import http.client, os, sys, time

port, body_file, go_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
body = open(body_file, 'rb').read()


def post():
    """The status of one allocation request, or None when nothing listens yet."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("POST", "/api/validatejwt", body, {"Content-Type": "application/json"})
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


post()  # the first call pays for lazy set-up in the HTTP client: before the launch, not after
print("ready", flush=True)
while not os.path.exists(go_file):
    time.sleep(0.0005)
started_ns, pid = (int(value) for value in open(go_file).read().split())
deadline = started_ns + 60_000_000_000
status = None
while time.time_ns() < deadline:
    status = post()
    if status == 200:
        print((time.time_ns() - started_ns) // 1_000_000, flush=True)
        sys.exit(0)
    try:
        os.kill(pid, 0)
    except OSError:
        break
    time.sleep(0.002)
print(f"no 200 within 60 s (last status {status})", file=sys.stderr)
sys.exit(1)
