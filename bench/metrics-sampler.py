#!/usr/bin/env python3
"""Samples a ferry run's /metrics once a second for bin/bench.

Usage: metrics-sampler.py URL OUT_CSV STOP_FILE

Writes one CSV line per answered request: t (Unix seconds), phase, rows_copied, events_applied, binlog_lag_s,
cutover_s (empty while ferry exports none). Requests that fail are skipped: the control server starts a moment
after the JVM and stops with the run. Ends when STOP_FILE exists.
"""
import os
import sys
import time
import urllib.request

URL, OUT, STOP = sys.argv[1:4]
INTERVAL_S = 1.0
FIELDS = {
    "ferry_rows_copied_total": "rows_copied",
    "ferry_binlog_events_applied_total": "events_applied",
    "ferry_binlog_lag_seconds": "binlog_lag_s",
    "ferry_cutover_seconds": "cutover_s",
}


def sample():
    with urllib.request.urlopen(URL, timeout=0.8) as answer:
        text = answer.read().decode("utf-8", "replace")
    values = {"phase": ""}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, rest = line.partition(" ")
        if name.startswith("ferry_phase{") and rest.strip() in ("1", "1.0"):
            values["phase"] = name.split('"')[1]
        elif name in FIELDS:
            values[FIELDS[name]] = rest.strip()
    return values


with open(OUT, "w") as out:
    out.write("t,phase,rows_copied,events_applied,binlog_lag_s,cutover_s\n")
    next_at = time.time()
    while not os.path.exists(STOP):
        at = time.time()
        try:
            v = sample()
            out.write("%.3f,%s,%s,%s,%s,%s\n" % (at, v["phase"], v.get("rows_copied", ""), v.get("events_applied", ""),
                                                 v.get("binlog_lag_s", ""), v.get("cutover_s", "")))
            out.flush()
        except (OSError, ValueError):
            pass
        next_at += INTERVAL_S
        time.sleep(max(0.0, next_at - time.time()))
