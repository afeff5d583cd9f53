"""A plain-German reading of a selection: where the work concentrates and where gaps are.

``schwerpunkte_und_luecken`` turns the grids of ``soni.aggregate`` into a headline
and a few sentences with hints from the model (``texts.FIELD_HINTS``/``ASPECT_HINTS``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from soni import aggregate, grid, texts

#: A field with at least this share is a focus ("Schwerpunkt").
STRONG_SHARE = 0.35
#: A field below this share is weak; 0 means missing.
WEAK_SHARE = 0.10
#: An aspect with at least this share of the assigned total is named as a focus.
STRONG_ASPECT_SHARE = 0.15
#: Below this many assigned activities the shares are only rough hints.
FEW_ACTIVITIES = 10


@dataclass
class Lesart:
    """The reading: a headline and the points below it (German sentences)."""

    headline: str
    points: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Headline followed by the points."""
        return [self.headline, *self.points]

    def as_text(self, bullet: str = "– ") -> str:
        """Headline and points as plain text, one point per line."""
        return "\n".join([self.headline, *(bullet + p for p in self.points)])

    @classmethod
    def from_text(cls, text: str) -> Lesart:
        """Back from ``as_text`` as a user edited it: first non-empty line the headline, each further
        line a point ("– ", "- ", "• " or "* " in front are dropped)."""
        lines = [line.strip() for line in str(text).splitlines() if line.strip()]
        if not lines:
            return cls("")
        points = [line.lstrip("–-•*").strip() for line in lines[1:]]
        return cls(lines[0], [p for p in points if p])


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " und " + names[-1]


