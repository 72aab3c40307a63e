"""Notebook-style example: the production curve of the default state, and a sweep heatmap
of the JCPOA-era state.

Run from a checkout with the package installed (see the README's "From Python") and matplotlib:

    python examples/python/production_and_sweep.py [OUT_DIR]

It writes production-curve.png and sweep-heatmap.png to OUT_DIR (default: the current directory).
"""

# %% Setup: a headless backend, so the script also runs without a display.
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import breakout

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".")

# %% The main job: breakout run for the default state (iran-2025-05).
r = breakout.run(count=5)
print(f"{r.inputs['state']}: first SQ in {r.first_sq_days:.2f} days, "
      f"5 SQ in {r.goal_days:.2f} days (model {r.headline_model})")

curve = r.production_curve  # a DataFrame: days, sq
fig, ax = plt.subplots(figsize=(6, 4))
ax.step(curve["days"], curve["sq"], where="post")
ax.set_xlabel("days from the decision to break out")
ax.set_ylabel(f"weapon-grade uranium, {r.sq_unit} (cumulative)")
ax.set_title(f"Production curve, {r.inputs['state']}")
ax.grid(alpha=0.3)
fig.tight_layout()
fig.savefig(out / "production-curve.png", dpi=120)

# %% A sweep under the JCPOA's limits (jcpoa-2016: 3.67 % stock, stored machines), where both
# the set-up time per enrichment step and the rate of reinstalling stored cascades matter.
setup = [0, 7, 14, 21, 28, 42]
reinstall = [0, 1, 2, 4]
df = breakout.sweep({
    "state": ["jcpoa-2016"],
    "reinstall_cascades_per_month": reinstall,
    "setup_days_per_step": setup,
})
grid = df.pivot(index="reinstall_cascades_per_month", columns="setup_days_per_step",
                values="first_sq_days")
print(grid.round(2))

fig, ax = plt.subplots(figsize=(6, 4))
im = ax.imshow(grid.values, origin="lower", aspect="auto", cmap="viridis")
ax.set_xticks(range(len(setup)), [str(s) for s in setup])
ax.set_yticks(range(len(reinstall)), [str(n) for n in reinstall])
ax.set_xlabel("set-up time per new enrichment step, days")
ax.set_ylabel("reinstallation, cascades/month")
ax.set_title("Days to the first SQ (jcpoa-2016)")
for (i, j), v in np.ndenumerate(grid.values):
    ax.text(j, i, f"{v:.1f}", ha="center", va="center", color="w", fontsize=8)
fig.colorbar(im, ax=ax, label="days")
fig.tight_layout()
fig.savefig(out / "sweep-heatmap.png", dpi=120)
print(f"wrote {out / 'production-curve.png'} and {out / 'sweep-heatmap.png'}")
