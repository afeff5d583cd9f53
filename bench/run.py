"""Benchmark-Suite (``make bench``): Lesen, ganze Pipeline, Speicher, Filterwechsel, erste Heatmap.

Für 5.000, 50.000 und 200.000 erfundene Zeilen (``bench/generate.py``), je als xlsx und CSV, dazu als
xlsx mit fast lauter verschiedenen Texten (Titel 3 Wörter, Beschreibung 18 bzw. 50–100 Wörter; Issue 17:
wie eine aus vielen Gemeinden zusammengeführte Liste, in der die Zuordnung nichts zusammenfassen kann):

- **schneller Leser**: die Datei nur lesen, frischer Prozess — xlsx mit
  ``pd.read_excel(engine="calamine")``, CSV mit ``pd.read_csv(engine="pyarrow")``;
  zum Vergleich openpyxl (``pd.read_excel(engine="openpyxl")``) bei 5.000 und 50.000 Zeilen;
- **classify**: ``python -m soni classify DATEI --out x.csv`` als ganzer Prozess (Lesen mit
  Prüfung und Leseprozess, Spalten, Validierung, Normalisierung, Zuordnung, CSV schreiben);
- **Verhältnis** classify / schneller Leser (im selben Lauf, abwechselnd gemessen);
- **Spitze RSS**: größter Prozess des Laufs (``ru_maxrss`` der Kinder eines frischen
  Messprozesses, der Leseprozess von ``soni.intake.isolate`` eingeschlossen);
- **Filterwechsel** auf der Quartier-Seite mit 50.000 Zeilen, serverseitig (AppTest);
- **erste Heatmap** im Browser (Playwright + chromium, Beispieldaten), ab der ersten
  Antwort des Servers.

Jede Zeit ist der Median aus ``--repeat`` Läufen (Standard 3). Die Tabelle steht danach auch
in ``bench/out/results.md``. Die Maschine wird oft mit anderer Arbeit geteilt: Verhältnisse
aus demselben Lauf sind belastbarer als Sekunden; die Last steht im Kopf der Tabelle.

    .venv/bin/python bench/run.py [--sizes 5000,50000,200000] [--repeat 3] [--skip-ui] [--no-distinct]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.perf_proc import PYTHON, measure_once, python_code  # noqa: E402

OUT = ROOT / "bench" / "out"
SEED = 0
OPENPYXL_MAX_ROWS = 50_000
MAX_UPLOAD_BYTES = 50 * 1_000_000  # soni.intake.guard.MAX_FILE_BYTES
#: Targets of issue 7 (benchmark figures, not tests).
TARGET_RATIO_50K = 1.5
TARGET_RATIO_200K = 2.0
TARGET_PEAK_200K_MB = 1000
TARGET_FILTER_MS = 150
TARGET_HEATMAP_S = 3.0
#: Lists whose texts are nearly all distinct (label → ``generate.py --distinct`` words per description).
DISTINCT_KINDS: dict[str, str] = {"Texte verschieden, 18 Wörter": "18-18",
                                  "Texte verschieden, 50–100 Wörter": "50-100"}


@dataclass
class Row:
    rows: int
    fmt: str
    size_mb: float
    kind: str = ""  # "" = the repeating invented inventory, else a key of DISTINCT_KINDS
    fast: list[float] = field(default_factory=list)
    fast_rss: list[float] = field(default_factory=list)
    fast_cpu: list[float] = field(default_factory=list)
    openpyxl: list[float] = field(default_factory=list)
    classify: list[float] = field(default_factory=list)
    classify_rss: list[float] = field(default_factory=list)
    classify_cpu: list[float] = field(default_factory=list)
    load: tuple[float, float] = (float("nan"), float("nan"))  # loadavg (1 min) before and after this list

    @property
    def ratio(self) -> float:
        return _median(self.classify) / _median(self.fast) if self.classify else float("nan")

    @property
    def cpu_ratio(self) -> float:
        """CPU seconds (user + system, reader child included) of classify against the fast reader's."""
        return _median(self.classify_cpu) / _median(self.fast_cpu) if self.classify_cpu else float("nan")


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def machine() -> dict[str, str]:
    """nproc, CPU model, memory and Python/pandas versions of this machine."""
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor() or "?"
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    from importlib.metadata import version

    return {"nproc": str(os.cpu_count()), "cpu": model, "memory": memory,
            "python": platform.python_version(), "pandas": version("pandas"),
            "calamine": version("python-calamine"), "streamlit": version("streamlit")}


