"""soni.years: matching by title, the grid over the years, what corrections teach."""

import pandas as pd
import pytest

from soni import grid, schema, years
from soni.classify import apply_corrections
from tests.conftest import make_activities


def _acts(rows, quartiere=None):
    """rows: (title, field, aspect[, quelle]); ``quartiere``: one per row (None: no Quartier column)."""
    out = pd.DataFrame({
        schema.TITEL: [r[0] for r in rows],
        schema.SONI_FELD: [r[1] for r in rows],
        schema.SONI_ASPEKT: [r[2] for r in rows],
        schema.SONI_QUELLE: [r[3] if len(r) > 3 else schema.QUELLE_REGEL for r in rows],
        schema.ZEILEN_ID: [f"f.xlsx:{i + 2}" for i in range(len(rows))],
    })
    if quartiere is not None:
        out[schema.QUARTIER] = quartiere
    return out


def test_title_key_ignores_case_spelling_punctuation():
    assert years.title_key("Sprach-Café (Mo.)") == years.title_key("sprachcafe  MO")
    assert years.title_key("Mütter-Treff") == years.title_key("Muettertreff")
    assert years.title_key(None) == years.title_key(float("nan")) == years.title_key("  --  ") == ""
    assert years.title_key("Chor") != years.title_key("Chorprobe")
    same = ["Männer-Café", "  maenner café ", "MÄNNERCAFE", "Ma\u0308nnercafe\u0301", "Männer\u00a0Café!",
            "männer_café", "Männer–Café (…)"]  # decomposed umlaut/accent, no-break space, dash, ellipsis
    assert {years.title_key(t) for t in same} == {"maennercafe"}
    assert years.title_key("Straße") == years.title_key("STRASSE") == years.title_key("Strasse")
    assert years.title_key("Sprachcafé Nord") != years.title_key("Sprachcafé Süd")


def _status(matched):
    return {(t, q): s for s, t, q in matched[["Status", "Titel", "Quartier"]].itertuples(index=False)}


def test_same_title_in_two_quartiere_is_two_activities():
    before = _acts([("Chor", "Netzwerk", ""), ("Chor", "Netzwerk", ""), ("Tafel", "Individuum", "")],
                   ["Nordstadt", "Südstadt", "Nordstadt"])
    after = _acts([("chor", "Netzwerk", ""), ("Chor", "Organisation", ""), ("Tafel", "Individuum", "")],
                  ["Südstadt", "Weststadt", "Nordstadt"])
    got = _status(years.match(before, after))
    # Südstadt's choir stayed; Nordstadt's ended, Weststadt's is new — not one choir that "moved"
    assert got == {("chor", "Südstadt"): years.GLEICH, ("Chor", "Nordstadt"): years.WEGGEFALLEN,
                   ("Chor", "Weststadt"): years.NEU, ("Tafel", "Nordstadt"): years.GLEICH}


def test_quartier_named_in_the_title_and_a_missing_quartier():
    before = _acts([("Seniorentreff (Nordstadt)", "Netzwerk", ""), ("Nordstadt-Fest", "Sozialstruktur", ""),
                    ("Kostbar", "Individuum", ""), ("Sprachkurs", "Individuum", "")],
                   ["Nordstadt", "Nordstadt", "Ost", schema.OHNE_QUARTIER])
    after = _acts([("Seniorentreff", "Netzwerk", ""), ("Nordstadtfest", "Sozialstruktur", ""),
                   ("Kostbar", "Individuum", ""), ("Sprachkurs", "Organisation", ""),
                   ("Seniorentreff Südstadt", "Netzwerk", "")],
                  ["Nordstadt", "Nordstadt", "Ost", "Südstadt", "Südstadt"])
    got = _status(years.match(before, after))
    assert got == {("Seniorentreff", "Nordstadt"): years.GLEICH, ("Nordstadtfest", "Nordstadt"): years.GLEICH,
                   ("Kostbar", "Ost"): years.GLEICH,  # "Ost" is a word of its own, not part of "Kostbar"
                   ("Sprachkurs", "Südstadt"): years.VERSCHOBEN,  # no Quartier last year: the title decides
                   ("Seniorentreff Südstadt", "Südstadt"): years.NEU}
    # without a Quartier column at all, the title alone decides
    plain = years.match(_acts([("Chor", "Netzwerk", "")]), _acts([("CHOR", "Netzwerk", "")]))
    assert plain["Status"].tolist() == [years.GLEICH] and plain["Quartier"].tolist() == [""]


def test_match_new_gone_moved_same():
    aspect_n = grid.aspects_of("Netzwerk")[0].label
    aspect_i = grid.aspects_of("Individuum")[0].label
    before = _acts([("Chor", "Netzwerk", aspect_n), ("Tafel", "Individuum", aspect_i),
                    ("Stadtteilrunde", "Netzwerk", aspect_n), ("", "unklar", "")])
    after = _acts([("chor", "Netzwerk", aspect_n), ("Stadtteil-Runde", "Sozialstruktur", ""),
                   ("Repair-Café", "Netzwerk", aspect_n)])
    m = years.match(before, after).set_index("Titel")
    assert m.loc["Repair-Café", "Status"] == years.NEU
    assert m.loc["Tafel", "Status"] == years.WEGGEFALLEN
    assert m.loc["Stadtteil-Runde", "Status"] == years.VERSCHOBEN
    assert (m.loc["Stadtteil-Runde", "Feld vorher"], m.loc["Stadtteil-Runde", "Feld nachher"]) == (
        "Netzwerk", "Sozialstruktur")
    assert m.loc["chor", "Status"] == years.GLEICH
    assert years.match_summary(m.reset_index()) == {"neu": 1, "weggefallen": 1, "verschoben": 1, "gleich": 1}
    assert years.match(before, after).attrs["ohne_titel"] == {"vorher": 1, "nachher": 0}


