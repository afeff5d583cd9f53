"""Time the SONI classifier on 50,000 rows (prints seconds; not a test).

Three inventories built from the (invented) evaluation set:
- "wiederholt": rows repeat the 250 evaluation activities (typical inventories repeat a lot),
- "gemischt": title, description, type, target group and provider drawn independently,
- "einzigartig": like "gemischt" and every description carries a unique note, so no
  two rows are alike (worst case for the deduplication),
- "generator": bench/generate.py's invented inventory (phrase tables with places and
  variants; about a third of the rows distinct).

    .venv/bin/python bench/classify_timing.py [--rows 50000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from soni import schema
from soni.classify import _compile, _default_lexicon, classify

EVAL_PATH = Path(__file__).resolve().parents[1] / "tests" / "data" / "soni_eval.csv"
TEXT = list(schema.CLASSIFY_TEXT_COLUMNS)


def inventories(rows: int, seed: int = 1) -> dict[str, pd.DataFrame]:
    # the evaluation set has no "Weitere Texte" (the upload's other columns): empty there
    base = pd.read_csv(EVAL_PATH, dtype=str, keep_default_na=False).reindex(columns=TEXT, fill_value="")
    rng = np.random.default_rng(seed)
    repeated = base.iloc[rng.integers(0, len(base), rows)][TEXT].reset_index(drop=True)
    mixed = pd.DataFrame({c: base[c].to_numpy()[rng.integers(0, len(base), rows)] for c in TEXT})
    unique = mixed.copy()
    notes = pd.Series(rng.integers(1, 10_000, rows)).astype(str)
    unique[schema.BESCHREIBUNG] = (unique[schema.BESCHREIBUNG] + " Termin Nr. " + notes + ", Raum "
                                   + pd.Series(np.arange(rows)).astype(str) + ".")
    for frame in (repeated, mixed, unique):
        for c in TEXT:
            frame[c] = frame[c].astype(str)
    result = {"wiederholt": repeated, "gemischt": mixed, "einzigartig": unique}
    try:
        from generate import generate_inventory
    except ImportError:  # pragma: no cover
        return result
    result["generator"] = generate_inventory(rows, seed=seed)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"Last (loadavg 1 min): {os.getloadavg()[0]:.1f} auf {os.cpu_count()} Kernen")
    t0 = time.perf_counter()
    _compile(_default_lexicon())
    print(f"Lexikon laden + kompilieren (einmalig): {time.perf_counter() - t0:.3f} s")
    for name, frame in inventories(args.rows).items():
        distinct = len(frame[[c for c in TEXT if c in frame.columns]].drop_duplicates())
        times, cpu = [], []
        for _ in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            result = classify(frame)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        unklar = (result[schema.SONI_FELD] == "unklar").mean()
        print(f"{name:<12} {len(frame):>7} Zeilen ({distinct:>6} verschieden): "
              f"Wandzeit bestes {min(times):.3f} s, Median {sorted(times)[len(times) // 2]:.3f} s; "
              f"CPU bestes {min(cpu):.3f} s; unklar {unklar:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
