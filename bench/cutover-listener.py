#!/usr/bin/env python3
"""Cutover callback endpoint for bin/bench's binlog measurement.

Usage: cutover-listener.py STATE_DIR

Binds 127.0.0.1 on a free port and writes it to STATE_DIR/port. A POST to /lock creates STATE_DIR/lock-requested,
then holds the answer until bin/bench has stopped the write load (it creates STATE_DIR/load-stopped) and answers
200, so ferry reads its cutover position only after the last write. A POST to /unlock creates
STATE_DIR/unlock-requested and answers 200; when STATE_DIR/metrics-url names ferry's /metrics, it first reads
ferry_cutover_seconds from there into STATE_DIR/cutover-metric (ferry sets it before the unlock call and stops its
control server soon after). Gives up waiting for load-stopped after 27 s (ferry's callback request times out at
30 s) and answers 503, which fails the cutover loudly. Each file holds the Unix time it was made (or the value).
"""
import http.server
import os
import sys
import time
import urllib.request

STATE = sys.argv[1]
HOLD_LIMIT_S = 27


def mark(name):
    with open(os.path.join(STATE, name), "w") as f:
        f.write("%.6f\n" % time.time())


def save_cutover_metric():
    try:
        with open(os.path.join(STATE, "metrics-url")) as f:
            url = f.read().strip()
        with urllib.request.urlopen(url, timeout=2) as answer:
            text = answer.read().decode("utf-8", "replace")
    except OSError:
        return
    for line in text.splitlines():
        if line.startswith("ferry_cutover_seconds "):
            with open(os.path.join(STATE, "cutover-metric"), "w") as f:
                f.write(line.split()[1] + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        status = 200
        if self.path.startswith("/lock"):
            mark("lock-requested")
            deadline = time.time() + HOLD_LIMIT_S
            while not os.path.exists(os.path.join(STATE, "load-stopped")):
                if time.time() > deadline:
                    status = 503
                    break
                time.sleep(0.05)
            mark("lock-answered")
        elif self.path.startswith("/unlock"):
            mark("unlock-requested")
            save_cutover_metric()
        else:
            status = 404
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, fmt, *args):
        sys.stderr.write("cutover-listener: " + (fmt % args) + "\n")


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(os.path.join(STATE, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(STATE, "port.tmp"), os.path.join(STATE, "port"))
server.serve_forever()
