"""Fill down: columns filled only in the first row of each block (unmerged office lists)."""

from __future__ import annotations

import pandas as pd

from soni import filldown, pipeline, schema
from soni.report import Report
from tests import office

MAPPING = {schema.TITEL: "Titel", schema.QUARTIER: "Quartier", schema.TRAEGER: "Träger"}


def frame(quartier: list, traeger: list | None = None) -> pd.DataFrame:
    n = len(quartier)
    return pd.DataFrame({"Titel": [f"Angebot {i}" for i in range(n)], "Quartier": quartier,
                         "Träger": traeger or ["Verein"] * n}, dtype=object)


def test_a_column_filled_at_the_top_of_each_block_is_suggested_and_filled() -> None:
    data = frame(["Nord", None, None, "Süd", "", None, "-bitte auswählen-", "West", None])
    assert filldown.suggest(data, MAPPING) == ["Quartier"]
    report = Report()
    out = filldown.fill(data, ["Quartier"], list(range(2, 11)), report, file="f.xlsx", sheet="S")
    assert out["Quartier"].tolist() == ["Nord"] * 3 + ["Süd"] * 4 + ["West"] * 2
    assert data["Quartier"].tolist()[1] is None  # the input frame is not changed
    assert [p.message for p in report.problems] == ["6 leere Zellen mit dem Wert darüber aufgefüllt (ab Zeile 3)."]


def test_no_suggestion_without_a_clear_block_pattern() -> None:
    assert filldown.suggest(frame(["Nord", "Süd", "West", "Nord", "Ost", "Süd"]), MAPPING) == []  # full
    assert filldown.suggest(frame([None, "Nord", None, "Süd", None, "Ost"]), MAPPING) == []  # first row empty
    assert filldown.suggest(frame(["Nord", None, "Nord", None, "Nord", None]), MAPPING) == []  # the same value again
    sparse_titles = frame(["Nord", None, None, "Süd", None, None])
    sparse_titles.loc[1:4, "Titel"] = None
    assert filldown.suggest(sparse_titles, MAPPING) == []  # the rows themselves are sparse


def test_the_pipeline_suggests_and_fills_only_when_asked() -> None:
    name, data = office.parish_xlsx(merged=False)
    suggested = pipeline.run([(name, data)])
    source = next(iter(suggested.sources.values()))
    assert source["fill_suggested"] == ["Wo (Bezirk/Viertel)", "Wer macht's"] and source["fill_down"] == []
    assert (suggested.activities[schema.QUARTIER].astype(str) == schema.OHNE_QUARTIER).sum() == 36
    assert sum("nur in der ersten Zeile jedes Blocks" in p.message for p in suggested.report.problems) == 2
    accepted = pipeline.run([(name, data)], options={name: pipeline.Options(fill_down=("*",))})
    assert accepted.activities[schema.QUARTIER].astype(str).tolist() == [r[2] for r in office.ACTIVITIES]
    assert accepted.activities[schema.TRAEGER].astype(str).tolist() == [r[3] for r in office.ACTIVITIES]
