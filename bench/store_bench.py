"""Saving and opening an inventory in the workspace database (``soni.store``): seconds per call.

An invented inventory (``bench/generate.py``) goes through the pipeline once; then it is saved
(one transaction: Parquet blobs of the activities and original columns, mapping, 50 corrections)
and opened again, ``--repeat`` times each into a fresh SQLite file — and into PostgreSQL when
``--url`` (or ``SONI_DB_URL``) names one. Prints the median and best per size and backend; then,
per size, the years comparison on two such inventories (the second a copy with a third of the
activities replaced and a fifth moved): ``years.match`` and ``years.carry_corrections``.

    .venv/bin/python bench/store_bench.py [--sizes 5000,50000] [--repeat 5] [--url postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import generate_inventory, write_xlsx  # noqa: E402
from soni import pipeline, schema, store, years  # noqa: E402


def _inventory(n: int):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"inv_{n}.xlsx"
        write_xlsx(generate_inventory(n, seed=0), path)
        return pipeline.run([(path.name, path.read_bytes())])


def _measure(url: str, inv, repeat: int) -> tuple[list[float], list[float], int]:
    db = store.Store(url)
    ws = db.workspace("bench@example.org")
    acts = inv.activities
    corrections = years.corrections_of(acts, {k: ("Netzwerk", None) for k in acts[schema.ZEILEN_ID][:50]})
    saves, opens = [], []
    for i in range(repeat):
        t0 = time.perf_counter()
        info = db.save(ws, f"Bestandsaufnahme {i}", acts, inv.original, gemeinde="Beispielgemeinde",
                       mappings=inv.mappings, sources=inv.sources, corrections=corrections)
        t1 = time.perf_counter()
        saved = db.open(ws, info.id)
        t2 = time.perf_counter()
        assert len(saved.activities) == len(acts)
        saves.append(t1 - t0)
        opens.append(t2 - t1)
    blob = sum(len(store.frame_to_bytes(f)) for f in (acts, inv.original))
    for info in db.inventories(ws):
        db.delete(ws, info.id)
    db.close()
    return saves, opens, blob


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="5000,50000")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--url", default=os.environ.get(store.ENV_URL, ""))
    args = ap.parse_args(argv)
    years_rows = []
    print("| Zeilen | Datenbank | Speichern Median (bestes) | Öffnen Median (bestes) | Blob |")
    print("|---:|---|---:|---:|---:|")
    for n in (int(s) for s in args.sizes.split(",")):
        inv = _inventory(n)
        backends = [("SQLite", None)] + ([("PostgreSQL", args.url)] if args.url else [])
        for label, url in backends:
            with tempfile.TemporaryDirectory() as tmp:
                saves, opens, blob = _measure(url or f"sqlite:///{tmp}/bench.db", inv, args.repeat)
            print(f"| {n:,} | {label} | {statistics.median(saves):.3f} s ({min(saves):.3f}) | "
                  f"{statistics.median(opens):.3f} s ({min(opens):.3f}) | {blob / 1e6:.2f} MB |".replace(",", "."))
        years_rows.append(_years(inv.activities, args.repeat))
    print("\n| Zeilen | match (neu/weggefallen/verschoben/gleich) | carry_corrections (übertragen) |")
    print("|---:|---|---:|")
    for n, t_match, counts, t_carry, carried in years_rows:
        print(f"| {n:,} | {t_match:.3f} s ({'/'.join(str(v) for v in counts.values())}) | "
              f"{t_carry:.3f} s ({carried}) |".replace(",", "."))
    return 0


def _years(acts, repeat: int) -> tuple[int, float, dict[str, int], float, int]:
    """Median seconds of matching two years and of carrying 50 learnt corrections (with Quartier)."""
    nxt = acts.copy()
    n = len(nxt)
    nxt.loc[nxt.index[: n // 3], schema.TITEL] = [f"Neues Angebot {i}" for i in range(n // 3)]
    moved = nxt.index[n // 3: n // 3 + n // 5]
    nxt.loc[moved, schema.SONI_FELD] = "Netzwerk"
    nxt.loc[moved, schema.SONI_ASPEKT] = ""
    log = years.corrections_of(acts, {k: ("Organisation", None) for k in acts[schema.ZEILEN_ID][n // 2: n // 2 + 50]})
    import pandas as pd

    learnt = years.latest_corrections(pd.DataFrame([{**c.__dict__, "titel_key": years.title_key(c.titel)}
                                                    for c in log]))
    t_match, t_carry = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        matched = years.match(acts, nxt)
        t1 = time.perf_counter()
        carried = years.carry_corrections(nxt, learnt)
        t2 = time.perf_counter()
        t_match.append(t1 - t0)
        t_carry.append(t2 - t1)
    return n, statistics.median(t_match), years.match_summary(matched), statistics.median(t_carry), len(carried)


if __name__ == "__main__":
    sys.exit(main())
