"""German messages for ``argparse`` (the command line's help and errors).

``argparse`` builds its texts with ``gettext`` (``argparse._`` and ``argparse.ngettext``) and has no
German catalogue; ``german()`` swaps both for a lookup in ``MESSAGES`` while the command line builds
its parser and reads its arguments, and puts them back afterwards (other users of ``argparse`` in the
same process, e.g. a test runner, keep English). Messages not listed stay as they are.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator

MESSAGES: dict[str, str] = {
    "usage: ": "Aufruf: ",
    "positional arguments": "Angaben",
    "options": "Optionen",
    "show this help message and exit": "diese Hilfe zeigen und beenden",
    "show program's version number and exit": "Version zeigen und beenden",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "es fehlt: %s",
    "one of the arguments %s is required": "eine dieser Angaben ist nötig: %s",
    "unrecognized arguments: %s": "unbekannte Angaben: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ungültige Auswahl %(value)r (möglich: %(choices)s)",
    "invalid %(type)s value: %(value)r": "%(value)r ist keine gültige Angabe (erwartet: %(type)s)",
    "expected one argument": "erwartet einen Wert",
    "expected at most one argument": "erwartet höchstens einen Wert",
    "expected at least one argument": "erwartet mindestens einen Wert",
    "ambiguous option: %(option)s could match %(matches)s": "mehrdeutige Option %(option)s: passt zu %(matches)s",
    "not allowed with argument %s": "nicht zusammen mit %s erlaubt",
    "ignored explicit argument %r": "Wert %r wird hier nicht erwartet",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "unbekannter Befehl %(parser_name)r (möglich: %(choices)s)",
    "unexpected option string: %s": "unerwartete Option: %s",
    "can't open '%(filename)s': %(error)s": "'%(filename)s' lässt sich nicht öffnen: %(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
}
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("expected %s argument", "expected %s arguments"): ("erwartet %s Wert", "erwartet %s Werte"),
}


def translate(message: str) -> str:
    return MESSAGES.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    one, many = PLURALS.get((singular, plural), (singular, plural))
    return one if n == 1 else many


def whole_number(text: str) -> int:
    """``type=`` for whole numbers, named in German in an error ("erwartet: ganze Zahl")."""
    return int(text)


whole_number.__name__ = "ganze Zahl"


@contextlib.contextmanager
def german() -> Iterator[None]:
    """While active, ``argparse`` speaks German (see the module docstring)."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = translate, translate_plural
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved
