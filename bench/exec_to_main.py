#!/usr/bin/env python3
# exec -> main of two kyodo-kiosk binaries (say main's and a branch's), alternately, headless:
# what the dynamic loader costs before main, without GL in the way. KYODO_BENCH_T0_NS is set
# to CLOCK_MONOTONIC just before each start and KYODO_STARTUP_TRACE=1 makes the kiosk print
# "startup N ms  main"; each kiosk is stopped by its pid once it says it runs headless.
# Usage: python3 bench/exec_to_main.py BEFORE_KIOSK AFTER_KIOSK [RUNS=21] [DEMO_DB=/tmp/bench.db]
import os
import re
import signal
import statistics
import subprocess
import sys
import time

bins = {"before": sys.argv[1], "after": sys.argv[2]}
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 21
db = sys.argv[4] if len(sys.argv) > 4 else "/tmp/bench.db"
env = dict(os.environ)
env.pop("DISPLAY", None)   # headless: the kiosk syncs only (and --no-sync: not even that)
env["KYODO_STARTUP_TRACE"] = "1"
res = {k: [] for k in bins}
print("load average at start:", " ".join(open("/proc/loadavg").read().split()[:3]))
for i in range(runs):
    order = list(bins.items()) if i % 2 == 0 else list(reversed(list(bins.items())))
    for name, path in order:
        env["KYODO_BENCH_T0_NS"] = str(time.clock_gettime_ns(time.CLOCK_MONOTONIC))
        p = subprocess.Popen([path, "--demo-db", db, "--no-sync"], env=env, stderr=subprocess.PIPE, text=True)
        ms = None
        try:
            for line in p.stderr:
                m = re.match(r"startup\s+([\d.]+) ms\s+main", line)
                if m:
                    ms = float(m.group(1))
                if "running headless" in line:
                    break
        finally:
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=10)
        if ms is None:
            sys.exit(f"exec_to_main: {path} printed no 'startup … main' line")
        res[name].append(ms)
for k, v in res.items():
    print(f"{k}: exec->main median {statistics.median(v):.1f} ms  min {min(v):.1f}  max {max(v):.1f}  (n={len(v)})")
print("load average at end:", " ".join(open("/proc/loadavg").read().split()[:3]))
