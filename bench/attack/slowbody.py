#!/usr/bin/env python3
"""Slow-body clients against a webhook on loopback, for the hardening checks in docs/security.md.

  slowbody.py PORT CONNECTIONS SECONDS [--code KEY] [--idle] [--management-port PORT]

Each connection declares a 64,000-byte JSON body, sends all but the last 1,000 bytes at once, then one byte
every 5 s (or, with --idle, connects and sends nothing). Every second it prints how many connections are still
open and how long /q/health/ready took to answer on the management port (default 9000). Stops by itself after
SECONDS; loopback only.
"""
import socket, sys, time, http.client

port, count, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
code = sys.argv[sys.argv.index("--code") + 1] if "--code" in sys.argv else None
idle = "--idle" in sys.argv
management_port = int(sys.argv[sys.argv.index("--management-port") + 1]) if "--management-port" in sys.argv else 9000
length = 64_000
path = "/api/validatejwt" + (f"?code={code}" if code else "")
head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length}\r\n\r\n").encode()
body = b'{"deviceRuntimeContext":{"registrationId":"' + b"a" * (length - 46) + b'"}}'
assert len(body) == length

socks, sent = [], []
for i in range(count):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError as e:
        print(f"connection {i} refused: {e}", flush=True)
        break
    s.setblocking(False)
    if not idle:
        try:
            s.sendall(head + body[: length - 1000])
        except (BlockingIOError, OSError):
            pass
    socks.append(s)
    sent.append(length - 1000)

def ready_ms():
    start = time.monotonic()
    try:
        c = http.client.HTTPConnection("127.0.0.1", management_port, timeout=10)
        c.request("GET", "/q/health/ready")
        status = c.getresponse().status
        c.close()
        return status, (time.monotonic() - start) * 1000
    except OSError as e:
        return str(e), (time.monotonic() - start) * 1000

end = time.monotonic() + seconds
last_trickle = time.monotonic()
while time.monotonic() < end:
    time.sleep(1)
    if not idle and time.monotonic() - last_trickle >= 5:
        last_trickle = time.monotonic()
        for i, s in enumerate(socks):
            if s is not None and sent[i] < length:
                try:
                    s.send(body[sent[i]: sent[i] + 1])
                    sent[i] += 1
                except (BlockingIOError, OSError):
                    pass
    open_count = 0
    for i, s in enumerate(socks):
        if s is None:
            continue
        try:
            data = s.recv(4096)
            if data == b"":
                s.close(); socks[i] = None; continue
        except BlockingIOError:
            pass
        except OSError:
            s.close(); socks[i] = None; continue
        open_count += 1
    status, ms = ready_ms()
    print(f"t={seconds - (end - time.monotonic()):5.1f}s open={open_count} ready={status} in {ms:.0f} ms", flush=True)
for s in socks:
    if s is not None:
        s.close()
