"""The built-in sample inventory: shape, office habits, labels, and that the file is current."""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from soni import grid
from soni.intake.workbook import load_sheets
from soni.sample import SAMPLE_NAME, SAMPLE_PATH, sample_bytes

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "data" / "sample_labels.csv"
REQUIRED = ("Titel", "Beschreibung", "Quartier", "Träger", "Zielgruppe", "Angebotsart", "Beginn", "Ende",
            "Stunden", "Teilnehmende", "Kosten", "Ehrenamtliche")


def _fold(text: object) -> str:
    return " ".join(str(text).casefold().split())


def _load_make_sample():
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "data" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sheets() -> dict[str, list[list]]:
    return load_sheets(sample_bytes(), "xlsx")


@pytest.fixture(scope="module")
def table(sheets) -> tuple[list[str], list[dict[str, object]]]:
    """Header and data rows (as dicts) of the main sheet; each row also gets its Excel row number."""
    rows = sheets["Aktivitäten"]
    header_at = next(i for i, r in enumerate(rows) if "Titel" in r)
    header = [str(h) for h in rows[header_at]]
    data = []
    for i, r in enumerate(rows[header_at + 1:], start=header_at + 2):
        if any(v not in (None, "") for v in r):
            data.append({**dict(zip(header, r, strict=False)), "_zeile": i})
    return header, data


@pytest.fixture(scope="module")
def labels() -> list[dict[str, str]]:
    with LABELS.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _column(header: list[str], word: str) -> str:
    return next(h for h in header if h.casefold().startswith(word.casefold()))


def _year(value: object) -> int | None:
    if isinstance(value, (date, datetime)):
        return value.year
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    m = re.search(r"(19|20)\d\d", str(value or ""))
    return int(m.group(0)) if m else None


def test_sample_api():
    assert SAMPLE_NAME == "Beispieldaten"
    assert SAMPLE_PATH.name == "beispiel_inventar.xlsx" and SAMPLE_PATH.is_file()
    data = sample_bytes()
    assert data[:2] == b"PK"
    assert data == SAMPLE_PATH.read_bytes()


def test_title_line_then_empty_row_then_header(sheets):
    rows = sheets["Aktivitäten"]
    assert "Aufbruch Quartier" in str(rows[0][0])
    assert all(v in (None, "") for v in rows[0][1:])
    assert all(v in (None, "") for v in rows[1])
    assert rows[2][0] == "Titel"


def test_required_columns_and_no_soni_columns(table):
    header, _ = table
    for word in REQUIRED:
        assert any(h.casefold().startswith(word.casefold()) for h in header), word
    assert not any("soni" in h.casefold() for h in header)


def test_at_least_180_complete_activities(table):
    _, data = table
    assert len(data) >= 180
    for row in data:
        assert str(row["Titel"]).strip()
        text = str(row["Beschreibung"]).strip().replace("St. ", "St ").replace("e. V.", "eV")
        sentences = len(re.findall(r"[.!?](?:\s|$)", text))
        assert 1 <= sentences <= 2, text


def test_descriptions_are_varied(table):
    _, data = table
    texts = [row["Beschreibung"] for row in data]
    assert len(set(texts)) >= 0.75 * len(texts)
    per_quartier = Counter((row["Beschreibung"], _fold(row["Quartier"])) for row in data)
    assert max(per_quartier.values()) == 1  # a description may recur across Quartiere, not within one


def test_quartiere_six_and_spelled_inconsistently(table):
    _, data = table
    raw = {row["Quartier"] for row in data}
    folded = {_fold(q) for q in raw}
    assert len(folded) >= 6
    assert len(raw) > len(folded)  # e.g. trailing space or all caps in a few rows


def test_titles_repeat_across_quartiere_but_not_within(table):
    _, data = table
    pairs = Counter((row["Titel"], _fold(row["Quartier"])) for row in data)
    assert max(pairs.values()) == 1
    titles = Counter(row["Titel"] for row in data)
    assert max(titles.values()) > 1


def test_three_years_and_mixed_date_forms(table):
    header, data = table
    begin = [row[_column(header, "Beginn")] for row in data]
    years = Counter(_year(v) for v in begin)
    for y in (2023, 2024, 2025):
        assert years[y] >= 20, years
    texts = [v for v in begin if isinstance(v, str) and v]
    assert any(re.fullmatch(r"\d\d/20\d\d", v) for v in texts)
    assert any(v.startswith("seit ") for v in texts)
    assert any(isinstance(v, (int, float)) and 2000 < v < 2100 for v in begin)
    assert sum(isinstance(v, (date, datetime)) for v in begin) > len(begin) / 2


def test_numbers_mostly_numeric(table):
    header, data = table
    for word in ("Stunden", "Teilnehmende", "Kosten", "Ehrenamtliche"):
        col = _column(header, word)
        values = [row[col] for row in data]
        numeric = [v for v in values if isinstance(v, (int, float))]
        assert len(numeric) >= 0.85 * len(values), word
        assert all(v >= 0 for v in numeric)


def test_hinweis_sheet_says_invented(sheets):
    text = " ".join(str(v) for row in sheets["Hinweis"] for v in row if v)
    assert "erfunden" in text.casefold()


def test_labels_match_the_sheet(table, labels):
    _, data = table
    assert len(labels) == len(data)
    by_row = {row["_zeile"]: row for row in data}
    for lab in labels:
        row = by_row[int(lab["Zeile"])]
        assert row["Titel"] == lab["Titel"]
        assert _fold(row["Quartier"]) == _fold(lab["Quartier"])
        aspect = grid.ASPECT_BY_LABEL[lab["Aspekt"]]
        assert aspect.field == lab["Feld"]
        assert aspect.key == lab["Schlüssel"]


def test_labels_cover_every_aspect_with_a_realistic_imbalance(labels):
    assert {lab["Aspekt"] for lab in labels} == set(grid.ASPECT_LABELS)
    fields = Counter(lab["Feld"] for lab in labels)
    assert fields["Individuum"] > fields["Organisation"] > fields["Sozialstruktur"]
    assert fields["Netzwerk"] > fields["Organisation"]
    per_q: dict[str, Counter] = {}
    for lab in labels:
        per_q.setdefault(lab["Quartier"], Counter())[lab["Feld"]] += 1
    assert any(c["Sozialstruktur"] == 0 for c in per_q.values())  # one Quartier without Sozialstruktur
    assert any(c["Netzwerk"] > 0.5 * sum(c.values()) for c in per_q.values())  # one strong in Netzwerk


def test_generator_is_deterministic_and_the_committed_file_is_current(tmp_path, sheets):
    make_sample = _load_make_sample()
    rows = make_sample.build_rows()
    assert [r.values for r in rows] == [r.values for r in make_sample.build_rows()]
    out = tmp_path / "sample.xlsx"
    make_sample.write_sample(rows, out)
    fresh = load_sheets(out.read_bytes(), "xlsx")
    assert fresh == sheets, "data/beispiel_inventar.xlsx is stale: run python data/make_sample.py"
    labels_out = tmp_path / "labels.csv"
    make_sample.write_labels(rows, labels_out)
    assert labels_out.read_text(encoding="utf-8") == LABELS.read_text(encoding="utf-8")