def inventory_file(rows: int, fmt: str, kind: str = "") -> Path:
    """The invented inventory of ``rows`` rows as ``fmt`` (generated once, again when the generator changed)."""
    words = DISTINCT_KINDS.get(kind)
    path = OUT / (f"inv_{rows}_s{SEED}.{fmt}" if words is None else f"inv_{rows}_s{SEED}_distinct{words}.{fmt}")
    generator = ROOT / "bench" / "generate.py"
    if not path.exists() or path.stat().st_mtime < generator.stat().st_mtime:
        OUT.mkdir(parents=True, exist_ok=True)
        extra = [] if words is None else ["--distinct", words]
        subprocess.run([PYTHON, str(generator), "--rows", str(rows), "--seed", str(SEED), "--format", fmt,
                        "--out", str(path), *extra], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return path


def variants(distinct: bool) -> list[tuple[str, str]]:
    """(format, kind) of every list measured per size."""
    return [("xlsx", ""), ("csv", "")] + ([("xlsx", k) for k in DISTINCT_KINDS] if distinct else [])


def fast_read_cmd(path: Path) -> list[str]:
    if path.suffix == ".xlsx":
        return python_code(f"import pandas as pd; pd.read_excel({str(path)!r}, engine='calamine')")
    return python_code(f"import pandas as pd; pd.read_csv({str(path)!r}, sep=';', engine='pyarrow')")


def openpyxl_cmd(path: Path) -> list[str]:
    return python_code(f"import pandas as pd; pd.read_excel({str(path)!r}, engine='openpyxl')")


def classify_cmd(path: Path, out: Path) -> list[str]:
    return [PYTHON, "-m", "soni", "classify", str(path), "--out", str(out)]


def run_sizes(sizes: list[int], repeat: int, say, distinct: bool = True) -> list[Row]:
    rows_out: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "klassifiziert.csv"
        for n in sizes:
            for fmt, kind in variants(distinct):
                path = inventory_file(n, fmt, kind)
                row = Row(n, fmt, path.stat().st_size / 1e6, kind)
                load_before = os.getloadavg()[0]
                if path.stat().st_size > MAX_UPLOAD_BYTES:  # the product refuses it (soni.intake.guard)
                    say(f"  {n:>7} {fmt:<4}: {row.size_mb:.0f} MB, über der Upload-Grenze – nicht gemessen")
                    rows_out.append(row)
                    continue
                for _ in range(repeat):  # alternating, so that load changes hit both alike
                    fast = measure_once(fast_read_cmd(path))
                    row.fast.append(fast["wall_s"])
                    row.fast_rss.append(fast["maxrss_mb"])
                    row.fast_cpu.append(fast["cpu_s"])
                    done = measure_once(classify_cmd(path, out))
                    row.classify.append(done["wall_s"])
                    row.classify_rss.append(done["maxrss_mb"])
                    row.classify_cpu.append(done["cpu_s"])
                    if fmt == "xlsx" and not kind and n <= OPENPYXL_MAX_ROWS:
                        row.openpyxl.append(measure_once(openpyxl_cmd(path))["wall_s"])
                row.load = (load_before, os.getloadavg()[0])
                say(f"  {n:>7} {fmt:<4} {kind}: Leser {_median(row.fast):.2f} s, "
                    f"classify {_median(row.classify):.2f} s "
                    f"(× {row.ratio:.2f}; CPU × {row.cpu_ratio:.2f}), Spitze {max(row.classify_rss):.0f} MB, "
                    f"Last {row.load[0]:.1f} → {row.load[1]:.1f}")
                rows_out.append(row)
    return rows_out


def run_json(args: list[str], timeout: float = 900) -> dict:
    done = subprocess.run([PYTHON, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return json.loads(lines[-1])


def _de(number: float, digits: int = 0) -> str:
    """German number format: 50.000 and 1,25."""
    text = f"{number:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def table(rows: list[Row], info: dict[str, str], load: tuple[float, float], ui: dict, stages: dict,
          elapsed: float) -> str:
    """The results as Markdown."""
    lines = [
        "# Benchmark SONI-Dashboard",
        "",
        f"Maschine: {info['nproc']} Kerne, {info['cpu']}, {info['memory']} RAM; Python {info['python']}, "
        f"pandas {info['pandas']}, python-calamine {info['calamine']}, streamlit {info['streamlit']}.  ",
        f"Last (loadavg, 1 min): {_de(load[0], 2)} zu Beginn, {_de(load[1], 2)} am Ende"
        + (" — **die Maschine war mit anderer Arbeit geteilt**, Sekunden schwanken; Verhältnisse "
           "stammen aus demselben Lauf." if max(load) > 1 else "") + "  ",
        f"Zeiten: Median aus {len(rows[0].classify) if rows else 0} Läufen (frischer Prozess je Lauf); "
        f"Suite-Dauer {_de(elapsed / 60, 1)} min; {time.strftime('%Y-%m-%d %H:%M')}.",
        "",
        "| Zeilen | Format | Datei | schneller Leser | openpyxl | classify (ganzer Prozess) | classify / Leser "
        "| CPU classify / Leser | Spitze RSS classify | Spitze RSS Leser | Last |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        fmt = f"{r.fmt}, {r.kind}" if r.kind else r.fmt
        if not r.classify:
            lines.append(f"| {_de(r.rows)} | {fmt} | {_de(r.size_mb, 1)} MB | über der Upload-Grenze von "
                         "50 MB: nicht gemessen | | | | | | | |")
            continue
        op = f"{_de(_median(r.openpyxl), 2)} s" if r.openpyxl else "–"
        lines.append(f"| {_de(r.rows)} | {fmt} | {_de(r.size_mb, 1)} MB | {_de(_median(r.fast), 2)} s | {op} | "
                     f"{_de(_median(r.classify), 2)} s ({_de(min(r.classify), 2)}–{_de(max(r.classify), 2)}) | "
                     f"**{_de(r.ratio, 2)}** | {_de(_median(r.classify_cpu), 2)} s / {_de(_median(r.fast_cpu), 2)} s "
                     f"= {_de(r.cpu_ratio, 2)} | {_de(max(r.classify_rss))} MB | {_de(max(r.fast_rss))} MB "
                     f"| {_de(r.load[0], 1)} → {_de(r.load[1], 1)} |")
    lines += ["", "Schneller Leser: xlsx `pd.read_excel(engine=\"calamine\")`, CSV "
              "`pd.read_csv(sep=\";\", engine=\"pyarrow\")`, jeweils mit dem Start von Python und pandas.", ""]
    if ui:
        lines += ["| Oberfläche | Wert |", "|---|---:|"]
        if "filter_ms" in ui:
            lines.append(f"| Filterwechsel Quartier-Seite, {_de(ui['rows'])} Zeilen, serverseitig (AppTest, Median) "
                         f"| {_de(ui['filter_ms'])} ms |")
        if "first_heatmap_s" in ui:
            lines.append(f"| erste Heatmap im Browser nach Serverantwort (Beispieldaten, frischer Server, Median) "
                         f"| {_de(ui['first_heatmap_s'], 2)} s |")
            lines.append(f"| … davon HTML da / App-Rahmen (Seitenleiste) steht "
                         f"| {_de(ui['page_s'], 2)} s / {_de(ui['app_s'], 2)} s |")
            lines.append("| erste Heatmap für einen zweiten Besucher (Server warm) "
                         f"| {_de(ui['second_visit_s'], 2)} s |")
        if "filter_error" in ui or "browser_error" in ui:
            lines.append(f"| nicht gemessen | {ui.get('filter_error', '')} {ui.get('browser_error', '')} |")
        lines.append("")
    if stages:
        total = sum(v for k, v in stages["times"].items() if k != "guard alone")
        lines += [f"Stufen im Prozess ({stages['file']}, bestes von 3, Summe {_de(total, 2)} s; "
                  "„guard alone“ nur zum Vergleich, in „guard + parse“ enthalten):", "",
                  "| Stufe | Zeit |", "|---|---:|"]
        lines += [f"| {k} | {_de(v * 1000)} ms |" for k, v in stages["times"].items()]
        lines.append("")
    lines += ["Ziele:", ""]
    lines += targets(rows, ui)
    return "\n".join(lines) + "\n"


def targets(rows: list[Row], ui: dict) -> list[str]:
    out = []

    def check(ok: bool, text: str) -> None:
        out.append(f"- [{'x' if ok else ' '}] {text}")

    by = {(r.rows, r.fmt): r for r in rows if r.classify and not r.kind}
    if (r := by.get((50_000, "xlsx"))) is not None:
        check(r.ratio <= TARGET_RATIO_50K, f"50.000 Zeilen xlsx: classify ≤ {TARGET_RATIO_50K} × calamine "
              f"(gemessen {_de(r.ratio, 2)} ×, CPU {_de(r.cpu_ratio, 2)} ×, Last {_de(r.load[0], 1)})")
        if r.openpyxl:
            check(_median(r.classify) < _median(r.openpyxl), f"50.000 Zeilen xlsx: classify schneller als "
                  f"openpyxl allein ({_de(_median(r.classify), 2)} s gegen {_de(_median(r.openpyxl), 2)} s)")
    if (r := by.get((200_000, "xlsx"))) is not None:
        check(max(r.classify_rss) <= TARGET_PEAK_200K_MB, f"200.000 Zeilen: Spitze RSS ≤ 1 GB "
              f"(gemessen {_de(max(r.classify_rss))} MB)")
        check(r.ratio <= TARGET_RATIO_200K, f"200.000 Zeilen xlsx: classify ≤ {TARGET_RATIO_200K} × calamine "
              f"(gemessen {_de(r.ratio, 2)} ×, CPU {_de(r.cpu_ratio, 2)} ×, Last {_de(r.load[0], 1)})")
    for r in rows:  # issue 17: the same targets on lists whose texts are all different
        if r.kind and r.classify and r.rows in (50_000, 200_000):
            limit = TARGET_RATIO_50K if r.rows == 50_000 else TARGET_RATIO_200K
            check(r.ratio <= limit and max(r.classify_rss) <= TARGET_PEAK_200K_MB,
                  f"{_de(r.rows)} Zeilen xlsx, {r.kind}: classify ≤ {limit} × calamine und ≤ 1 GB "
                  f"(gemessen {_de(r.ratio, 2)} ×, CPU {_de(r.cpu_ratio, 2)} ×, {_de(max(r.classify_rss))} MB, "
                  f"Last {_de(r.load[0], 1)})")
    if "filter_ms" in ui:
        check(ui["filter_ms"] <= TARGET_FILTER_MS, f"Filterwechsel ≤ {TARGET_FILTER_MS} ms "
              f"(gemessen {_de(ui['filter_ms'])} ms)")
    if "first_heatmap_s" in ui:
        check(ui["first_heatmap_s"] <= TARGET_HEATMAP_S, f"erste Heatmap ≤ {TARGET_HEATMAP_S:g} s "
              f"(gemessen {_de(ui['first_heatmap_s'], 2)} s)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,50000,200000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-ui", action="store_true", help="ohne AppTest und Browser")
    parser.add_argument("--no-distinct", action="store_true", help="ohne die Listen mit lauter verschiedenen Texten")
    parser.add_argument("--out", type=Path, default=OUT / "results.md")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]

    def say(text: str) -> None:
        print(text, flush=True)

    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    info = machine()
    say(f"Maschine: {info['nproc']} Kerne, {info['cpu']}, {info['memory']}; Last {load_start:.2f}")
    say("Testdateien …")
    for n in sizes:
        for fmt, kind in variants(not args.no_distinct):
            inventory_file(n, fmt, kind)
    say("Lesen und classify (ganze Prozesse) …")
    rows = run_sizes(sizes, args.repeat, say, distinct=not args.no_distinct)

    ui: dict = {}
    if not args.skip_ui:
        say("Filterwechsel (AppTest, 50.000 Zeilen) …")
        try:
            ui.update(run_json(["bench/perf_ui.py", "filter", "--rows", "50000", "--repeat", "7",
                                "--csv", str(inventory_file(50_000, "csv"))]))
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            ui["filter_error"] = f"Filterwechsel: {str(exc).splitlines()[0]}"
        say("Erste Heatmap im Browser …")
        try:
            ui.update(run_json(["bench/perf_ui.py", "browser", "--repeat", str(args.repeat)]))
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            ui["browser_error"] = f"Browser: {str(exc).splitlines()[0]}"
    stages: dict = {}
    stage_size = 50_000 if 50_000 in sizes else sizes[-1]
    say(f"Stufen ({stage_size} Zeilen xlsx) …")
    path = inventory_file(stage_size, "xlsx")
    stages = {"file": path.name, "times": run_json(["bench/perf_stages.py", str(path), "--repeat", "3"])}

    text = table(rows, info, (load_start, os.getloadavg()[0]), ui, stages, time.perf_counter() - started)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print()
    print(text)
    say(f"(auch in {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
