#!/usr/bin/env python3
"""Writes bench/results/results.md and throughput.svg from the raw outputs of bench/run.sh."""
import datetime
import json
import os
import sys

(work, results, fixed_p99, per_worker, workers, rss_before, rss_after, app_entries, terminal_entries,
 fill_seconds, reps, duration, warmup, connections) = sys.argv[1:15]

wrk = {}
with open(os.path.join(work, "wrk.txt")) as lines:
    for line in lines:
        name, rps, p50, p99 = line.split()
        wrk[name] = (float(rps), float(p50), float(p99))

jmh = {}
with open(os.path.join(work, "jmh.json")) as raw:
    for run in json.load(raw):
        name = run["benchmark"].rsplit(".", 1)[1]
        jmh[name] = (run["primaryMetric"]["score"], run["secondaryMetrics"]["gc.alloc.rate.norm"]["score"])


def read(name):
    path = os.path.join(results, name)
    if not os.path.exists(path):
        return "(not measured)\n"
    with open(path) as text:
        return "".join(text.readlines()[2:])


def verdict(ok):
    return "met" if ok else "**missed**"


trivial = wrk["trivial"][0]
public_ratio = wrk["auth-public"][0] / trivial
private_ratio = wrk["auth-private"][0] / trivial
rss_mb = int(rss_after) / 1024
rows = [
    ("auth `/internal/auth`, public path", "auth-public"),
    ("auth `/internal/auth`, private path + terminal cookie", "auth-private"),
    ("same replica, trivial endpoint `/internal/ping`", "trivial"),
    ("nginx `return 200` (machine ceiling)", "nginx"),
    ("through the proxy over 3 replicas (nginx + Lua forwardAuth + echo app)", "proxy-3-replicas"),
]
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
md = [f"# Gatehouse benchmarks\n\nMeasured {now} on {os.cpu_count()} cores by `bench/run.sh`. Medians of {reps} runs of "
      f"{duration} s; wrk with 1 thread and {connections} connections on core 1, the replica pinned to core 0 "
      f"(after a {warmup} s JIT warm-up). Ratios compare figures of this run only.\n",
      "## Hot path (wrk, closed loop)\n", "| target | req/s | p50 | p99 | vs trivial |", "|---|---|---|---|---|"]
for label, key in rows:
    rps, p50, p99 = wrk[key]
    md.append(f"| {label} | {rps:,.0f} | {p50:.2f} ms | {p99:.2f} ms | {rps / trivial:.2f}× |")
md += ["", "## Against the targets\n", "| target | measured | |", "|---|---|---|",
       f"| warm `/internal/auth` ≥ 0.8× the trivial endpoint | public {public_ratio:.2f}×, private {private_ratio:.2f}× | "
       f"{verdict(min(public_ratio, private_ratio) >= 0.8)} |",
       f"| p99 ≤ 5 ms at 50% of max rate (fixed rate: hey, {workers} workers × {per_worker} req/s) | {float(fixed_p99):.2f} ms | "
       f"{verdict(float(fixed_p99) <= 5)} |",
       f"| decision ≤ 2 µs/op, ≤ 1 KB/op (JMH) | public {jmh['publicPath'][0]:.0f} ns, {jmh['publicPath'][1]:.0f} B; "
       f"private {jmh['privatePath'][0]:.0f} ns, {jmh['privatePath'][1]:.0f} B | "
       f"{verdict(max(jmh['publicPath'][0], jmh['privatePath'][0]) <= 2000 and max(jmh['publicPath'][1], jmh['privatePath'][1]) <= 1024)} |",
       f"| ≤ 300 MB RSS with 100k apps + 100k terminals in L1 | {rss_mb:.0f} MB ({float(app_entries):,.0f} apps, {float(terminal_entries):,.0f} "
       f"terminals; {int(rss_before) / 1024:.0f} MB before; filled in {fill_seconds} s) | {verdict(rss_mb <= 300)} |",
       "", "## Cold bursts\n", read("coldburst.md"), "## Invalidation propagation\n", read("propagation.md"),
       "![throughput](throughput.svg)\n"]
with open(os.path.join(results, "results.md"), "w") as out:
    out.write("\n".join(md))

width, bar_height, gap, left = 760, 26, 10, 330
top = max(v[0] for v in wrk.values())
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{len(rows) * (bar_height + gap) + 40}" '
       'font-family="sans-serif" font-size="12">',
       f'<text x="10" y="18" font-weight="bold">Requests per second (median of {reps}), {now}</text>']
for index, (label, key) in enumerate(rows):
    y = 30 + index * (bar_height + gap)
    length = (width - left - 90) * wrk[key][0] / top
    svg.append(f'<text x="10" y="{y + 17}">{label.replace("`", "")[:52]}</text>')
    svg.append(f'<rect x="{left}" y="{y}" width="{length:.0f}" height="{bar_height}" fill="#4a78b5"/>')
    svg.append(f'<text x="{left + length + 6:.0f}" y="{y + 17}">{wrk[key][0]:,.0f}</text>')
svg.append("</svg>")
with open(os.path.join(results, "throughput.svg"), "w") as out:
    out.write("\n".join(svg))