def test_match_repeated_titles_pair_in_order():
    before = _acts([("Chor", "Netzwerk", ""), ("Chor", "Netzwerk", "")])
    after = _acts([("Chor", "Netzwerk", ""), ("Chor", "Netzwerk", ""), ("Chor", "Organisation", "")])
    assert years.match_summary(years.match(before, after)) == {"neu": 1, "weggefallen": 0, "verschoben": 0,
                                                               "gleich": 2}


def test_grid_over_years_totals_and_shift():
    a, b = make_activities(120, seed=1), make_activities(80, seed=2)
    table = years.grid_over_years([("2024", a), ("2025", b)])
    assert list(table.columns) == ["Feld", "Schlüssel", "Aspekt", "2024", "2025", "Veränderung"]
    inner = table[table["Aspekt"] != years.FELD_GESAMT]
    assert inner["2024"].sum() == 120 and inner["2025"].sum() == 80  # every activity once (incl. unklar)
    totals = table[table["Aspekt"] == years.FELD_GESAMT].set_index("Feld")
    for name in grid.FIELD_NAMES:
        assert totals.at[name, "2024"] == (a[schema.SONI_FELD] == name).sum()
    assert (table["Veränderung"] == table["2025"] - table["2024"]).all()
    assert "Veränderung" not in years.grid_over_years([("2024", a)]).columns
    with pytest.raises(ValueError):
        years.grid_over_years([("x", a), ("x", b)])


def test_export_tables_one_sheet_per_step():
    a, b, c = (make_activities(30, seed=s) for s in (1, 2, 3))
    tables = years.export_tables([("2023", a), ("2024", b), ("2025/26: neu", c)])
    assert next(iter(tables)) == "Jahresvergleich" and len(tables) == 3
    assert all(len(name) <= 31 and ":" not in name for name in tables)


def test_corrections_of_records_old_and_new():
    raw = _acts([("Chor", "Netzwerk", ""), ("Tafel", "Individuum", "")], ["Nordstadt", schema.OHNE_QUARTIER])
    got = years.corrections_of(raw, {"f.xlsx:3": ("Organisation", None), "f.xlsx:2": ("Sozialstruktur", "S2"),
                                     "nicht da": ("Netzwerk", None)})
    assert got == [years.Correction("f.xlsx:3", "Tafel", "Individuum", "", "Organisation", None, ""),
                   years.Correction("f.xlsx:2", "Chor", "Netzwerk", "", "Sozialstruktur", "S2", "Nordstadt")]


def _log(rows):
    """A correction log as the store keeps it: (titel, quartier, new_feld, new_aspekt), oldest first."""
    return pd.DataFrame({"titel": [r[0] for r in rows], "titel_key": [years.title_key(r[0]) for r in rows],
                         "quartier": [r[1] for r in rows], "new_feld": [r[2] for r in rows],
                         "new_aspekt": [r[3] for r in rows]})


def test_carry_corrections_by_title_not_over_the_file():
    learnt = years.latest_corrections(_log([("Tafel", "", "Individuum", None), ("Tafel", "", "Organisation", None),
                                            ("Chor", "", "Sozialstruktur", "")]))
    assert len(learnt) == 2  # the latest per title
    nxt = _acts([("TAFEL", "Individuum", ""), ("Chor", "Netzwerk", "", schema.QUELLE_DATEI), ("Neu", "Netzwerk", "")])
    carried = years.carry_corrections(nxt, learnt)
    assert carried == {"f.xlsx:2": ("Organisation", None)}
    applied = apply_corrections(nxt, carried)
    assert applied[schema.SONI_FELD].tolist() == ["Organisation", "Netzwerk", "Netzwerk"]
    assert years.carry_corrections(nxt, learnt.iloc[0:0]) == {}


def test_carry_corrections_to_the_same_activity_in_its_quartier():
    learnt = years.latest_corrections(_log([
        ("Chor", "Nordstadt", "Organisation", None), ("Chor", "Südstadt", "Sozialstruktur", None),
        ("Tafel", "Nordstadt", "Individuum", "I1"), ("Seniorentreff (Nordstadt)", "Nordstadt", "Netzwerk", "N1"),
        ("Repair-Café", "", "Netzwerk", "N2")]))  # saved before Quartiere were kept, or a list without them
    nxt = _acts([("chor", "Netzwerk", ""), ("Chor", "Netzwerk", ""), ("Chor", "Netzwerk", ""),
                 ("Chor", "Netzwerk", ""), ("Tafel", "Netzwerk", ""), ("Tafel", "Netzwerk", ""),
                 ("Seniorentreff", "Organisation", ""), ("Repaircafe", "Individuum", "")],
                ["Nordstadt", "Südstadt", "Weststadt", schema.OHNE_QUARTIER, schema.OHNE_QUARTIER, "Weststadt",
                 "Nordstadt", "Weststadt"])
    carried = years.carry_corrections(nxt, learnt)
    assert carried == {
        "f.xlsx:2": ("Organisation", None), "f.xlsx:3": ("Sozialstruktur", None),  # each choir its own
        # Weststadt's choir is another activity; the choir without Quartier: the two corrections disagree
        "f.xlsx:6": ("Individuum", "I1"),  # the Tafel without Quartier: its title was corrected one way only
        "f.xlsx:8": ("Netzwerk", "N1"),  # the title named its Quartier last year
        "f.xlsx:9": ("Netzwerk", "N2"),  # a correction without Quartier holds for the title everywhere
    }
