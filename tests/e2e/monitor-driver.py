#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The host's side of an e2e scenario's monitor steps (job.sh starts it
next to the VMM when the scenario has sc_steps).

It follows the guest's console (the boot log the VMM writes) and the
VMM's QMP socket.  When the guest prints "E2E-STEP NAME" it runs the
commands of step NAME from the steps file, then writes "E2E-GO NAME" to
the VMM's serial input (a FIFO that is the VMM's stdin), which the guest
waits for (guest-lib.sh: e2e_step).  Steps file, one command a line:

  step NAME                        the commands below run for E2E-STEP NAME
  qmp KEY JSON                     send a QMP command
  hmp KEY COMMAND LINE             human-monitor-command (HMP)
  wait-event KEY EVENT [SECONDS] [TEXT]
                                   wait for EVENT (whose JSON has TEXT)
  wait-console KEY REGEX [SECONDS] wait for a console line matching REGEX
  sleep SECONDS

Results, KEY=VALUE lines (job.sh loads them like the guest's): for qmp
and hmp KEY.rc (ok|error), KEY.error, KEY.class, KEY.return (compact
JSON, or HMP's output with newlines as "|"); for the waits KEY=ok|timeout
and KEY.ms, the milliseconds since the last qmp/hmp command was sent
(the latency of what that command started); step.NAME.done=1; at the end
event.NAME=count and event.NAME.last=its last data for each event seen
(the VMM's exit ends the driver).  Every QMP message with its time is
appended to the log file.
"""
import argparse
import json
import os
import re
import select
import socket
import sys
import time


class Driver:
    def __init__(self, args):
        self.args = args
        self.results = open(args.results, "a", buffering=1)
        self.qlog = open(args.qmp_log, "a", buffering=1)
        self.sock = None
        self.buf = b""
        self.events = []            # (time, message), in order
        self.event_count = {}
        self.event_last = {}
        self.console = b""
        self.console_pos = 0
        self.lines = []             # (time, line) as they arrived
        self.last_sent = time.monotonic()
        self.steps = self.parse_steps(args.steps)
        self.fifo = None
        self.vmm_gone = False

    @staticmethod
    def parse_steps(path):
        steps, cur = {}, None
        with open(path) as f:
            for raw in f:
                line = raw.strip()
                if not line or line.startswith("#"):
                    continue
                word, _, rest = line.partition(" ")
                if word == "step":
                    cur = steps.setdefault(rest.strip(), [])
                elif cur is None:
                    raise SystemExit("steps file: command before 'step': "
                                     + line)
                else:
                    cur.append((word, rest))
        return steps

    def result(self, key, value):
        value = str(value).replace("\n", "|")
        self.results.write("%s=%s\n" % (key, value))

    # ---- QMP ----

    def connect(self, deadline):
        while time.monotonic() < deadline:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.args.qmp)
                self.sock = s
                break
            except OSError:
                s.close()
                if not os.path.exists("/proc/%d" % self.args.pid):
                    return False
                time.sleep(0.05)
        if not self.sock:
            return False
        self.recv_message(deadline)            # greeting
        self.command({"execute": "qmp_capabilities"}, deadline)
        return True

    def pump(self, timeout):
        """Read what the socket and the console have, waiting up to
        timeout seconds for the socket."""
        self.read_console()
        if self.sock is None:
            time.sleep(timeout)
            return
        r, _, _ = select.select([self.sock], [], [], timeout)
        if r:
            data = self.sock.recv(65536)
            if not data:
                self.sock.close()
                self.sock = None
                self.vmm_gone = True
                return
            self.buf += data
        self.read_console()

    def next_message(self):
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            line = line.strip()
            if not line:
                continue
            try:
                msg = json.loads(line)
            except ValueError:
                self.qlog.write("%.3f BAD %r\n" % (time.monotonic(), line))
                continue
            self.qlog.write("%.3f %s\n" % (time.monotonic(),
                                           json.dumps(msg)))
            if "event" in msg:
                self.events.append((time.monotonic(), msg))
                name = msg["event"]
                self.event_count[name] = self.event_count.get(name, 0) + 1
                self.event_last[name] = msg.get("data", {})
                continue
            return msg
        return None

    def recv_message(self, deadline):
        while True:
            msg = self.next_message()
            if msg is not None:
                return msg
            if self.sock is None or time.monotonic() >= deadline:
                return None
            self.pump(0.05)

    def command(self, cmd, deadline):
        if self.sock is None:
            return None
        self.qlog.write("%.3f SEND %s\n" % (time.monotonic(),
                                            json.dumps(cmd)))
        self.last_sent = time.monotonic()
        self.sock.sendall((json.dumps(cmd) + "\n").encode())
        return self.recv_message(deadline)

    def record_reply(self, key, reply, hmp=False):
        if reply is None:
            self.result(key + ".rc", "error")
            self.result(key + ".error", "no reply (the VMM is gone)")
        elif "error" in reply:
            self.result(key + ".rc", "error")
            self.result(key + ".class", reply["error"].get("class", ""))
            self.result(key + ".error", reply["error"].get("desc", ""))
        else:
            self.result(key + ".rc", "ok")
            ret = reply.get("return")
            if hmp and isinstance(ret, str):
                self.result(key + ".return", ret.rstrip("\r\n"))
            else:
                self.result(key + ".return",
                            json.dumps(ret, separators=(",", ":"))[:2000])

    # ---- the console ----

    def read_console(self):
        try:
            with open(self.args.log, "rb") as f:
                f.seek(self.console_pos)
                data = f.read()
        except OSError:
            return
        self.console_pos += len(data)
        self.console += data
        while b"\n" in self.console:
            line, self.console = self.console.split(b"\n", 1)
            text = line.decode("utf-8", "replace").replace("\r", "")
            self.lines.append((time.monotonic(), text))

    # ---- steps ----

    def wait_event(self, key, rest):
        parts = rest.split(None, 2)
        name = parts[0]
        secs = float(parts[1]) if len(parts) > 1 else 60
        text = parts[2] if len(parts) > 2 else None
        deadline = time.monotonic() + secs
        while True:
            for i, (t, msg) in enumerate(self.events):
                if t < self.last_sent:
                    continue
                if msg["event"] == name and (
                        text is None or text in json.dumps(msg)):
                    self.result(key, "ok")
                    self.result(key + ".ms",
                                "%.1f" % ((t - self.last_sent) * 1000))
                    self.result(key + ".data", json.dumps(
                        msg.get("data", {}), separators=(",", ":")))
                    del self.events[i]
                    return
            if time.monotonic() >= deadline or self.vmm_gone:
                self.result(key, "timeout")
                return
            self.pump(0.01)
            self.next_message_drain()

    def next_message_drain(self):
        while True:
            msg = self.next_message()
            if msg is None:
                return
            # A reply nobody waits for (should not happen): logged only.

    def wait_console(self, key, rest):
        parts = rest.rsplit(None, 1)
        secs = 60.0
        if len(parts) == 2 and re.fullmatch(r"[0-9.]+", parts[1]):
            pattern, secs = parts[0], float(parts[1])
        else:
            pattern = rest
        rx = re.compile(pattern)
        deadline = time.monotonic() + secs
        seen = 0
        while True:
            for t, line in self.lines[seen:]:
                if t >= self.last_sent and rx.search(line):
                    self.result(key, "ok")
                    self.result(key + ".ms",
                                "%.1f" % ((t - self.last_sent) * 1000))
                    return
            seen = len(self.lines)
            if time.monotonic() >= deadline or self.vmm_gone:
                self.result(key, "timeout")
                return
            self.pump(0.005)
            self.next_message_drain()

    def run_step(self, name):
        for word, rest in self.steps.get(name, []):
            deadline = time.monotonic() + 60
            if word == "qmp":
                key, _, js = rest.partition(" ")
                self.record_reply(key, self.command(json.loads(js),
                                                    deadline))
            elif word == "hmp":
                key, _, line = rest.partition(" ")
                cmd = {"execute": "human-monitor-command",
                       "arguments": {"command-line": line}}
                self.record_reply(key, self.command(cmd, deadline), True)
            elif word == "wait-event":
                key, _, more = rest.partition(" ")
                self.wait_event(key, more)
            elif word == "wait-console":
                key, _, more = rest.partition(" ")
                self.wait_console(key, more)
            elif word == "sleep":
                end = time.monotonic() + float(rest)
                while time.monotonic() < end:
                    self.pump(0.01)
                    self.next_message_drain()
            else:
                self.result("driver.error", "unknown command " + word)
        self.result("step.%s.done" % name, 1)
        self.go(name)

    def go(self, name):
        if self.fifo is None:
            self.fifo = os.open(self.args.input, os.O_WRONLY | os.O_NONBLOCK)
        try:
            os.write(self.fifo, ("E2E-GO %s\n" % name).encode())
        except OSError as e:
            self.result("driver.error", "cannot write to the guest: %s" % e)

    def run(self):
        end = time.monotonic() + self.args.timeout
        if not self.connect(time.monotonic() + 60):
            self.result("driver.error", "no QMP connection")
            return
        done = 0
        while time.monotonic() < end and not self.vmm_gone:
            self.pump(0.02)
            self.next_message_drain()
            while done < len(self.lines):
                _, line = self.lines[done]
                done += 1
                m = re.match(r"E2E-STEP (\S+)", line)
                if m:
                    self.run_step(m.group(1))
                    # Lines that came while the step ran are looked at too.
        for name, n in sorted(self.event_count.items()):
            self.result("event." + name, n)
            self.result("event.%s.last" % name, json.dumps(
                self.event_last[name], separators=(",", ":")))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--qmp", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--steps", required=True)
    p.add_argument("--input", required=True)
    p.add_argument("--results", required=True)
    p.add_argument("--qmp-log", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--timeout", type=float, default=600)
    Driver(p.parse_args()).run()


if __name__ == "__main__":
    sys.exit(main())
