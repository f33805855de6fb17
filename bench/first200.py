#!/usr/bin/env python3
"""Polls the webhook until it answers 200 to the given body; prints milliseconds since the given start
(a time.time_ns() value). Cheap between attempts, so it does not steal the CPU the starting JVM needs."""
import sys, time, urllib.request, urllib.error

port, body_file, started_ns, pid = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
body = open(body_file, 'rb').read()
deadline = started_ns + 60_000_000_000
status = None
while time.time_ns() < deadline:
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/validatejwt", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:
            status = response.status
    except urllib.error.HTTPError as e:
        status = e.code
    except OSError:
        status = None
    if status == 200:
        print((time.time_ns() - started_ns) // 1_000_000)
        sys.exit(0)
    try:
        import os
        os.kill(pid, 0)
    except OSError:
        break
    time.sleep(0.005)
print(f"no 200 within 60 s (last status {status})", file=sys.stderr)
sys.exit(1)
