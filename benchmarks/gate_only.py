"""Reduced benchmark: disclosure control alone on 250 units x 5 years (WRES 2019-2023).

The national benchmark (``benchmarks/run.py``) generates every trust's extracts first; this one
only needs the example's counts. Each of 250 units is a copy of one example organisation with
Poisson noise on every count: in the national mix (the default) one unit in six is one of the
six small CCGs (scaled 0.5-3x) and the others are the trust ZZ1 (scaled 0.2-4x), as
``wres_utils.example.national`` mixes ICB-like and trust-like organisations; ``small`` cycles
through all seven (six in seven are small, a harder case). Prints wall and CPU seconds of the
gate with and without the integer-programming attacker.

    PYTHONPATH=. python benchmarks/gate_only.py [national|small]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from wres_utils.compute import indicators
from wres_utils.core.params import Unit
from wres_utils.disclosure import gate as disclosure
from wres_utils.inputs import load as inputs_load
from wres_utils.inputs.counts import normalise_dtypes
from wres_utils.run import plan as pipeline

ROOT = Path(__file__).resolve().parents[1]
N_UNITS = 250


def counts(mix: str) -> pd.DataFrame:
    """The example's counts of 2019-2023, copied with noise under 250 unit codes."""
    frames, seen = [], set()
    for y in (2021, 2023):
        history, _ = pipeline.load_history(y, ROOT / "params", ROOT)
        for yy, p in history.items():
            if yy not in seen:
                seen.add(yy)
                frames.append(inputs_load.load_year(p, ROOT).counts)
    c = normalise_dtypes(pd.concat(frames))
    orgs = sorted(c["org_code"].unique())
    small = [o for o in orgs if o != "ZZ1"]
    rng = np.random.default_rng(1)
    out = []
    for i in range(N_UNITS):
        if mix == "national":
            src = small[(i // 6) % len(small)] if i % 6 == 0 else "ZZ1"
        else:
            src = orgs[i % len(orgs)]
        d = c[c["org_code"] == src].copy()
        scale = rng.uniform(0.2, 4) if src == "ZZ1" else rng.uniform(0.5, 3)
        d["value"] = rng.poisson(d["value"].to_numpy(dtype=float) * scale).astype("int64")
        d["org_code"] = f"N{i:03d}"
        out.append(d)
    return normalise_dtypes(pd.concat(out, ignore_index=True))


def main(mix: str = "national") -> None:
    data = counts(mix)
    units = [Unit(id=f"N{i:03d}", name=f"N{i:03d}", members=(f"N{i:03d}",)) for i in range(N_UNITS)]
    table = indicators.compute_indicators(data, units)
    for attacker in (False, True):
        wall, cpu = time.perf_counter(), time.process_time()
        d = disclosure.disclose(table, min_count=7, attacker=attacker)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"{mix}: {len(table):,} rows; gate {'with' if attacker else 'without'} the attacker: "
            f"{wall:.1f} s wall, {cpu:.1f} s CPU; {int((d['status'] == 'suppressed').sum()):,} "
            "withheld"
        )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "national")
