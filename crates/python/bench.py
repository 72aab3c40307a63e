"""Timings of the Python package for docs/benchmarks.md (build it with `maturin develop
--release` first): vectorised SWU and conversion over 10⁶ elements, the overhead of one `run`
over the native call, and sweep throughput against the same requests one at a time.

    python crates/python/bench.py

Prints the best of several repeats of each (the machine is shared; the best is the least
disturbed).
"""

import json
import os
import time

import numpy as np

import breakout
from breakout import _native


def best(f, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


n = 1_000_000
xp = np.linspace(3.0, 90.0, n)
kg = np.linspace(1.0, 1e4, n)
swu_s = best(lambda: breakout.swu(product_wt_pct=xp, tails_wt_pct=0.3, product_kg_u=1.0), 7)
print(f"swu balance, 10^6 elements: {swu_s * 1e3:.1f} ms ({swu_s / n * 1e9:.0f} ns/element)")
conv_s = best(lambda: breakout.convert(kg, "kg-uf6", to="kg-u", wt_pct=xp), 7)
print(f"convert, 10^6 elements: {conv_s * 1e3:.1f} ms ({conv_s / n * 1e9:.0f} ns/element)")

native_s = best(lambda: _native.execute(["run"], "{}"), 20)
python_s = best(lambda: breakout.run(), 20)
print(
    f"run(): native execute {native_s * 1e3:.2f} ms, breakout.run() {python_s * 1e3:.2f} ms, "
    f"overhead {(python_s / native_s - 1) * 100:.1f} %"
)

points = [{"setup_days_per_step": s} for s in range(64)]
requests = [(["run"], json.dumps(p)) for p in points]
one_by_one = best(lambda: [_native.execute(*r) for r in requests], 3)
swept = best(lambda: breakout.sweep(points), 3)
cores = os.cpu_count()
print(
    f"sweep of 64 points: {swept * 1e3:.0f} ms on {cores} cores; one native call at a time "
    f"{one_by_one * 1e3:.0f} ms; per-core efficiency {one_by_one / swept / cores * 100:.0f} %"
)
