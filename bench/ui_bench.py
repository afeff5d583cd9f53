"""Server-side time of the dashboard for a filter change on 50,000 rows (Streamlit AppTest).

Generates an invented 50k-row inventory (``bench/generate.py``), uploads it through the
upload page, then changes the Träger filter, the Quartier and the metric on the Quartier
page and times each script run (``AppTest.run``: the page's whole server-side work —
filter, aggregation, insights, figures, serialisation — without the browser). Also times
the pure computation (filter + aggregates + figures) outside Streamlit, and checks that no
change re-ran the pipeline.

Usage::

    .venv/bin/python bench/ui_bench.py [--rows 50000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _ms(values: list[float]) -> str:
    return (f"median {statistics.median(values) * 1000:.0f} ms, min {min(values) * 1000:.0f} ms, "
            f"max {max(values) * 1000:.0f} ms (n={len(values)})")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=50_000)
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args(argv)

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from soni import aggregate, charts, insights, schema, texts

    gen = _generator()
    t0 = time.perf_counter()
    frame = gen.generate_inventory(args.rows, seed=0)
    path = ROOT / "bench" / "out" / f"ui_bench_{args.rows}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    gen.write_csv(frame, path)
    data = path.read_bytes()
    print(f"Testdaten: {args.rows} erfundene Zeilen, CSV {len(data) / 1e6:.1f} MB ({time.perf_counter() - t0:.1f} s)")

    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    at.run()
    at.switch_page("views/upload.py").run()
    at.file_uploader[0].set_value((path.name, data, "text/csv"))
    t0 = time.perf_counter()
    at.run()
    print(f"Hochladen + Pipeline (einmalig): {time.perf_counter() - t0:.1f} s")
    if at.exception or at.error:
        print("Fehler:", [e.value for e in at.exception], [e.value for e in at.error])
        return 1
    runs_after_upload = at.session_state["soni_pipeline_runs"]

    at.switch_page("views/quartier.py")
    t0 = time.perf_counter()
    at.run()
    print(f"Quartier-Seite, erster Aufruf: {(time.perf_counter() - t0) * 1000:.0f} ms")
    print("  Seite:", [t.value for t in at.title], "Fehler:", [e.value for e in at.error],
          "Hinweise:", [e.value for e in at.info])

    df = at.session_state["soni_cache"][next(iter(at.session_state["soni_cache"]))].activities
    traeger = sorted(df[schema.TRAEGER].astype(str).unique())[:6]
    quartiere = sorted(df[schema.QUARTIER].astype(str).unique())[:6]

    def timed(change) -> float:
        change()
        start = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - start
        assert not at.exception, at.exception
        assert len(at.get("component_instance")) == 2, "Heatmaps fehlen"
        return elapsed

    filt, quart, metr = [], [], []
    metrics = ["stunden", "anzahl", "kosten", "teilnehmende"]
    for i in range(args.repeat):
        filt.append(timed(lambda i=i: at.multiselect(key="w_traeger").set_value([traeger[i % len(traeger)]])))
        quart.append(timed(lambda i=i: at.selectbox(key="w_quartier").set_value(quartiere[i % len(quartiere)])))
        metr.append(timed(lambda i=i: at.radio(key="w_metric").set_value(metrics[i % len(metrics)])))
    print(f"Filterwechsel (Träger), ganze Seite serverseitig: {_ms(filt)}")
    print(f"Quartierwechsel, ganze Seite serverseitig:        {_ms(quart)}")
    print(f"Kennzahlwechsel, ganze Seite serverseitig:        {_ms(metr)}")
    at.switch_page("views/vergleich.py").run()
    n_charts = len(at.get("component_instance"))
    cmp_t = []
    for i in range(args.repeat):
        at.multiselect(key="w_traeger").set_value([traeger[(i + 1) % len(traeger)]])
        start = time.perf_counter()
        at.run()
        cmp_t.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    print(f"Vergleich-Seite ({n_charts} Diagramme, {len(quartiere)}+ Quartiere), Filterwechsel: {_ms(cmp_t)}")
    runs = at.session_state["soni_pipeline_runs"]
    print(f"Pipeline-Läufe: {runs_after_upload} nach dem Hochladen, {runs} nach allen Wechseln")

    # the same work without Streamlit: where does the time go?
    agg_t, fig_t = [], []
    for i in range(args.repeat):
        start = time.perf_counter()
        sel = aggregate.filter_activities(df, traeger=[traeger[i % len(traeger)]])
        g2, g4 = aggregate.field_grid(sel, "stunden"), aggregate.aspect_grid(sel, "stunden")
        aggregate.missing_share(sel, "stunden")
        reading = insights.schwerpunkte_und_luecken(sel, "stunden", "alle Quartiere")
        mid = time.perf_counter()
        charts.soni_grid_figure(g2, "stunden", texts.chart_title("feld", "stunden")).to_json()
        charts.aspect_figure(g4, "stunden", texts.chart_title("aspekt", "stunden")).to_json()
        end = time.perf_counter()
        agg_t.append(mid - start)
        fig_t.append(end - mid)
        assert reading.headline
    print(f"davon Filter + Aggregation + Lesart (ohne Streamlit): {_ms(agg_t)}")
    print(f"davon zwei Heatmaps bauen + JSON (ohne Streamlit):    {_ms(fig_t)}")
    return 0 if runs == runs_after_upload else 1


if __name__ == "__main__":
    raise SystemExit(main())
