#!/usr/bin/env python3
"""Draws bin/bench's line charts as one SVG file, with the standard library only.

Usage: chart.py OUT.svg PANEL [PANEL...]

PANEL is "title|y label|x label|series[|series...]" and a series is "label=file.csv": a CSV with a header line and
two numeric columns, x then y. Panels are stacked; a panel whose files hold no points says so instead of a plot.
"""
import csv
import html
import math
import sys

WIDTH, PANEL_H, MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 900, 300, 80, 20, 40, 50
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]


def read_points(path):
    points = []
    with open(path, newline="") as f:
        rows = csv.reader(f)
        next(rows, None)
        for row in rows:
            try:
                x, y = float(row[0]), float(row[1])
            except (ValueError, IndexError):
                continue
            if x >= 0:  # the x axis starts at the event the panel is about; earlier samples are left out
                points.append((x, y))
    return points


def nice_step(span, ticks=6):
    raw = span / ticks if span > 0 else 1
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def fmt(v):
    if abs(v) >= 1e6:
        return "%gM" % (v / 1e6)
    if abs(v) >= 1e4:
        return "%gk" % (v / 1e3)
    return "%g" % round(v, 3)


def panel(out, top, spec):
    title, ylabel, xlabel, *series = spec.split("|")
    data = []
    for s in series:
        label, _, path = s.partition("=")
        data.append((label, read_points(path)))
    e = html.escape
    out.append('<text x="%d" y="%d" font-size="15" font-weight="bold">%s</text>' % (MARGIN_L, top + 22, e(title)))
    x0, y0 = MARGIN_L, top + MARGIN_T
    w, h = WIDTH - MARGIN_L - MARGIN_R, PANEL_H - MARGIN_T - MARGIN_B
    everything = [p for _, pts in data for p in pts]
    if not everything:
        out.append('<text x="%d" y="%d" font-size="13">no samples</text>' % (x0 + 10, y0 + h // 2))
        return
    xmax = max(p[0] for p in everything) or 1
    ymax = max(p[1] for p in everything) or 1
    xstep, ystep = nice_step(xmax), nice_step(ymax)
    xmax, ymax = math.ceil(xmax / xstep) * xstep, math.ceil(ymax / ystep) * ystep

    def sx(x):
        return x0 + w * x / xmax

    def sy(y):
        return y0 + h - h * max(0.0, y) / ymax

    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#999"/>' % (x0, y0, w, h))
    v = 0.0
    while v <= ymax + 1e-9:
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#eee"/>' % (x0, sy(v), x0 + w, sy(v)))
        out.append('<text x="%d" y="%.1f" font-size="11" text-anchor="end">%s</text>' % (x0 - 6, sy(v) + 4, fmt(v)))
        v += ystep
    v = 0.0
    while v <= xmax + 1e-9:
        out.append('<text x="%.1f" y="%d" font-size="11" text-anchor="middle">%s</text>' % (sx(v), y0 + h + 16, fmt(v)))
        v += xstep
    out.append('<text x="%d" y="%d" font-size="12" text-anchor="middle">%s</text>' % (x0 + w // 2, y0 + h + 36, e(xlabel)))
    out.append('<text x="16" y="%d" font-size="12" text-anchor="middle" transform="rotate(-90 16 %d)">%s</text>'
               % (y0 + h // 2, y0 + h // 2, e(ylabel)))
    for i, (label, pts) in enumerate(data):
        color = COLORS[i % len(COLORS)]
        if pts:
            path = " ".join("%.1f,%.1f" % (sx(x), sy(y)) for x, y in pts)
            out.append('<polyline fill="none" stroke="%s" stroke-width="1.8" points="%s"/>' % (color, path))
        lx = x0 + w - 260
        ly = y0 + 16 + 16 * i
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="3"/>' % (lx, ly - 4, lx + 20, ly - 4, color))
        out.append('<text x="%d" y="%d" font-size="12">%s%s</text>' % (lx + 26, ly, e(label), "" if pts else " (no samples)"))


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: chart.py OUT.svg 'title|y label|x label|label=file.csv[|...]' [...]")
    panels = sys.argv[2:]
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif">'
           % (WIDTH, PANEL_H * len(panels)),
           '<rect width="100%" height="100%" fill="white"/>']
    for i, spec in enumerate(panels):
        panel(out, i * PANEL_H, spec)
    out.append("</svg>")
    with open(sys.argv[1], "w") as f:
        f.write("\n".join(out) + "\n")


main()
