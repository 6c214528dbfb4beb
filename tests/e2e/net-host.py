#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The host's side of the network scenarios (net-user, net-bench).

  serve PORT OUT SECONDS      listen on 127.0.0.1:PORT ("listening=PORT"
                              in OUT once bound); for each connection read
                              a line and answer "host-saw LINE"; the first
                              non-empty line ends it (got=, peer= in OUT)
  ask PORT TOKEN OUT SECONDS  connect to 127.0.0.1:PORT, send TOKEN and a
                              newline, read one line: reply= and ms=
                              (connect to answer) in OUT, then close
  sink PORT BYTES COUNT OUT SECONDS
                              listen on 127.0.0.1:PORT; COUNT times: take a
                              connection, read BYTES from it, record
                              round=N bytes= secs= (first byte to the
                              last) mib_s=
  push PORT BYTES OUT SECONDS connect to 127.0.0.1:PORT, send BYTES and
                              shut down the sending side, read the peer's
                              answer line: bytes= secs= (connect to the
                              answer) mib_s= reply=
OUT is appended to, a KEY=VALUE per line.
"""
import socket
import sys
import time

CHUNK = 64 * 1024


def record(path, **kv):
    with open(path, "a") as f:
        for k, v in kv.items():
            f.write("%s=%s\n" % (k, str(v).replace("\n", "|")))


def listener(port, out):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(4)
    record(out, listening=port)
    return srv


def serve(port, out, secs):
    end = time.monotonic() + secs
    srv = listener(port, out)
    while time.monotonic() < end:
        srv.settimeout(end - time.monotonic())
        try:
            conn, peer = srv.accept()
        except (socket.timeout, ValueError):
            break
        line = ""
        with conn:
            conn.settimeout(20)
            f = conn.makefile("rwb")
            try:
                line = f.readline().decode("utf-8", "replace").strip()
                if line:
                    f.write(b"host-saw " + line.encode() + b"\n")
                    f.flush()
            except OSError as e:
                record(out, error=e)
                continue
            finally:
                f.close()
        record(out, connection="%s:%d" % peer, line=line)
        if line:
            record(out, got=line, peer="%s:%d" % peer)
            return
    record(out, error="no line in %d s" % secs)


def connect(port, out, secs):
    """A connection to 127.0.0.1:PORT, or None with error= in OUT."""
    try:
        conn = socket.create_connection(("127.0.0.1", port), timeout=secs)
    except OSError as e:
        record(out, error="connect: %s" % e)
        return None
    conn.settimeout(secs)
    return conn


def ask(port, token, out, secs):
    start = time.monotonic()
    conn = connect(port, out, secs)
    if conn is None:
        return
    with conn:
        f = conn.makefile("rb")
        try:
            conn.sendall(token.encode() + b"\n")
            line = f.readline().decode("utf-8", "replace").rstrip("\r\n")
            # Written before the close, which lets the guest go on.
            record(out, reply=line,
                   ms="%.1f" % ((time.monotonic() - start) * 1000))
        except OSError as e:
            record(out, error=e)
        finally:
            f.close()


def rate(nbytes, secs):
    return "%.2f" % (nbytes / (1 << 20) / secs) if secs > 0 else "0"


def sink(port, nbytes, count, out, secs):
    end = time.monotonic() + secs
    srv = listener(port, out)
    for n in range(1, count + 1):
        srv.settimeout(max(end - time.monotonic(), 0.1))
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            record(out, error="round %d: no connection" % n)
            return
        got, first = 0, None
        with conn:
            conn.settimeout(60)
            try:
                while got < nbytes:
                    data = conn.recv(CHUNK)
                    if not data:
                        break
                    if first is None:
                        first = time.monotonic()
                    got += len(data)
            except OSError as e:
                record(out, error="round %d: %s" % (n, e))
        took = time.monotonic() - first if first else 0
        record(out, round=n, bytes=got, secs="%.3f" % took,
               mib_s=rate(got, took))


def push(port, nbytes, out, secs):
    buf = bytes(CHUNK)
    start = time.monotonic()
    conn = connect(port, out, secs)
    if conn is None:
        return
    with conn:
        sent = 0
        try:
            while sent < nbytes:
                sent += conn.send(buf[:min(CHUNK, nbytes - sent)])
            conn.shutdown(socket.SHUT_WR)
            reply = conn.makefile("rb").readline().decode(
                "utf-8", "replace").strip()
        except OSError as e:
            record(out, error=e)
            return
    took = time.monotonic() - start
    record(out, bytes=sent, secs="%.3f" % took, mib_s=rate(sent, took),
           reply=reply)


def main():
    mode, a = sys.argv[1], sys.argv[2:]
    if mode == "serve":
        serve(int(a[0]), a[1], float(a[2]))
    elif mode == "ask":
        ask(int(a[0]), a[1], a[2], float(a[3]))
    elif mode == "sink":
        sink(int(a[0]), int(a[1]), int(a[2]), a[3], float(a[4]))
    elif mode == "push":
        push(int(a[0]), int(a[1]), a[2], float(a[3]))
    else:
        sys.exit("net-host.py: unknown mode %s" % mode)


if __name__ == "__main__":
    main()