def schwerpunkte_und_luecken(df: pd.DataFrame, metric: str, scope_label: str) -> Lesart:
    """Read the picture of ``df`` for ``metric``: focus fields and aspects, weak and missing ones
    (with a hint what work there could look like), the balance of the two levels, and notes on
    unassigned rows and missing values. ``scope_label`` names the selection ("Quartier Nordstadt").
    """
    scope = scope_label or "diese Auswahl"
    n_rows = len(df)
    if n_rows == 0:
        return Lesart(f"{scope}: keine Aktivitäten in dieser Auswahl.")
    of_what = texts.METRIC_GENITIVE.get(metric, metric)
    label = texts.METRIC_SHORT.get(metric, metric)
    unclear_rows = int(aggregate.unclear_count(df, "anzahl"))
    fields = aggregate.field_totals(df, metric).astype("float64")
    total = float(fields.sum())
    notes: list[str] = []
    missing = aggregate.missing_share(df, metric)
    if missing > 0:
        notes.append(
            f"Für {texts.fmt_share(missing)} der Aktivitäten fehlt die Angabe {label}; "
            "sie sind hier nicht mitgezählt."
        )
    if unclear_rows:
        notes.append(
            f"{texts.fmt_metric(unclear_rows, 'anzahl')} ({texts.fmt_share(unclear_rows / n_rows)}) "
            f"{'ist' if unclear_rows == 1 else 'sind'} noch keinem SONI-Feld zugeordnet und "
            "fehlen in diesem Bild. Eine Zuordnung auf der Seite "
            f"„{texts.PAGE_TITLES['pruefen']}“ macht es vollständiger."
        )
    if unclear_rows == n_rows:
        return Lesart(f"{scope}: Noch keine Aktivität ist einem SONI-Feld zugeordnet.", notes)
    if total <= 0:
        return Lesart(f"{scope}: Für die zugeordneten Aktivitäten liegen keine Angaben zu {label} vor.", notes)

    shares = fields / total
    order = shares.sort_values(ascending=False, kind="stable")
    strong = [f for f, s in order.items() if s >= STRONG_SHARE] or [f for f, s in order.items() if s == order.iloc[0]]
    strong_share = float(shares[strong].sum())
    if len(strong) == 1:
        headline = (
            f"{scope}: Der Schwerpunkt liegt im Feld {strong[0]} "
            f"({texts.fmt_share(strong_share)} {of_what})."
        )
    else:
        headline = (
            f"{scope}: Die Schwerpunkte liegen in den Feldern {_join(strong)} "
            f"(zusammen {texts.fmt_share(strong_share)} {of_what})."
        )
    points: list[str] = []

    # levels
    level_share = {lvl: float(shares[[f.name for f in grid.FIELDS if f.level == lvl]].sum()) for lvl in grid.LEVELS}
    system, lebenswelt = level_share["System"], level_share["Lebenswelt"]
    if abs(system - lebenswelt) >= 0.2:
        names = {"System": "Systemebene", "Lebenswelt": "Ebene der Lebenswelt"}
        more, less = ("Lebenswelt", "System") if lebenswelt > system else ("System", "Lebenswelt")
        weaker = (f"die {names[less]} ist mit {texts.fmt_share(level_share[less])} schwächer vertreten"
                  if level_share[less] > 0 else f"auf der {names[less]} ist bisher nichts erfasst")
        points.append(
            f"Die Arbeit liegt vor allem auf der {names[more]} ({texts.fmt_share(level_share[more])}); {weaker}."
        )
    else:
        points.append(
            f"Systemebene ({texts.fmt_share(system)}) und Lebenswelt ({texts.fmt_share(lebenswelt)}) "
            "sind ähnlich stark vertreten."
        )

    # aspects
    aspects = aggregate.aspect_grid(df, metric).table.astype("float64")
    labels = aggregate.aspect_labels()
    keys = aggregate.aspect_keys()
    aspect_shares = {
        (fname, pos): float(aspects.at[fname, pos]) / total for fname in grid.FIELD_NAMES
        for pos in aggregate.ASPECT_POSITIONS
    }
    top = sorted(aspect_shares.items(), key=lambda kv: -kv[1])
    named = [(k, s) for k, s in top if s >= STRONG_ASPECT_SHARE][:3]
    if named:
        parts = [f"{labels.at[f, p]} ({f}, {texts.fmt_share(s)})" for (f, p), s in named]
        points.append(f"Am stärksten vertretene Aspekte: {_join(parts)}.")

    # missing and weak fields, with hints
    rows_per_field = aggregate.field_totals(df, "anzahl")
    for fname in grid.FIELD_NAMES:
        s = float(shares[fname])
        if s == 0:
            what = (
                "gibt es bisher keine Aktivität" if rows_per_field[fname] == 0
                else f"sind keine Angaben zu {label} erfasst"
            )
            points.append(
                f"Im Feld {fname} ({grid.FIELD_BY_NAME[fname].refers_to}) {what}. "
                f"Arbeit dort könnte so aussehen: {texts.field_hint(fname)}."
            )
        elif s < WEAK_SHARE:
            points.append(
                f"Das Feld {fname} ist mit {texts.fmt_share(s)} {of_what} schwach vertreten. "
                f"Ansatzpunkte: {texts.field_hint(fname)}."
            )

    # empty aspects inside fields that do have work
    for fname in grid.FIELD_NAMES:
        if float(shares[fname]) == 0:
            continue
        empty = [p for p in aggregate.ASPECT_POSITIONS if aspects.at[fname, p] == 0]
        if not empty:
            continue
        names_ = _join([f"„{labels.at[fname, p]}“" for p in empty])
        hints = "; ".join(texts.aspect_hint(keys.at[fname, p]) for p in empty)
        verb = "fehlt der Aspekt" if len(empty) == 1 else "fehlen die Aspekte"
        points.append(f"Im Feld {fname} {verb} {names_}. Möglich wäre: {hints}.")

    assigned_rows = n_rows - unclear_rows
    if assigned_rows < FEW_ACTIVITIES:
        points.append(
            f"Es {'ist' if assigned_rows == 1 else 'sind'} nur {texts.fmt_metric(assigned_rows, 'anzahl')} "
            "zugeordnet; "
            "die Anteile sind deshalb nur grobe Hinweise."
        )
    return Lesart(headline, points + notes)
