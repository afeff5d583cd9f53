"""The SONI grid: levels, fields and aspects — the one source of truth.

Keys, labels and order follow ``shared/SONI.md``; users' files and scripts
depend on them, so change them only together with that contract.
"""

from __future__ import annotations

from dataclasses import dataclass

UNKLAR = "unklar"
#: Result for rows without social-work content (LED lighting, a music album): not "unklar".
KEIN_BEZUG = "kein Sozialbezug"


@dataclass(frozen=True)
class Aspect:
    key: str  # "S1" … "I3"
    field: str  # field name, e.g. "Sozialstruktur"
    label: str  # short label, e.g. "Sozialraumanalyse"
    wording: str  # the seed's wording


@dataclass(frozen=True)
class Field:
    key: str  # "S", "O", "N", "I"
    name: str  # "Sozialstruktur"
    level: str  # "System" or "Lebenswelt"
    refers_to: str  # "Kommunalpolitik und -verwaltung"
    row: int  # 0 = top (System), 1 = bottom (Lebenswelt)
    col: int  # 0 = left, 1 = right


LEVELS: tuple[str, ...] = ("System", "Lebenswelt")

FIELDS: tuple[Field, ...] = (
    Field("S", "Sozialstruktur", "System", "Kommunalpolitik und -verwaltung", 0, 0),
    Field("O", "Organisation", "System", "Hilfesystem", 0, 1),
    Field("N", "Netzwerk", "Lebenswelt", "Gemeinwesen", 1, 0),
    Field("I", "Individuum", "Lebenswelt", "Fallarbeit", 1, 1),
)

ASPECTS: tuple[Aspect, ...] = (
    Aspect("S1", "Sozialstruktur", "Sozialraumanalyse", "Bestand feststellen, Bedarf ermitteln"),
    Aspect("S2", "Sozialstruktur", "Sozialraumplanung", "bedarfsgerechte Infrastruktur planen"),
    Aspect(
        "S3",
        "Sozialstruktur",
        "Kommunales Sozialraumkonzept",
        "politische Entscheidungen, Transparenz und Öffentlichkeit",
    ),
    Aspect(
        "O1",
        "Organisation",
        "Angebotsentwicklung",
        "Entwicklung bedarfsgerechter Infrastruktur- und Unterstützungsangebote",
    ),
    Aspect(
        "O2",
        "Organisation",
        "Steuerung trägereigener Angebote",
        "sozialräumliche Steuerung der trägereigenen Angebote",
    ),
    Aspect(
        "O3",
        "Organisation",
        "Koordinierung trägerübergreifender Angebote",
        "sozialräumliche Koordinierung der trägerübergreifenden Angebote",
    ),
    Aspect("N1", "Netzwerk", "Fallunspezifische Arbeit", "Ausgangslage ist der Bedarf im Gemeinwesen"),
    Aspect(
        "N2", "Netzwerk", "Aktivierung von Ressourcen im Gemeinwesen", "quartiersbezogenes Empowerment"
    ),
    Aspect(
        "N3",
        "Netzwerk",
        "Trägerübergreifende Kooperation",
        "Kooperation zur Entwicklung struktureller Angebote im Gemeinwesen",
    ),
    Aspect(
        "I1",
        "Individuum",
        "Fallspezifische Arbeit",
        "Ausgangslage ist der individuelle Bedarf und der Wille der Menschen",
    ),
    Aspect("I2", "Individuum", "Individuelles Empowerment", "Arbeit mit individuellen Ressourcen"),
    Aspect(
        "I3", "Individuum", "Case-Management", "fallbezogene Koordinierung passgenauer individueller Hilfen"
    ),
)

FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
FIELD_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
ASPECT_BY_KEY: dict[str, Aspect] = {a.key: a for a in ASPECTS}
ASPECT_BY_LABEL: dict[str, Aspect] = {a.label: a for a in ASPECTS}
ASPECT_LABELS: tuple[str, ...] = tuple(a.label for a in ASPECTS)
#: Field values allowed in ``SONI-Feld`` (display order, then "unklar", then "kein Sozialbezug").
FIELD_VALUES: tuple[str, ...] = (*FIELD_NAMES, UNKLAR, KEIN_BEZUG)


def aspects_of(field: str) -> tuple[Aspect, ...]:
    """The three aspects of a field, in order."""
    return tuple(a for a in ASPECTS if a.field == field)


def _fold(text: str) -> str:
    return " ".join(str(text).casefold().replace("-", " ").split())


_FIELD_ALIASES: dict[str, str] = {
    **{_fold(f.name): f.name for f in FIELDS},
    **{_fold(f.key): f.name for f in FIELDS},
    "organisationen": "Organisation",
    "sozialstrukturen": "Sozialstruktur",
    "netzwerke": "Netzwerk",
    "individuen": "Individuum",
    "unklar": UNKLAR,
    _fold(KEIN_BEZUG): KEIN_BEZUG,
    "ohne sozialbezug": KEIN_BEZUG,
}


def parse_field(value: object) -> str | None:
    """A field name from what a user wrote ("Netzwerk", "N", "netzwerk "); None if unknown."""
    if value is None:
        return None
    return _FIELD_ALIASES.get(_fold(str(value)))


def parse_aspect(value: object, field: str | None = None) -> Aspect | None:
    """An aspect from its key ("N2") or (short) label, case- and space-insensitive."""
    if value is None:
        return None
    text = _fold(str(value))
    if not text:
        return None
    for a in ASPECTS:
        if text in (_fold(a.key), _fold(a.label), _fold(a.wording)) and field in (None, a.field):
            return a
    return None
