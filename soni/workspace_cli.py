"""``python -m soni save | list | export``: the team workspace (``soni.store``) on the command line.

The same database as the app (``--db`` or ``SONI_DB_URL``, else the SQLite file ``var/soni.db``);
without ``--user`` the local workspace. ``save`` classifies with the workspace's own terms and
carries the workspace's corrections over to the same activities (by title), like the app.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from soni import schema


def add_commands(sub, with_input: Callable[[argparse.ArgumentParser], None]) -> None:
    """The three subcommands (``sub``: the main parser's subparsers)."""

    def with_db(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", metavar="URL", help="Datenbank-URL (Standard: $SONI_DB_URL, sonst var/soni.db)")
        p.add_argument("--user", metavar="E-MAIL",
                       help="E-Mail der Person, deren Arbeitsbereich gemeint ist (sonst: lokal)")

    p = sub.add_parser("save", help="einlesen, zuordnen und als Bestandsaufnahme im Arbeitsbereich speichern")
    with_input(p)
    with_db(p)
    p.add_argument("--name", required=True, metavar="NAME",
                   help='z. B. "Bestandsaufnahme 2025" (gleicher Name: ersetzt)')
    p.add_argument("--gemeinde", metavar="TEXT", help="Gemeinde oder Einrichtung")
    p.add_argument("--datum", type=_date, metavar="JJJJ-MM-TT", help="Datum der Bestandsaufnahme, JJJJ-MM-TT")
    p.add_argument("--ohne-lernen", action="store_true", help="frühere Korrekturen nicht übernehmen")
    p = sub.add_parser("list", help="die gespeicherten Bestandsaufnahmen des Arbeitsbereichs")
    with_db(p)
    p = sub.add_parser("export", help="eine Bestandsaufnahme als Tabelle oder Sitzungspaket, mehrere als "
                       "Jahresvergleich (Sitzungspaket über die Jahre)")
    with_db(p)
    p.add_argument("names", nargs="+", metavar="NAME", help="Name oder Nummer (aus list), in zeitlicher Reihenfolge")
    p.add_argument("--out", required=True, metavar="DATEI",
                   help="eine Bestandsaufnahme: .csv oder .xlsx (die Aktivitäten) oder .pdf, .pptx, .png, .zip "
                        "(das Sitzungspaket); mehrere: .pdf, .pptx, .xlsx, .png oder .zip (der Jahresvergleich)")
    p.add_argument("--metric", default="anzahl", choices=list(schema.METRICS))


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}“ ist kein Datum (JJJJ-MM-TT)") from None


def command(args: argparse.Namespace, load: Callable, write_table: Callable, write_report: Callable) -> None:
    """Run ``save``, ``list`` or ``export`` (``load``, ``write_table``, ``write_report``: the CLI's own helpers)."""
    from soni import store

    db = store.Store(args.db)
    try:
        ws = db.workspace(args.user)
        if args.command == "save":
            _save(args, db, ws, load)
        elif args.command == "list":
            _list(db, ws)
        else:
            _export(args, db, ws, write_table, write_report)
    finally:
        db.close()


def _save(args: argparse.Namespace, db, ws, load: Callable) -> None:
    from soni import years
    from soni.classify import apply_corrections

    terms = db.lexicon(ws)
    inventory = load(args, terms if len(terms) else None)
    raw = inventory.activities
    carried = {} if args.ohne_lernen else years.carry_corrections(raw, db.learnt(ws))
    activities = apply_corrections(raw, carried) if carried else raw
    info = db.save(ws, args.name, activities, inventory.original, gemeinde=args.gemeinde, datum=args.datum,
                   mappings=inventory.mappings, sources=inventory.sources,
                   corrections=years.corrections_of(raw, carried))
    learnt = f", {len(carried)} Zuordnungen aus früheren Korrekturen übernommen" if carried else ""
    print(f"Gespeichert: „{info.name}“ (Nr. {info.id}, {info.n_rows} Aktivitäten{learnt}) in {db.where}.",
          file=sys.stderr)


def _list(db, ws) -> None:
    infos = db.inventories(ws)
    if not infos:
        print(f"Keine gespeicherten Bestandsaufnahmen ({ws.name}, {db.where}).", file=sys.stderr)
        return
    for i in infos:
        datum = i.datum.isoformat() if i.datum else "-"
        print(f"{i.id}\t{i.name}\t{i.gemeinde or '-'}\t{datum}\t{i.n_rows}\t"
              f"{i.saved_at:%Y-%m-%d %H:%M} UTC\t{i.saved_by}")


def _export(args: argparse.Namespace, db, ws, write_table: Callable, write_report: Callable) -> None:
    out = Path(args.out)
    suffix = out.suffix.lower()
    saved = [db.open(ws, name) for name in args.names]
    if len({s.info.id for s in saved}) != len(saved):
        from soni.report import InputError

        raise InputError("Jede Bestandsaufnahme nur einmal angeben.")
    if len(saved) == 1:
        from soni.inventory import Inventory

        s = saved[0]
        inventory = Inventory(s.activities, s.original, mappings=s.mappings, sources=s.sources)
        if suffix in (".csv", ".xlsx", ".xlsm"):
            from soni.pipeline import export_frame

            write_table(export_frame(inventory), out)
        else:
            from soni.export.package import build_report

            write_report(lambda formats: build_report(inventory, metric=args.metric, formats=formats), out)
        return
    from soni.export.over_years import build_years_report

    inventories = [(s.info.name, s.activities) for s in saved]
    write_report(lambda formats: build_years_report(inventories, metric=args.metric, formats=formats), out)
