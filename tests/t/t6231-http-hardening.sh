#!/bin/sh
# t6231 — the HTTP front door against smuggling, slow clients and odd bytes
# (issue 23, faults 2, 4, 5, 6), with raw sockets: conflicting Content-Length
# 400; HTTP/1.1 without Host 400; garbage 400 (a status, not a silent close);
# Transfer-Encoding other than chunked 501, both framings 400; the header
# limit covers the query string (414); %00 in a path or query 400, never the
# file; a client trickling its headers is cut after --timeout although never
# idle; connections beyond --max-connections-per-address get 503 while
# another address is served; beyond --max-connections new clients get 503.
. "$(dirname "$0")/lib.sh"
start_server --timeout 3 --max-connections 12 --max-connections-per-address 4

cat >"$TMP/raw.py" <<'PY'
import socket, sys, time
port = int(sys.argv[1])

def conn(src="127.0.0.1"):
    s = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(src, 0))
    return s

def status(raw, src="127.0.0.1"):
    s = conn(src)
    s.sendall(raw)
    data = b""
    try:
        while b"\r\n" not in data:
            d = s.recv(4096)
            if not d:
                break
            data += d
    except OSError:
        pass
    s.close()
    line = data.split(b"\r\n")[0].decode("latin-1")
    return line.split(" ")[1] if line.startswith("HTTP/") else "none"

def case(name, raw):
    print(name, status(raw))

case("cl-conflict", b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
     b"Content-Length: 2\r\nContent-Length: 30\r\nConnection: close\r\n\r\n{}")
case("cl-same", b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
case("no-host", b"GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n")
case("two-hosts", b"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n")
case("http10-no-host", b"GET /healthz HTTP/1.0\r\n\r\n")
case("garbage", b"HELLO\r\n\r\n")
case("garbage-binary", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n")
case("te-gzip", b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n")
case("te-gzip-chunked", b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n"
     b"Connection: close\r\n\r\n0\r\n\r\n")
case("te-and-cl", b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n"
     b"Connection: close\r\n\r\n0\r\n\r\n")
case("long-query", b"GET /healthz?a=" + b"x" * 30000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
case("short-query", b"GET /healthz?a=" + b"x" * 1000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
case("nul-static", b"GET /static/style.css%00.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
case("nul-query", b"GET /vulns?q=a%00b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
case("static", b"GET /static/style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")

# a trickle: one header line a second, never idle, never finished
t = conn()
t.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
start, cut = time.time(), "not-cut"
while time.time() - start < 40:
    try:
        t.sendall(b"X-Slow: 1\r\n")
        t.settimeout(1)
        if t.recv(100) == b"":
            cut = "cut"
            break
    except socket.timeout:
        pass
    except OSError:
        cut = "cut"
        break
print("trickle", cut)

# per address: 4 open connections from 127.0.0.1; the 5th gets 503, 127.0.0.2 is served
held = [conn() for _ in range(4)]
time.sleep(0.3)
print("fifth-same-address", status(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
print("other-address", status(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "127.0.0.2"))
# all: 12 open connections over several addresses; the next one gets 503 (not silence)
held += [conn("127.0.0.%d" % (3 + i // 4)) for i in range(8)]
time.sleep(0.3)
print("beyond-max", status(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "127.0.0.9"))
for s in held:
    s.close()
time.sleep(0.5)
print("after", status(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "127.0.0.9"))
PY
out=$(python3 "$TMP/raw.py" "$PORT" 2>&1)
printf '%s\n' "$out" | sed 's/^/# /'
got() { printf '%s\n' "$out" | sed -n "s/^$1 //p"; }
assert_eq 400 "$(got cl-conflict)" "Content-Length headers that disagree: 400"
assert_eq 200 "$(got cl-same)" "Content-Length repeated with the same value is read"
assert_eq 400 "$(got no-host)" "HTTP/1.1 without Host: 400"
assert_eq 400 "$(got two-hosts)" "two Host headers: 400"
assert_eq 200 "$(got http10-no-host)" "HTTP/1.0 needs no Host"
assert_eq 400 "$(got garbage)" "garbage gets a 400 status"
assert_eq 400 "$(got garbage-binary)" "binary garbage (TLS to a plain port) gets a 400 status"
assert_eq 501 "$(got te-gzip)" "Transfer-Encoding: gzip: 501"
assert_eq 501 "$(got te-gzip-chunked)" "Transfer-Encoding: gzip, chunked: 501"
assert_eq 400 "$(got te-and-cl)" "Transfer-Encoding and Content-Length together: 400"
assert_eq 414 "$(got long-query)" "a 30 KB query string is beyond the 16 KiB header limit: 414"
assert_eq 200 "$(got short-query)" "a 1 KB query string is served"
assert_eq 400 "$(got nul-static)" "%00 in a path never serves the file"
assert_eq 400 "$(got nul-query)" "%00 in a query: 400"
assert_eq 200 "$(got static)" "the file itself is served"
assert_eq cut "$(got trickle)" "a client trickling its headers is cut after --timeout"
assert_eq 503 "$(got fifth-same-address)" "connections beyond the per-address limit: 503"
assert_eq 200 "$(got other-address)" "another address is served meanwhile"
assert_eq 503 "$(got beyond-max)" "beyond --max-connections a new client gets 503, not silence"
assert_eq 200 "$(got after)" "served again once the connections close"
assert_contains "$(cat "$SERVER_LOG")" "did not send their request headers within 3 s" "the cut is logged"
stop_server
assert_eq 0 "$SERVER_RC" "clean shutdown"
done_testing
