"""Invented activity inventories for benchmarks — and the phrase tables the sample shares.

Everything here is invented (erfundene Beispieldaten): places, Träger, numbers.
``data/make_sample.py`` builds the small hand-profiled sample from the same
catalogue (``KINDS``, ``QUARTIERE``, ``TRAEGER``, ``RAHMEN``), so there is one copy.

Usage::

    python bench/generate.py --rows 50000 --format xlsx --out bench/out/inv_50k.xlsx
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: python bench/generate.py
    sys.path.insert(0, str(ROOT))

from soni import grid  # noqa: E402

# --- column layout (as a parish office would head its list) ---------------------
TITEL = "Titel"
BESCHREIBUNG = "Beschreibung"
QUARTIER = "Quartier"
TRAEGER_COL = "Träger"
ZIELGRUPPE = "Zielgruppe"
ART = "Angebotsart"
BEGINN = "Beginn"
ENDE = "Ende"
STUNDEN = "Stunden (pro Jahr)"
TEILNEHMENDE = "Teilnehmende"
KOSTEN = "Kosten (€)"
EHRENAMTLICHE = "Ehrenamtliche"
HEADERS: tuple[str, ...] = (
    TITEL, BESCHREIBUNG, QUARTIER, TRAEGER_COL, ZIELGRUPPE, ART,
    BEGINN, ENDE, STUNDEN, TEILNEHMENDE, KOSTEN, EHRENAMTLICHE,
)
#: extra columns of ``generate_inventory(..., with_labels=True)``: the intended SONI cell
SOLL_FELD = "Soll-Feld"
SOLL_ASPEKT = "Soll-Aspekt"

TOWN = "Hohenbrück"  # invented town

FIELD_OF_KEY: dict[str, str] = {f.key: f.name for f in grid.FIELDS}
ASPECT_LABEL: dict[str, str] = {a.key: a.label for a in grid.ASPECTS}
ASPECT_KEYS: tuple[str, ...] = tuple(ASPECT_LABEL)


# --- Quartiere -------------------------------------------------------------------
@dataclass(frozen=True)
class Quartier:
    """An invented Quartier: its name, how to say 'in it', a meeting place, its parish and club."""

    name: str
    im: str  # "in der Nordstadt", "am Wasserturm"
    ort: str  # "im Stadtteiltreff Nordstadt"
    gemeinde: str
    verein: str

    def context(self) -> dict[str, str]:
        """Placeholders for the phrase tables: {q}, {im_q}, {Im_q}, {ort}, {Ort}."""
        return {
            "q": self.name,
            "im_q": self.im,
            "Im_q": self.im[:1].upper() + self.im[1:],
            "ort": self.ort,
            "Ort": self.ort[:1].upper() + self.ort[1:],
        }


def _q(name: str, im: str, ort: str, gemeinde: str, verein: str = "") -> Quartier:
    return Quartier(name, im, ort, gemeinde, verein or f"Bürgerverein {name} e. V.")


#: The first six are the Quartiere of the built-in sample.
QUARTIERE: tuple[Quartier, ...] = (
    _q("Altstadt", "in der Altstadt", "im Gemeindehaus St. Markus", "Ev. Kirchengemeinde St. Markus",
       "Altstadtverein Hohenbrück e. V."),
    _q("Nordstadt", "in der Nordstadt", "im Stadtteiltreff Nordstadt", "Ev. Lukasgemeinde Nordstadt",
       "Stadtteilverein Nordstadt e. V."),
    _q("Am Wasserturm", "am Wasserturm", "im Nachbarschaftshaus am Wasserturm",
       "Ev. Kirchengemeinde Am Wasserturm", "Nachbarschaftsverein Wasserturm e. V."),
    _q("Südstadt", "in der Südstadt", "im Gemeindezentrum Zum Guten Hirten",
       "Ev. Kirchengemeinde Zum Guten Hirten"),
    _q("Lindenhof", "im Lindenhof", "im Familienzentrum Lindenhof", "Ev. Kirchengemeinde St. Markus",
       "Familienzentrum Lindenhof e. V."),
    _q("Brückenfeld", "in Brückenfeld", "im alten Pfarrhaus Brückenfeld",
       "Ev. Dorfkirchengemeinde Brückenfeld", "Heimatverein Brückenfeld e. V."),
    _q("Ostend", "im Ostend", "im Jugendhaus Ostend", "Ev. Paulusgemeinde Ostend"),
    _q("Westpark", "im Westpark", "im Bürgerhaus Westpark", "Ev. Johannesgemeinde"),
    _q("Am Mühlbach", "am Mühlbach", "im Gemeindehaus am Mühlbach", "Ev. Kirchengemeinde Am Mühlbach"),
    _q("Kirchberg", "am Kirchberg", "im Pfarrsaal Kirchberg", "Ev. Kirchengemeinde Kirchberg"),
    _q("Eichenkamp", "in Eichenkamp", "in der Begegnungsstätte Eichenkamp", "Ev. Matthäusgemeinde"),
    _q("Neue Mitte", "in der Neuen Mitte", "im Quartiersbüro Neue Mitte", "Ev. Versöhnungsgemeinde"),
    _q("Sonnenhang", "am Sonnenhang", "im Treffpunkt Sonnenhang", "Ev. Kirchengemeinde Sonnenhang"),
    _q("Hafenviertel", "im Hafenviertel", "im Stadtteilladen Hafenviertel", "Ev. Nikolaigemeinde"),
    _q("Gartenstadt", "in der Gartenstadt", "im Gemeindehaus Gartenstadt", "Ev. Kirchengemeinde Gartenstadt"),
    _q("Schlossviertel", "im Schlossviertel", "im Kulturtreff Schlossviertel", "Ev. Schlosskirchengemeinde"),
    _q("Bahnhofsviertel", "im Bahnhofsviertel", "im Stadtteilbüro am Bahnhof", "Ev. Thomasgemeinde"),
    _q("Heidesiedlung", "in der Heidesiedlung", "im Siedlungstreff", "Ev. Kirchengemeinde Heidesiedlung"),
    _q("Oberdorf", "im Oberdorf", "im Dorfgemeinschaftshaus Oberdorf", "Ev. Kirchengemeinde Oberdorf"),
    _q("Unterdorf", "im Unterdorf", "im Gemeinderaum Unterdorf", "Ev. Kirchengemeinde Unterdorf"),
    _q("Rosenau", "in der Rosenau", "im Familientreff Rosenau", "Ev. Philippusgemeinde"),
    _q("Am Stadtwald", "am Stadtwald", "in der Waldschule am Stadtwald", "Ev. Kirchengemeinde Am Stadtwald"),
    _q("Weststadt", "in der Weststadt", "im Paul-Gerhardt-Haus", "Ev. Paul-Gerhardt-Gemeinde"),
    _q("Mühlenviertel", "im Mühlenviertel", "im Mühlentreff", "Ev. Kirchengemeinde Mühlenviertel"),
    _q("Feldmark", "in der Feldmark", "im Gemeinschaftsraum Feldmark", "Ev. Kirchengemeinde Feldmark"),
    _q("Kastanienhof", "im Kastanienhof", "im Mietertreff Kastanienhof", "Ev. Andreasgemeinde"),
    _q("Auf der Höhe", "auf der Höhe", "im Gemeindehaus auf der Höhe", "Ev. Bergkirchengemeinde"),
    _q("An der Ziegelei", "an der Ziegelei", "im Quartierstreff Ziegelei", "Ev. Kirchengemeinde Ziegelei"),
    _q("Rathausviertel", "im Rathausviertel", "im Stadtteilzentrum Mitte", "Ev. Stadtkirchengemeinde"),
    _q("Lerchenfeld", "in Lerchenfeld", "im Kinder- und Familienzentrum Lerchenfeld",
       "Ev. Kirchengemeinde Lerchenfeld"),
    _q("Birkenhain", "im Birkenhain", "im Begegnungscafé Birkenhain", "Ev. Jakobusgemeinde"),
    _q("Im Grund", "im Grund", "im Jugendtreff im Grund", "Ev. Kirchengemeinde Im Grund"),
    _q("Neustadt", "in der Neustadt", "im Lutherhaus", "Ev. Luthergemeinde Neustadt"),
    _q("Kanalviertel", "im Kanalviertel", "im Nachbarschaftsladen am Kanal", "Ev. Kreuzgemeinde"),
    _q("Am Markt", "am Markt", "im Gemeindesaal am Markt", "Ev. Marktkirchengemeinde"),
    _q("Weinberg", "am Weinberg", "im Haus der Begegnung am Weinberg", "Ev. Kirchengemeinde Weinberg"),
    _q("Tannenkamp", "in Tannenkamp", "im Stadtteiltreff Tannenkamp", "Ev. Stephanusgemeinde"),
    _q("Alte Weberei", "an der Alten Weberei", "im Quartierszentrum Alte Weberei", "Ev. Martinsgemeinde"),
    _q("Schulviertel", "im Schulviertel", "im Elterncafé der Grundschule", "Ev. Kirchengemeinde Schulviertel"),
    _q("Südhang", "am Südhang", "im Matthias-Claudius-Haus", "Ev. Claudiusgemeinde"),
)

#: Träger that work town-wide (all invented). "gemeinde" and "verein" come from the Quartier.
TRAEGER: dict[str, str] = {
    "diakonie": f"Diakonisches Werk {TOWN} e. V.",
    "sozialdienst": "Sozialdienst St. Elisabeth e. V.",
    "pfarrei": f"Kath. Pfarrei Heilig Geist {TOWN}",
    "stadt": f"Stadt {TOWN}, Amt für Soziales",
    "projekt": "Aufbruch Quartier (Projektteam)",
    "station": f"Diakoniestation {TOWN} gGmbH",
    "freiwillig": f"Freiwilligenagentur {TOWN}",
}


def traeger_name(role: str, quartier: Quartier) -> str:
    """The name of a Träger role ("gemeinde", "diakonie", "gemeinde+diakonie", …) in a Quartier."""
    names = []
    for part in role.split("+"):
        if part == "gemeinde":
            names.append(quartier.gemeinde)
        elif part == "verein":
            names.append(quartier.verein)
        else:
            names.append(TRAEGER[part])
    return " / ".join(names)


# --- the catalogue of activity kinds -----------------------------------------------
@dataclass(frozen=True)
class Kind:
    """One kind of activity with its intended SONI aspect and plausible figures (per year).

    The intended cell follows the labelling convention in ``docs/zuordnung.md``. ``drawn_as``
    is the catalogue section the kind is drawn from (sample profile, generator weights) when
    that differs from ``aspect``: a relabelled kind keeps its old section, so the sample file
    and the generated rows stay the same and only their labels change.
    """

    aspect: str  # intended SONI key, "N1"
    titles: tuple[str, ...]  # may contain {q}
    art: str  # Angebotsart
    groups: tuple[str, ...]  # Zielgruppe choices
    roles: tuple[str, ...]  # Träger roles, see traeger_name
    dauer: str  # "laufend", "projekt", "einmalig"
    stunden: tuple[int, int]
    teilnehmende: tuple[int, int]
    kosten: tuple[int, int]
    ehrenamtliche: tuple[int, int]
    texts: tuple[str, ...]  # one or two sentences; placeholders {q} {im_q} {Im_q} {ort} {Ort}
    paired: bool = False  # title i belongs to text i
    months: tuple[int, ...] = ()  # months in which it can start (seasonal); empty = any
    drawn_as: str = ""  # catalogue section it is drawn from; "" = aspect
    title_aspects: tuple[str, ...] = ()  # intended key per title when the titles differ; () = aspect

    @property
    def field(self) -> str:
        return FIELD_OF_KEY[self.aspect[0]]

    @property
    def section(self) -> str:
        """The catalogue section (an aspect key) the kind is drawn from."""
        return self.drawn_as or self.aspect

    def aspect_of(self, title_index: int) -> str:
        """The intended SONI key of an activity with title ``title_index``."""
        return self.title_aspects[title_index] if self.title_aspects else self.aspect

    @property
    def frames(self) -> str:
        """The key into ``RAHMEN`` for a second sentence."""
        if self.dauer == LAUF and self.art in MEETING_ARTS:
            return "gremium"
        return self.dauer

    def text_index(self, title_index: int, draw: float) -> int:
        """The text that goes with a title (paired kinds) or a free draw in [0, 1)."""
        return title_index if self.paired else int(draw * len(self.texts))


def _k(aspect: str, titles: str | tuple[str, ...], art: str, groups: tuple[str, ...],
       roles: tuple[str, ...], dauer: str, nums: tuple[int, int, int, int, int, int, int, int],
       *texts: str, paired: bool = False, months: tuple[int, ...] = (), drawn_as: str = "",
       title_aspects: tuple[str, ...] = ()) -> Kind:
    h0, h1, p0, p1, c0, c1, v0, v1 = nums
    titles = (titles,) if isinstance(titles, str) else titles
    if paired and len(titles) != len(texts):
        raise ValueError(f"paired kind needs as many texts as titles: {titles}")
    if title_aspects and (len(title_aspects) != len(titles) or aspect not in title_aspects):
        raise ValueError(f"title_aspects needs one key per title, among them the aspect: {titles}")
    for key in (aspect, drawn_as, *title_aspects):
        if key and key not in ASPECT_LABEL:
            raise ValueError(f"unknown aspect key {key!r}: {titles}")
    return Kind(aspect, titles, art, groups, roles, dauer, (h0, h1), (p0, p1), (c0, c1), (v0, v1), texts,
                paired, months, drawn_as, title_aspects)


LAUF, PROJ, EINM = "laufend", "projekt", "einmalig"
#: Angebotsarten that are meetings rather than offers (their second sentence differs).
MEETING_ARTS = frozenset({
    "Gremium", "Netzwerk", "Koordination", "Planung", "Planung intern", "Auswertung", "Fallbesprechung",
    "Kooperation", "Gespräch", "Klausur",
})
BEWOHNER = "Bewohnerschaft"
ALLE = "alle"
SENIOREN = "Seniorinnen und Senioren"
FAMILIEN = "Familien"
ARMUT = "Menschen mit wenig Einkommen"
POLITIK = "Politik und Verwaltung"
FACH = "Fachkräfte und Träger"
MIGRATION = "Menschen mit Migrationsgeschichte"

KINDS: tuple[Kind, ...] = (
    # --- S1 Sozialraumanalyse ---------------------------------------------------
    _k("S1", ("Bedarfserhebung {q}", "Bedarfsanalyse im Quartier"), "Analyse", (BEWOHNER, ALLE),
       ("projekt", "gemeinde"), PROJ, (60, 200, 40, 300, 500, 4000, 2, 8),
       "Schriftliche Befragung der Haushalte {im_q} zu Wohnsituation, Nachbarschaft und fehlenden "
       "Angeboten. Die Auswertung soll zeigen, wo Unterstützung am dringendsten gebraucht wird.",
       "Mit einem kurzen Fragebogen und Gesprächen an der Haustür haben wir erhoben, welche Bedarfe "
       "die Menschen {im_q} sehen. Die Ergebnisse gehen an den Kirchengemeinderat und die Stadt."),
    _k("S1", ("Quartiersbegehung", "Stadtteilspaziergang mit Anwohnenden"), "Begehung",
       (BEWOHNER, SENIOREN, FAMILIEN), ("projekt", "gemeinde"), EINM, (8, 30, 8, 30, 0, 150, 1, 5),
       "Gemeinsam mit Anwohnenden sind wir durch das Quartier gegangen und haben notiert, wo es "
       "Treffpunkte gibt und wo etwas fehlt, etwa Bänke, Spielflächen oder barrierefreie Wege.",
       "Bei einem Rundgang mit älteren Bewohnerinnen und Bewohnern wurden Angst-Orte, Barrieren und "
       "Lieblingsplätze {im_q} auf einer Karte festgehalten.", months=(4, 5, 6, 9, 10)),
    _k("S1", ("Bestandsaufnahme Angebote im Quartier", "Angebotslandkarte {q}"), "Analyse",
       (FACH, ALLE), ("projekt", "diakonie"), PROJ, (30, 120, 5, 20, 0, 800, 0, 2),
       "Zusammenstellung aller sozialen, kirchlichen und kulturellen Angebote {im_q} mit Zeiten, "
       "Ansprechpersonen und Zielgruppen. So wird sichtbar, wo es Lücken gibt.",
       "Wir erfassen, welche Beratungsstellen, Gruppen und Treffpunkte es im Stadtteil schon gibt, "
       "und tragen alles in eine gemeinsame Übersicht ein."),
    _k("S1", ("Auswertung Sozialdaten", "Sozialraumdaten auswerten"), "Analyse",
       ("Kirchengemeinderat", FACH), ("projekt",), PROJ, (20, 60, 5, 15, 0, 300, 0, 1),
       "Auswertung der städtischen Statistik zu Altersstruktur, Bezug von Grundsicherung und "
       "Kinderarmut {im_q}, aufbereitet für den Kirchengemeinderat.",
       "Mit Zahlen aus dem Sozialbericht der Stadt haben wir beschrieben, wie sich die Bevölkerung "
       "{im_q} in den letzten zehn Jahren verändert hat."),
    # Aktivierende Befragung: a community-organising method, Netzwerk N2 (docs/zuordnung.md)
    _k("N2", "Aktivierende Befragung", "Befragung", (BEWOHNER,), ("projekt", "gemeinde"), PROJ,
       (60, 180, 30, 120, 200, 1500, 3, 10),
       "Haupt- und Ehrenamtliche fragen an Haustüren und auf dem Spielplatz, was die Menschen {im_q} "
       "ärgert und was sie sich wünschen. Aus den Antworten entsteht ein Bild der dringendsten Bedarfe.",
       drawn_as="S1"),
    _k("S1", "Interviews mit Schlüsselpersonen", "Analyse", (FACH,), ("projekt",), PROJ,
       (15, 50, 6, 15, 0, 200, 0, 1),
       "Leitfadengespräche mit Kita-Leitung, Hausmeister, Hausärztin und Kioskbesitzer, um ein Bild "
       "vom Alltag und vom Bedarf {im_q} zu bekommen."),
    # --- S2 Sozialraumplanung ---------------------------------------------------
    _k("S2", ("Mitarbeit Stadtteilentwicklungsplan", "Stadtteilentwicklungsplan {q}"), "Gremium",
       (POLITIK,), ("projekt", "diakonie"), LAUF, (20, 80, 10, 30, 0, 200, 0, 1),
       "Wir bringen die Sicht von Gemeinde und Diakonie in die Arbeitsgruppe zum "
       "Stadtteilentwicklungsplan ein, vor allem zu Treffpunkten, Wohnen im Alter und Angeboten für "
       "Familien.",
       "Mitarbeit in der städtischen Planungsgruppe, die festlegt, welche soziale Infrastruktur {im_q} "
       "bis 2030 entstehen soll."),
    _k("S2", "Beteiligung an der Jugendhilfeplanung", "Planung", ("Kinder und Jugendliche", POLITIK),
       ("diakonie", "sozialdienst"), LAUF, (15, 50, 8, 20, 0, 100, 0, 1),
       "Im Unterausschuss Jugendhilfeplanung melden wir an, welche Angebote für Kinder und Jugendliche "
       "{im_q} fehlen, und begründen das mit unseren Erfahrungen."),
    _k("S2", ("Planung Quartierszentrum", "Planungswerkstatt Quartierszentrum"), "Planung",
       (BEWOHNER, POLITIK), ("projekt", "gemeinde"), PROJ, (30, 120, 15, 60, 300, 3000, 2, 6),
       "Mit Stadtplanung und Wohnungsbaugesellschaft planen wir, wie das leerstehende Gemeindehaus zu "
       "einem Quartierszentrum mit Café, Beratung und Gruppenräumen umgebaut werden kann.",
       "Planungswerkstatt mit Bewohnerinnen, Verwaltung und Architekturbüro: Welche Räume braucht ein "
       "Quartierszentrum {im_q}, und wer soll es tragen?"),
    _k("S2", ("Mitarbeit Altenhilfeplanung", "Seniorenplanung der Stadt"), "Planung", (SENIOREN, POLITIK),
       ("diakonie", "station"), PROJ, (10, 40, 6, 15, 0, 150, 0, 1),
       "Beitrag zur kommunalen Altenhilfeplanung: Wir haben zusammengetragen, wo {im_q} Pflegeangebote, "
       "Mittagstische und barrierefreie Wohnungen fehlen."),
    _k("S2", "Beteiligung Spielplatzplanung", "Planung", ("Kinder", FAMILIEN), ("gemeinde", "projekt"),
       EINM, (10, 40, 10, 50, 0, 300, 1, 4),
       "Kinder aus Kita und Grundschule haben Wünsche für den neuen Spielplatz gemalt. Wir haben sie "
       "gesammelt und an das Grünflächenamt gegeben, das den Platz plant."),
    # --- S3 Kommunales Sozialraumkonzept -----------------------------------------
    _k("S3", "Stellungnahme im Sozialausschuss", "Gremium", (POLITIK,), ("diakonie", "gemeinde"), EINM,
       (5, 25, 10, 25, 0, 0, 0, 0),
       "Stellungnahme im Sozialausschuss zum kommunalen Sozialraumkonzept, mit Hinweisen "
       "auf fehlende Beratungsangebote {im_q}.",
       "Wir haben im Sozialausschuss dargelegt, wie sich Kürzungen bei der Schuldnerberatung auf die "
       "Menschen {im_q} auswirken würden."),
    _k("S3", ("Bürgerversammlung {q}", "Einwohnerversammlung zum Quartierskonzept"), "Veranstaltung",
       (BEWOHNER, POLITIK), ("gemeinde", "stadt"), EINM, (10, 30, 40, 150, 100, 600, 2, 6),
       "Öffentliche Versammlung im Gemeindesaal, bei der die Stadt ihr Sozialraumkonzept vorgestellt "
       "hat und Bewohnerinnen und Bewohner Fragen an Verwaltung und Ratsmitglieder stellen konnten."),
    _k("S3", ("Gespräch mit den Ratsfraktionen", "Kommunalpolitisches Gespräch"), "Gespräch", (POLITIK,),
       ("gemeinde+diakonie", "projekt"), EINM, (4, 20, 5, 20, 0, 100, 0, 1),
       "Jährliches Gespräch mit den Fraktionen im Stadtrat über die soziale Lage {im_q} und die "
       "Finanzierung der Quartiersarbeit.",
       "Vor den Haushaltsberatungen haben wir die Fraktionen eingeladen, um über Mittel für Treffpunkte "
       "und Beratung im Stadtteil zu sprechen."),
    _k("S3", ("Quartiersbericht {q}", "Sozialbericht veröffentlichen"), "Öffentlichkeitsarbeit",
       ("Öffentlichkeit", POLITIK), ("projekt",), PROJ, (30, 90, 0, 0, 300, 2000, 0, 2),
       "Der Bericht fasst die Ergebnisse der Bedarfserhebung zusammen. Er wird in der Presse, im "
       "Gemeindebrief und im Stadtrat vorgestellt, damit Entscheidungen nachvollziehbar werden."),
    _k("S3", ("Sitz im Stadtteilbeirat", "Beirat Soziale Stadt"), "Gremium", (POLITIK,), ("gemeinde",),
       LAUF, (10, 40, 12, 25, 0, 0, 0, 1),
       "Die Gemeinde ist mit einer Stimme im Stadtteilbeirat vertreten, der über die Vergabe der "
       "Fördermittel aus dem Programm Soziale Stadt mitentscheidet."),
    # --- O1 Angebotsentwicklung --------------------------------------------------
    _k("O1", ("Konzeption neues Angebot für Alleinerziehende", "Konzept Treff für Alleinerziehende"),
       "Konzeption", ("Alleinerziehende",), ("diakonie", "gemeinde"), PROJ, (30, 100, 0, 10, 0, 1500, 0, 3),
       "Aus der Beratung wissen wir, dass Alleinerziehende {im_q} kaum Entlastung finden. Deshalb "
       "entwickeln wir ein Konzept für einen Treff mit Kinderbetreuung."),
    _k("O1", ("Entwicklung Mittagstisch", "Konzept Mittagstisch"), "Konzeption", (SENIOREN, ARMUT),
       ("gemeinde",), PROJ, (20, 80, 0, 12, 0, 2000, 2, 6),
       "Ein Arbeitskreis prüft, wie ein günstiger Mittagstisch im Gemeindehaus aufgebaut werden kann: "
       "Küche, Hygiene, Finanzierung und Fahrdienst."),
    _k("O1", ("Förderantrag Familienangebot", "Antrag Stiftungsmittel"), "Antrag", (FAMILIEN,),
       ("gemeinde", "diakonie"), PROJ, (15, 60, 0, 0, 0, 500, 0, 2),
       "Für den Aufbau eines offenen Familienangebots {im_q} haben wir einen Förderantrag bei einer "
       "Stiftung gestellt und das Konzept mit Zeitplan und Kosten ausgearbeitet."),
    _k("O1", "Neukonzeption Jugendarbeit", "Konzeption", ("Jugendliche",), ("gemeinde",), PROJ,
       (20, 80, 0, 15, 0, 1000, 1, 4),
       "Die Jugendarbeit der Gemeinde wird neu ausgerichtet: weg von der festen Gruppe, hin zu einem "
       "offenen Treff mit Hausaufgabenhilfe, der sich an den Jugendlichen im Stadtteil orientiert."),
    _k("O1", ("Angebote barrierefrei weiterentwickeln", "Inklusive Angebote entwickeln"), "Konzeption",
       ("Menschen mit Behinderung",), ("gemeinde", "diakonie"), PROJ, (20, 70, 5, 20, 0, 2500, 1, 4),
       "Gemeinsam mit Menschen mit Behinderung überarbeiten wir unsere Angebote, von der Einladung in "
       "Leichter Sprache bis zum stufenlosen Zugang zum Saal."),
    _k("O1", "Pilotprojekt Sprechstunde vor Ort", "Projekt", (ARMUT, SENIOREN), ("diakonie",), PROJ,
       (20, 80, 10, 60, 500, 4000, 0, 2),
       "Wir entwickeln und erproben eine neue Außensprechstunde {ort}, weil der Weg zur Beratungsstelle "
       "in der Innenstadt für viele zu weit ist. Nach einem halben Jahr wird entschieden, ob sie bleibt."),
    # --- O2 Steuerung trägereigener Angebote ------------------------------------
    _k("O2", ("Leitungsrunde der eigenen Angebote", "Dienstbesprechung Quartiersarbeit"), "Gremium",
       ("Mitarbeitende",), ("gemeinde", "diakonie"), LAUF, (20, 60, 5, 12, 0, 0, 0, 2),
       "Monatliche Runde der Leitungen von Kita, Jugendarbeit, Seniorenarbeit und Beratung, in der wir "
       "unsere Angebote {im_q} aufeinander abstimmen.",
       "In der Leitungsrunde besprechen wir Auslastung, Öffnungszeiten und Personaleinsatz unserer "
       "eigenen Angebote und richten sie an den Bedarfen im Quartier aus."),
    _k("O2", ("Jahresplanung Gemeindehaus", "Raumplanung Gemeindehaus"), "Planung intern",
       ("Mitarbeitende", "Gruppenleitungen"), ("gemeinde",), LAUF, (8, 30, 6, 15, 0, 0, 1, 3),
       "Einmal im Jahr legen Kirchengemeinderat und Hauptamtliche fest, welche Gruppen das Gemeindehaus "
       "wann nutzen und welche Räume für Initiativen aus dem Stadtteil frei bleiben."),
    _k("O2", ("Auswertung der eigenen Angebote", "Jahresauswertung Angebote"), "Auswertung",
       ("Mitarbeitende",), ("gemeinde", "diakonie"), LAUF, (10, 40, 4, 10, 0, 300, 0, 1),
       "Wir werten aus, wer unsere Angebote nutzt und wer nicht, und entscheiden danach, welche Angebote "
       "wir ausbauen, verlegen oder beenden."),
    _k("O2", "Qualitätszirkel Beratung", "Auswertung", ("Mitarbeitende",), ("diakonie", "sozialdienst"),
       LAUF, (10, 30, 4, 8, 0, 200, 0, 0),
       "Im Qualitätszirkel prüfen die Beraterinnen regelmäßig Wartezeiten, Erreichbarkeit und Fallzahlen "
       "ihrer Beratungsstellen {im_q} und legen fest, wo Sprechzeiten verlegt werden."),
    _k("O2", "Klausurtag Kirchengemeinderat", "Klausur", ("Kirchengemeinderat",), ("gemeinde",), EINM,
       (8, 16, 8, 18, 100, 600, 0, 0),
       "Klausurtag des Kirchengemeinderats zur Frage, welche Aufgaben die Gemeinde im Quartier übernimmt "
       "und wofür sie Personal und Räume einsetzt."),
    _k("O2", "Steuerungsgruppe Aufbruch Quartier", "Gremium", ("Mitarbeitende", "Kirchengemeinderat"),
       ("projekt",), LAUF, (10, 30, 5, 10, 0, 0, 0, 1),
       "Die Steuerungsgruppe des Projekts trifft sich vierteljährlich, prüft den Stand der Vorhaben "
       "{im_q} und entscheidet über den Einsatz der Projektmittel."),
    # --- O3 Koordinierung trägerübergreifender Angebote ------------------------
    _k("O3", ("Trägerrunde {q}", "Trägerrunde"), "Gremium", (FACH,), ("diakonie", "stadt", "gemeinde"),
       LAUF, (10, 40, 8, 20, 0, 100, 0, 1),
       "In der Trägerrunde stimmen Diakonie, Sozialdienst St. Elisabeth, Stadt und Kirchengemeinden ihre "
       "Angebote {im_q} ab, damit es keine Doppelungen gibt und Lücken auffallen.",
       "Vierteljährliches Treffen aller Träger im Stadtteil: Wer bietet was wann an, und wie verweisen "
       "wir Menschen gut aneinander weiter?"),
    _k("O3", ("Ferienprogramm abstimmen", "Gemeinsamer Angebotskalender"), "Koordination",
       (FAMILIEN, FACH), ("gemeinde", "verein"), LAUF, (10, 40, 5, 12, 0, 600, 0, 3),
       "Kirchengemeinden, Jugendhaus und Sportverein legen ihre Ferienangebote so, dass Kinder {im_q} "
       "in allen Ferienwochen ein Programm finden.",
       "Gemeinsamer Wochenkalender aller Angebote im Stadtteil, den die Träger abwechselnd pflegen und "
       "der in Arztpraxen und Geschäften ausliegt.", paired=True),
    _k("O3", "Abstimmung der Beratungszeiten", "Koordination", (FACH,), ("diakonie", "sozialdienst"),
       LAUF, (6, 20, 4, 8, 0, 0, 0, 0),
       "Die Beratungsstellen von Diakonie, Sozialdienst St. Elisabeth und Stadt haben ihre Sprechzeiten "
       "abgestimmt, sodass {im_q} an jedem Werktag eine offene Sprechstunde erreichbar ist."),
    _k("O3", "Koordinierungskreis Flüchtlingshilfe", "Gremium", (FACH, "Initiativen"),
       ("diakonie", "sozialdienst", "stadt"), LAUF, (10, 40, 10, 25, 0, 200, 2, 6),
       "Im Koordinierungskreis verteilen Träger und Initiativen die Aufgaben rund um Sprachkurse, "
       "Begleitung und Wohnungssuche, damit sich die Angebote ergänzen."),
    _k("O3", "Ökumenische Absprache Seniorenarbeit", "Gremium", (SENIOREN, FACH), ("gemeinde+pfarrei",),
       LAUF, (6, 20, 4, 10, 0, 0, 1, 4),
       "Evangelische und katholische Gemeinde sprechen ihre Seniorenangebote {im_q} ab und laden "
       "gemeinsam ein, statt sich Konkurrenz zu machen."),
    # --- N1 Fallunspezifische Arbeit ---------------------------------------------
    _k("N1", ("Nachbarschaftscafé", "Nachbarschaftscafé {q}", "Café Miteinander"), "Treff",
       ("Nachbarschaft", ALLE), ("gemeinde", "verein"), LAUF, (80, 250, 15, 60, 200, 2500, 3, 12),
       "Jeden Donnerstagnachmittag öffnet {ort} ein Café für alle aus der Nachbarschaft, mit Kuchen "
       "gegen Spende und Zeit für Gespräche.",
       "Offener Treffpunkt mit Kaffee und Zeitung, in dem sich Alteingesessene und Zugezogene {im_q} "
       "kennenlernen."),
    _k("N1", ("Stadtteilfest", "Stadtteilfest {q}", "Sommerfest im Quartier"), "Veranstaltung",
       (ALLE,), ("gemeinde", "verein", "gemeinde+verein"), EINM, (40, 150, 150, 800, 800, 5000, 10, 40),
       "Großes Fest auf dem Platz vor der Kirche mit Bühne, Flohmarkt und Ständen der Vereine, "
       "vorbereitet von einem offenen Festkomitee.",
       "Das Sommerfest bringt einmal im Jahr die ganze Nachbarschaft {im_q} zusammen, mit Musik, Essen "
       "aus vielen Ländern und Spielen für Kinder.", months=(6, 7, 8, 9)),
    _k("N1", ("Offener Mittagstisch", "Mittagstisch für alle"), "Treff", (ALLE, SENIOREN),
       ("gemeinde", "diakonie"), LAUF, (100, 300, 20, 70, 1500, 8000, 4, 15),
       "Zweimal pro Woche gibt es {ort} ein warmes Mittagessen für drei Euro, offen für alle, die nicht "
       "allein essen möchten."),
    _k("N1", ("Spielenachmittag auf dem Platz", "Spielmobil im Sommer"), "Treff", (FAMILIEN, "Kinder"),
       ("gemeinde", "verein"), LAUF, (30, 90, 15, 60, 100, 1200, 2, 6),
       "Im Sommer bringen wir jeden Mittwoch Spielekisten, Kreide und Saft auf den Spielplatz {im_q} und "
       "kommen dabei mit Familien ins Gespräch.", months=(5, 6, 7)),
    _k("N1", ("Kinderbibeltage für den Stadtteil", "Kinderferientage"), "Veranstaltung", ("Kinder",),
       ("gemeinde", "gemeinde+pfarrei"), EINM, (30, 80, 25, 80, 300, 2000, 6, 20),
       "In den Herbstferien laden wir alle Kinder des Stadtteils zu drei Tagen mit Geschichten, Basteln "
       "und Mittagessen ein, unabhängig von Konfession und Herkunft.", months=(10,)),
    _k("N1", ("Interkulturelles Frauenfrühstück", "Frauenfrühstück international"), "Treff",
       ("Frauen", MIGRATION), ("gemeinde", "diakonie"), LAUF, (30, 80, 10, 35, 200, 1200, 2, 6),
       "Einmal im Monat frühstücken Frauen aus verschiedenen Ländern gemeinsam {ort}. Die Kinder werden "
       "nebenan betreut."),
    _k("N1", "Lebendiger Adventskalender", "Veranstaltung", ("Nachbarschaft",), ("gemeinde",), EINM,
       (15, 40, 20, 60, 0, 300, 10, 25),
       "Im Advent öffnet jeden Abend ein anderes Haus {im_q} für eine halbe Stunde seine Tür, mit "
       "Geschichte, Lied und heißem Tee.", months=(12,)),
    _k("N1", ("Repair-Café", "Reparaturtreff"), "Treff", (ALLE,), ("verein", "gemeinde"), LAUF,
       (40, 100, 15, 50, 100, 800, 4, 12),
       "Einmal im Monat reparieren Ehrenamtliche mit Besucherinnen und Besuchern kaputte Toaster, "
       "Fahrräder und Kleidung. Nebenbei entstehen viele Gespräche unter Nachbarn."),
    _k("N1", ("Offener Seniorentreff", "Seniorennachmittag"), "Treff", (SENIOREN,),
       ("gemeinde", "pfarrei"), LAUF, (50, 150, 12, 40, 200, 1200, 2, 8),
       "Offener Nachmittag mit Kaffee, Gesprächen und kleinen Vorträgen für ältere Menschen aus dem "
       "Quartier, ausdrücklich auch für Nichtmitglieder."),
    _k("N1", "Open-Air-Kino im Pfarrgarten", "Veranstaltung", (FAMILIEN, ALLE), ("gemeinde",), EINM,
       (15, 40, 60, 200, 300, 1500, 4, 10),
       "An drei Sommerabenden zeigen wir im Pfarrgarten Filme für Familien. Der Eintritt ist frei, "
       "Decken bringt jede und jeder selbst mit.", months=(7, 8)),
    # --- N2 Aktivierung von Ressourcen im Gemeinwesen ---------------------------
    _k("N2", ("Ehrenamtliche gewinnen", "Ehrenamtsbörse"), "Ehrenamtsgewinnung", (BEWOHNER,),
       ("gemeinde", "freiwillig"), LAUF, (20, 80, 10, 60, 100, 800, 1, 5),
       "Mit Aushängen, einem Stand auf dem Wochenmarkt und persönlicher Ansprache suchen wir Menschen "
       "{im_q}, die sich mit ihren Fähigkeiten einbringen wollen.",
       "Bei der Ehrenamtsbörse im Gemeindehaus zeigen Vereine und Initiativen, wo man mitmachen kann, "
       "und Interessierte kommen direkt mit ihnen ins Gespräch.", paired=True),
    _k("N2", ("Nachbarschaftshilfe aktivieren", "Nachbarschaftshilfe {q}"), "Nachbarschaftshilfe",
       ("Nachbarschaft", SENIOREN), ("gemeinde", "diakonie", "verein"), LAUF,
       (40, 150, 20, 80, 200, 1500, 8, 30),
       "Aufbau eines Netzes von Nachbarinnen und Nachbarn, die beim Einkaufen, bei kleinen Reparaturen "
       "oder mit dem Hund helfen. Die Vermittlung läuft über ein Telefon im Gemeindebüro.",
       "Wir bringen Menschen zusammen, die Hilfe anbieten, und solche, die Hilfe brauchen, damit sich "
       "die Nachbarschaft {im_q} gegenseitig unterstützt."),
    _k("N2", ("Elterninitiative Schulweg", "Bewohnerinitiative begleiten"), "Initiative",
       ("Eltern", BEWOHNER), ("gemeinde", "projekt"), LAUF, (15, 60, 8, 25, 0, 300, 5, 15),
       "Wir begleiten eine Gruppe von Eltern, die sich für einen sicheren Schulweg einsetzt, mit "
       "Räumen, Moderation und Kontakten zur Verwaltung."),
    _k("N2", ("Gemeinschaftsgarten", "Gemeinschaftsgarten {q}"), "Projekt", ("Nachbarschaft", FAMILIEN),
       ("gemeinde", "verein"), LAUF, (40, 120, 10, 40, 300, 2000, 5, 20),
       "Auf der Wiese hinter der Kirche legen Anwohnende gemeinsam Beete an. Sie entscheiden selbst, "
       "was gepflanzt wird und wer gießt.", months=(3, 4, 5)),
    _k("N2", ("Schulung für Ehrenamtliche", "Ehrenamtsakademie"), "Kurs", ("Ehrenamtliche",),
       ("freiwillig", "diakonie", "gemeinde"), LAUF, (12, 40, 10, 30, 200, 1500, 0, 2),
       "Fortbildungsabende für Ehrenamtliche zu Gesprächsführung, Datenschutz und Erster Hilfe, damit "
       "sie ihre Aufgaben im Quartier sicher übernehmen können."),
    _k("N2", ("Stadtteilzeitung", "Redaktion Stadtteilzeitung"), "Projekt", (BEWOHNER,),
       ("gemeinde", "verein"), LAUF, (40, 120, 6, 15, 800, 3000, 5, 12),
       "Eine Redaktion aus Bewohnerinnen und Bewohnern schreibt viermal im Jahr über Menschen, Orte und "
       "Termine {im_q}. Die Gemeinde übernimmt Druck und stellt den Raum."),
    _k("N2", ("Mietertreff", "Mieterinitiative unterstützen"), "Treff", ("Mieterinnen und Mieter",),
       ("diakonie", "gemeinde"), LAUF, (20, 60, 10, 40, 0, 400, 3, 8),
       "Mieterinnen und Mieter der großen Wohnanlage treffen sich regelmäßig, sammeln Mängel und "
       "vertreten ihre Anliegen gemeinsam gegenüber der Wohnungsgesellschaft."),
    _k("N2", ("Zeitbank", "Tauschring Nachbarschaft"), "Projekt", ("Nachbarschaft",),
       ("verein", "freiwillig"), LAUF, (20, 80, 20, 70, 0, 500, 3, 10),
       "Nachbarinnen und Nachbarn tauschen hier Fähigkeiten statt Geld: eine Stunde "
       "Nachhilfe gegen eine Stunde Gartenarbeit."),
    _k("N2", ("Verfügungsfonds für Bewohnerideen", "Quartiersfonds"), "Fonds", (BEWOHNER,),
       ("projekt", "stadt"), LAUF, (15, 50, 10, 60, 2000, 8000, 3, 7),
       "Aus einem kleinen Fonds können Bewohnerinnen und Bewohner bis zu 500 Euro für eigene Ideen im "
       "Quartier beantragen. Über die Anträge entscheidet eine Jury aus der Nachbarschaft."),
    # --- N3 Trägerübergreifende Kooperation --------------------------------------
    _k("N3", ("Runder Tisch {q}", "Runder Tisch gegen Einsamkeit"), "Netzwerk", (FACH, "Initiativen"),
       ("gemeinde", "projekt", "diakonie"), LAUF, (15, 50, 10, 25, 0, 300, 1, 4),
       "Am Runden Tisch treffen sich Kirchengemeinden, Schulen, Vereine und Stadtteilbüro, um gemeinsam "
       "Vorhaben für den Stadtteil anzustoßen.",
       "Ärztinnen, Apotheke, Seniorenbüro und Gemeinden entwickeln am Runden Tisch gemeinsam Angebote, "
       "die einsame ältere Menschen {im_q} erreichen.", paired=True),
    _k("N3", ("Kooperation Aufbau Familienzentrum", "Aufbau Familienzentrum"), "Kooperation",
       (FAMILIEN, FACH), ("gemeinde+diakonie", "diakonie"), PROJ, (40, 150, 8, 20, 1000, 10000, 0, 3),
       "Kita, Grundschule, Diakonie und Kirchengemeinde bauen gemeinsam ein Familienzentrum {im_q} auf, "
       "in dem Beratung, Elterncafé und Kurse unter einem Dach zu finden sind."),
    _k("N3", ("Netzwerk gegen Kinderarmut", "Präventionskette Kinderarmut"), "Netzwerk", (FACH, FAMILIEN),
       ("diakonie", "sozialdienst", "stadt"), LAUF, (15, 60, 12, 30, 0, 500, 0, 1),
       "Jugendamt, Kitas, Schulen, Kinderärzte und freie Träger arbeiten an einer Präventionskette, "
       "damit Kinder in armen Familien {im_q} früh Unterstützung bekommen."),
    _k("N3", ("Kooperation Schule und Gemeinde", "Kooperation Ganztag Grundschule"), "Kooperation",
       ("Kinder", FACH), ("gemeinde",), LAUF, (40, 120, 15, 45, 500, 3000, 1, 5),
       "Die Gemeinde und die Grundschule {im_q} gestalten gemeinsam Nachmittagsangebote im Ganztag. Die "
       "Jugendmitarbeiterin ist dafür an zwei Nachmittagen in der Schule."),
    _k("N3", ("Quartiersnetzwerk der Religionsgemeinschaften", "Ökumenisches Quartiersnetzwerk"),
       "Netzwerk", ("Gemeinden und Vereine",), ("gemeinde+pfarrei", "gemeinde"), LAUF,
       (10, 40, 8, 20, 0, 500, 2, 6),
       "Evangelische und katholische Gemeinde, Moscheeverein und Bürgerverein planen gemeinsame Aktionen "
       "für den Stadtteil und teilen ihre Räume."),
    _k("N3", ("Kooperation mit der Wohnungsbaugesellschaft", "Gemeinschaftsraum mit Wohnungsgesellschaft"),
       "Kooperation", (BEWOHNER,), ("gemeinde+diakonie", "diakonie"), LAUF, (20, 80, 5, 12, 500, 5000, 1, 4),
       "Mit der Wohnungsbaugesellschaft wurde vereinbart, einen Gemeinschaftsraum in der Siedlung "
       "gemeinsam zu betreiben. Die Gesellschaft stellt den Raum, Gemeinde und Diakonie das Programm."),
    _k("N3", "Lokales Bündnis für Familie", "Netzwerk", (FAMILIEN, FACH), ("stadt", "diakonie"), LAUF,
       (10, 40, 12, 30, 0, 800, 0, 2),
       "Im lokalen Bündnis für Familie entwickeln Stadt, Unternehmen, Kirchen und Vereine gemeinsam "
       "Angebote, die Familien {im_q} im Alltag entlasten."),
    # --- I1 Fallspezifische Arbeit -------------------------------------------------
    _k("I1", ("Sozialberatung", "Allgemeine Sozialberatung", "Offene Sprechstunde Sozialberatung"),
       "Beratung", (ARMUT, ALLE), ("diakonie", "sozialdienst"), LAUF, (150, 500, 40, 200, 3000, 25000, 0, 2),
       "Beratung bei Fragen zu Bürgergeld, Wohngeld, Kinderzuschlag und Anträgen. Die Ratsuchenden "
       "bestimmen selbst, woran gearbeitet wird.",
       "Offene Sprechstunde {ort}: Menschen kommen ohne Termin mit Briefen vom Amt, Mietproblemen oder "
       "Geldsorgen und bekommen persönliche Beratung."),
    _k("I1", ("Schuldnerberatung", "Außensprechstunde Schuldnerberatung"), "Beratung",
       ("Überschuldete Haushalte",), ("diakonie", "sozialdienst"), LAUF, (100, 400, 20, 90, 2000, 20000, 0, 0),
       "Beratung für überschuldete Haushalte: Überblick über die Schulden, Haushaltsplan, Verhandlungen "
       "mit Gläubigern und Begleitung in die Privatinsolvenz.",
       "Die Schuldnerberaterin hält jeden zweiten Dienstag eine Sprechstunde {ort}, damit "
       "der Weg in die Innenstadt entfällt."),
    _k("I1", ("Migrationsberatung", "Beratung für Geflüchtete"), "Beratung", (MIGRATION, "Geflüchtete"),
       ("diakonie", "sozialdienst"), LAUF, (100, 350, 30, 150, 2000, 18000, 0, 3),
       "Einzelberatung zu Aufenthalt, Sprachkurs, Anerkennung von Abschlüssen und Familiennachzug, bei "
       "Bedarf mit Dolmetscherin."),
    _k("I1", ("Seelsorgliche Gespräche", "Seelsorge und Krisengespräche"), "Beratung", (ALLE,),
       ("gemeinde",), LAUF, (40, 150, 15, 60, 0, 300, 2, 8),
       "Die Pfarrerin und ein Team von Ehrenamtlichen bieten Gespräche für Menschen in Krisen, nach "
       "Trennung oder Verlust an, auf Wunsch auch zu Hause."),
    _k("I1", ("Besuchsdienst", "Besuchsdienst für Ältere"), "Besuchsdienst", (SENIOREN,),
       ("gemeinde", "pfarrei"), LAUF, (60, 200, 15, 70, 0, 600, 5, 20),
       "Ehrenamtliche besuchen ältere und kranke Menschen, die nicht mehr aus dem Haus kommen, "
       "regelmäßig zu Hause und hören zu."),
    # open offers without a case (Tafel, Kleiderkammer): Netzwerk N1 (docs/zuordnung.md)
    _k("N1", ("Lebensmittelausgabe", "Tafel-Ausgabestelle"), "Ausgabe", (ARMUT,),
       ("gemeinde+diakonie", "sozialdienst"), LAUF, (150, 400, 60, 250, 1000, 6000, 10, 35),
       "Wöchentliche Ausgabe von Lebensmitteln an Haushalte mit geringem Einkommen {ort}, mit kurzer "
       "Beratung, wenn jemand Fragen hat.", drawn_as="I1"),
    _k("I1", "Schwangerenberatung", "Beratung", ("Schwangere und junge Eltern",), ("diakonie", "sozialdienst"),
       LAUF, (80, 300, 20, 90, 2000, 15000, 0, 0),
       "Beratung für Schwangere und junge Eltern zu finanziellen Hilfen, Elterngeld und Unterstützung "
       "nach der Geburt. Anträge auf Stiftungsmittel werden gemeinsam gestellt."),
    _k("I1", ("Beratung bei drohendem Wohnungsverlust", "Wohnungsnotfallberatung"), "Beratung",
       (ARMUT, "Wohnungslose"), ("diakonie",), LAUF, (80, 300, 15, 70, 2000, 15000, 0, 0),
       "Hilfe, wenn eine Kündigung oder Räumung droht: Wir klären mit den Betroffenen ihre Lage und "
       "sprechen mit Vermieter und Jobcenter."),
    _k("N1", "Kleiderkammer", "Ausgabe", (ARMUT, FAMILIEN), ("gemeinde", "pfarrei"), LAUF,
       (80, 250, 40, 200, 100, 1200, 5, 15),
       "Gut erhaltene Kleidung für Erwachsene und Kinder zum kleinen Preis. Die Ehrenamtlichen nehmen "
       "sich Zeit für persönliche Anliegen.", drawn_as="I1"),
    _k("I1", ("Seniorenberatung", "Beratung für pflegende Angehörige"), "Beratung",
       (SENIOREN, "Pflegende Angehörige"), ("station", "diakonie"), LAUF, (60, 250, 20, 100, 1000, 12000, 0, 1),
       "Beratung zu Pflegegrad, Hilfsmitteln und Entlastungsangeboten für ältere Menschen und ihre "
       "Angehörigen, auf Wunsch als Hausbesuch."),
    # --- I2 Individuelles Empowerment ---------------------------------------------
    _k("I2", ("Bewerbungscoaching", "Bewerbungswerkstatt"), "Coaching", ("Arbeitsuchende", "Jugendliche"),
       ("diakonie", "sozialdienst"), LAUF, (60, 200, 10, 50, 1000, 8000, 0, 4),
       "Einzelcoaching für Arbeitsuchende: Gemeinsam erarbeiten wir Lebenslauf und Anschreiben und üben "
       "Vorstellungsgespräche.",
       "In der Bewerbungswerkstatt entdecken die Teilnehmenden ihre Stärken und bereiten Bewerbungen vor, "
       "die wirklich zu ihnen passen.", paired=True),
    _k("I2", ("Ressourcenarbeit mit Alleinerziehenden", "Stärkenorientierte Einzelbegleitung"), "Begleitung",
       ("Alleinerziehende",), ("diakonie", "gemeinde"), LAUF, (50, 180, 8, 30, 500, 6000, 0, 2),
       "In Einzelgesprächen schauen wir mit Alleinerziehenden auf das, was schon gelingt, und planen "
       "kleine eigene Schritte, etwa eine Ausbildung oder einen Sprachkurs."),
    _k("I2", ("Deutschkurs mit Kinderbetreuung", "Sprachkurs für Mütter"), "Kurs", (MIGRATION, "Frauen"),
       ("diakonie", "gemeinde", "sozialdienst"), LAUF, (60, 200, 8, 20, 500, 5000, 2, 6),
       "Frauen lernen in kleinen Gruppen Deutsch für den Alltag, während nebenan ihre Kinder betreut "
       "werden. Ziel ist, Arzttermine und Elterngespräche selbst zu führen."),
    _k("I2", ("Lernpatenschaften", "Hausaufgabenhilfe"), "Lernförderung", ("Kinder", "Jugendliche"),
       ("gemeinde", "verein"), LAUF, (60, 250, 10, 40, 100, 1500, 4, 15),
       "Ehrenamtliche Lernpatinnen begleiten einzelne Schulkinder einmal pro Woche und stärken sie beim "
       "Lesen, Rechnen und im Selbstvertrauen.",
       "Hausaufgabenhilfe für Kinder der Klassen 1 bis 6 {ort}, in der jedes Kind in seinem Tempo "
       "arbeiten kann.", paired=True, title_aspects=("I2", "N1")),  # 1:1 Lernpatenschaft vs. open group
    _k("I2", ("Mentoring Schule–Beruf", "Mentoring für Jugendliche"), "Begleitung", ("Jugendliche",),
       ("freiwillig", "diakonie"), LAUF, (40, 150, 6, 25, 200, 2000, 4, 15),
       "Ehrenamtliche Mentorinnen und Mentoren begleiten Jugendliche im letzten Schuljahr ein Jahr lang "
       "auf dem Weg in Ausbildung oder weiterführende Schule."),
    _k("I2", ("Smartphone-Sprechstunde", "Digitalhilfe für Ältere"), "Kurs", (SENIOREN,),
       ("gemeinde", "freiwillig"), LAUF, (30, 100, 10, 40, 0, 600, 2, 8),
       "Ältere Menschen lernen in Einzelterminen, Fotos zu verschicken, Termine online zu buchen und "
       "sicher im Internet unterwegs zu sein."),
    _k("I2", ("Elternkurs Starke Eltern", "Elternkurs"), "Kurs", ("Eltern",), ("diakonie", "gemeinde"),
       LAUF, (20, 60, 8, 16, 300, 2000, 0, 1),
       "Kurs für Eltern, die im Familienalltag mehr Gelassenheit suchen. Es geht um eigene Stärken, "
       "Grenzen und gute Routinen."),
    _k("I2", ("Alltagstraining für junge Erwachsene", "Begleitung in die erste Wohnung"), "Begleitung",
       ("Junge Erwachsene",), ("diakonie",), LAUF, (40, 150, 5, 20, 500, 4000, 0, 2),
       "Junge Erwachsene, die zum ersten Mal allein wohnen, üben mit einer Begleiterin Einkaufen, "
       "Haushaltsbuch und den Umgang mit Post vom Amt."),
    # --- I3 Case-Management --------------------------------------------------------
    _k("I3", ("Case-Management Familien", "Case-Management"), "Fallbegleitung", (FAMILIEN,),
       ("diakonie", "sozialdienst"), LAUF, (100, 400, 8, 40, 5000, 30000, 0, 0),
       "Für Familien mit mehreren Problemen zugleich koordiniert eine Fachkraft die Hilfen von Jobcenter, "
       "Jugendamt, Schule und Beratungsstellen und hält den Plan mit der Familie zusammen.",
       "Fallbezogene Koordination: Mit den Betroffenen erstellen wir einen Hilfeplan und stimmen die "
       "Unterstützung verschiedener Stellen ab, damit nichts doppelt läuft."),
    _k("I3", ("Lotsendienst", "Familienlotsinnen"), "Lotsendienst",
       (FAMILIEN, ALLE), ("diakonie", "gemeinde+diakonie"), LAUF, (60, 250, 15, 60, 1000, 10000, 3, 12),
       "Lotsinnen begleiten Menschen, die sich im Hilfesystem nicht zurechtfinden, zu den passenden "
       "Stellen und bleiben ansprechbar, bis die Hilfe läuft.",
       "Nach der Geburt besuchen Familienlotsinnen junge Eltern und vermitteln je nach Bedarf Hebamme, "
       "Frühe Hilfen, Beratung oder einen Kita-Platz.", paired=True),
    _k("I3", ("Überleitung nach dem Krankenhaus", "Entlassmanagement Senioren"), "Fallbegleitung",
       (SENIOREN,), ("station",), LAUF, (60, 250, 15, 60, 2000, 15000, 0, 3),
       "Wenn ältere Menschen aus dem Krankenhaus kommen, organisiert die Diakoniestation Pflege, "
       "Hausnotruf, Essen auf Rädern und Besuche aus der Gemeinde."),
    _k("I3", ("Fallkonferenzen", "Fallkonferenz Jugendhilfe"), "Fallbesprechung", (FACH, FAMILIEN),
       ("diakonie", "sozialdienst"), LAUF, (20, 80, 5, 20, 0, 500, 0, 0),
       "Bei schwierigen Einzelfällen setzen sich die beteiligten Fachkräfte mit den Betroffenen an einen "
       "Tisch und legen fest, wer welche Hilfe übernimmt."),
    _k("I3", ("Hilfeplanung für Wohnungslose", "Begleitung wohnungsloser Menschen"), "Fallbegleitung",
       ("Wohnungslose",), ("diakonie",), LAUF, (80, 300, 8, 40, 3000, 20000, 0, 2),
       "Für wohnungslose Menschen koordinieren wir Unterkunft, Krankenversicherung, Leistungen und "
       "Suchtberatung und begleiten sie zu den Terminen."),
    _k("I3", ("Integrationsmanagement", "Integrationslotsen"), "Lotsendienst", ("Geflüchtete",),
       ("diakonie", "sozialdienst", "stadt"), LAUF, (80, 300, 10, 50, 3000, 20000, 1, 6),
       "Geflüchtete Familien bekommen eine feste Ansprechperson, die Sprachkurs, Schule, Arztbesuche und "
       "Behördentermine mit ihnen plant und die Hilfen abstimmt."),
)

#: A second sentence for a one-sentence description, by duration (neutral about the SONI cell).
RAHMEN: dict[str, tuple[str, ...]] = {
    LAUF: (
        "Das Angebot läuft das ganze Jahr über.",
        "Termine stehen im Gemeindebrief und auf der Website.",
        "Die Räume sind barrierefrei erreichbar.",
        "Seit dem Start ist die Nachfrage deutlich gestiegen.",
        "Ein Teil der Kosten wird aus Spenden getragen.",
        "Ansprechpartnerin ist die Quartierskoordinatorin.",
    ),
    "gremium": (
        "Die Treffen finden etwa alle zwei Monate statt.",
        "Das Protokoll geht an alle Beteiligten.",
        "Die Moderation wechselt reihum.",
        "Neue Mitglieder sind jederzeit willkommen.",
    ),
    PROJ: (
        "Die Laufzeit ist auf etwa ein Jahr angelegt.",
        "Finanziert wird das Vorhaben aus Mitteln von Aufbruch Quartier.",
        "Die Ergebnisse werden im Kirchengemeinderat vorgestellt.",
        "Ein Zwischenbericht liegt vor.",
    ),
    EINM: (
        "Die Vorbereitung begann schon im Frühjahr.",
        "Für das nächste Jahr ist eine Wiederholung geplant.",
        "Ein kurzer Bericht erschien im Gemeindebrief.",
    ),
}

#: Rough share of each catalogue section in real inventories: most in Individuum and Netzwerk, little in
#: Sozialstruktur (a few kinds are drawn in their old section but labelled elsewhere, see ``Kind.drawn_as``).
BASE_WEIGHTS: dict[str, float] = {
    "S1": 0.035, "S2": 0.025, "S3": 0.02,
    "O1": 0.055, "O2": 0.06, "O3": 0.045,
    "N1": 0.15, "N2": 0.11, "N3": 0.09,
    "I1": 0.20, "I2": 0.13, "I3": 0.08,
}


def is_one_sentence(text: str) -> bool:
    """True when ``text`` is a single sentence (no full stop, colon clause or '?' inside)."""
    return not any(mark in text[:-1] for mark in (". ", "? ", "! "))


# --- the generator -----------------------------------------------------------------
def generate_inventory(n_rows: int, seed: int = 0, *, with_labels: bool = False) -> pd.DataFrame:
    """An invented inventory of ``n_rows`` activities in the sample's column layout.

    20–40 Quartiere with their own profiles over the twelve aspects, start dates
    2023–2025 as real dates, numbers as numbers. Deterministic for a seed. With
    ``with_labels`` two more columns (``Soll-Feld``, ``Soll-Aspekt``) carry the
    intended SONI cell of each row.
    """
    if n_rows < 0:
        raise ValueError("n_rows must be >= 0")
    rng = np.random.default_rng(seed)
    n = int(n_rows)

    # Quartiere: a random subset, each with its own size and aspect profile
    n_q = int(rng.integers(20, 41))
    quartiere = [QUARTIERE[i] for i in sorted(rng.choice(len(QUARTIERE), size=n_q, replace=False))]
    q_size = rng.gamma(2.0, 1.0, size=n_q)
    q_idx = rng.choice(n_q, size=n, p=q_size / q_size.sum())
    base = np.array([BASE_WEIGHTS[k] for k in ASPECT_KEYS])
    profiles = rng.dirichlet(base * 40.0, size=n_q)
    cum = np.cumsum(profiles, axis=1)
    cum[:, -1] = 1.0
    aspect_idx = (rng.random(n)[:, None] > cum[q_idx]).sum(axis=1)

    # kind per row, uniform within its catalogue section
    by_aspect = [[i for i, k in enumerate(KINDS) if k.section == a] for a in ASPECT_KEYS]
    counts = np.array([len(x) for x in by_aspect])
    table = np.full((len(ASPECT_KEYS), counts.max()), -1)
    for a, members in enumerate(by_aspect):
        table[a, : len(members)] = members
    kind_idx = table[aspect_idx, (rng.random(n) * counts[aspect_idx]).astype(int)]

    def pick(options: list[tuple[str, ...]]) -> np.ndarray:
        """An index into each row's kind's options."""
        sizes = np.array([len(o) for o in options])[kind_idx]
        return (rng.random(n) * sizes).astype(int)

    title_i = pick([k.titles for k in KINDS])
    text_i = pick([k.texts for k in KINDS])
    paired = np.array([k.paired for k in KINDS])[kind_idx]
    text_i = np.where(paired, title_i, text_i)
    group_i = pick([k.groups for k in KINDS])
    role_i = pick([k.roles for k in KINDS])
    frame_u = rng.random(n)
    frame_r = rng.random(n)

    contexts = [q.context() for q in quartiere]
    kinds = KINDS

    # strings: format each distinct (kind, variant, Quartier) once
    def fmt(codes: np.ndarray, make: Callable[[int], str]) -> np.ndarray:
        uniq, inv = np.unique(codes, return_inverse=True)
        return np.array([make(int(c)) for c in uniq], dtype=object)[inv]

    def title(c: int) -> str:
        k, t, q = c // 1000 // n_q, c // n_q % 1000, c % n_q
        return kinds[k].titles[t].format_map(contexts[q])

    titles = fmt((kind_idx * 1000 + title_i) * n_q + q_idx, title)

    max_frames = max(len(v) for v in RAHMEN.values())
    frame_i = np.where(frame_u < 0.5, (frame_r * max_frames).astype(int) + 1, 0)  # 0 = none

    def text(c: int) -> str:
        q = c % n_q
        c //= n_q
        f = c % (max_frames + 1)
        c //= max_frames + 1
        k, t = divmod(c, 100)
        kind = kinds[k]
        body = kind.texts[t].format_map(contexts[q])
        if f and is_one_sentence(kind.texts[t]):
            frames = RAHMEN[kind.frames]
            body += " " + frames[(f - 1) % len(frames)]
        return body

    descriptions = fmt(((kind_idx * 100 + text_i) * (max_frames + 1) + frame_i) * n_q + q_idx, text)
    traeger = fmt((kind_idx * 10 + role_i) * n_q + q_idx,
                  lambda c: traeger_name(kinds[c // n_q // 10].roles[c // n_q % 10], quartiere[c % n_q]))
    groups = fmt(kind_idx * 10 + group_i, lambda c: kinds[c // 10].groups[c % 10])
    arts = np.array([k.art for k in kinds], dtype=object)[kind_idx]
    qnames = np.array([q.name for q in quartiere], dtype=object)[q_idx]

    # dates: starts 2023–2025; ends by duration
    start_day = rng.integers(0, 365 * 3, size=n)
    beginn = np.datetime64("2023-01-01") + start_day.astype("timedelta64[D]")
    seasonal = [k.months or (0,) for k in kinds]
    month_i = pick(seasonal)
    month = np.array([m for ms in seasonal for m in ms])[
        np.cumsum([0, *(len(ms) for ms in seasonal)])[:-1][kind_idx] + month_i]
    months_since_1970 = (rng.integers(2023, 2026, size=n) - 1970) * 12 + month - 1
    seasonal_start = (months_since_1970.astype("datetime64[M]").astype("datetime64[D]")
                      + rng.integers(0, 28, size=n).astype("timedelta64[D]"))
    beginn = np.where(month > 0, seasonal_start, beginn)
    dauer = np.array([k.dauer for k in kinds])[kind_idx]
    span = np.select(
        [dauer == LAUF, dauer == PROJ],
        [rng.integers(120, 900, size=n), rng.integers(30, 420, size=n)],
        rng.integers(0, 3, size=n),
    )
    has_end = np.select([dauer == LAUF, dauer == PROJ], [rng.random(n) < 0.15, rng.random(n) < 0.85], True)
    ende = np.where(has_end, beginn + span.astype("timedelta64[D]"), np.datetime64("NaT"))

    def number(attr: str, step: float, missing: float) -> np.ndarray:
        lo = np.array([getattr(k, attr)[0] for k in kinds], dtype=float)[kind_idx]
        hi = np.array([getattr(k, attr)[1] for k in kinds], dtype=float)[kind_idx]
        value = np.round((lo + rng.random(n) * (hi - lo)) / step) * step
        return np.where(rng.random(n) < missing, np.nan, value)

    stunden = number("stunden", 0.5, 0.03)
    teilnehmende = number("teilnehmende", 1, 0.05)
    kosten = number("kosten", 10, 0.08)
    ehrenamtliche = number("ehrenamtliche", 1, 0.05)

    df = pd.DataFrame({
        TITEL: pd.array(titles, dtype="str"),
        BESCHREIBUNG: pd.array(descriptions, dtype="str"),
        QUARTIER: pd.array(qnames, dtype="str"),
        TRAEGER_COL: pd.array(traeger, dtype="str"),
        ZIELGRUPPE: pd.array(groups, dtype="str"),
        ART: pd.array(arts, dtype="str"),
        BEGINN: pd.to_datetime(beginn),
        ENDE: pd.to_datetime(ende),
        STUNDEN: stunden,
        TEILNEHMENDE: pd.array(teilnehmende, dtype="Int64"),
        KOSTEN: kosten,
        EHRENAMTLICHE: pd.array(ehrenamtliche, dtype="Int64"),
    })
    if with_labels:  # the intended cell of each row's kind and title (not its catalogue section)
        per_title = np.array([k.aspect_of(t) for k in kinds for t in range(len(k.titles))], dtype=object)
        first_title = np.cumsum([0, *(len(k.titles) for k in kinds)])[:-1]
        keys = per_title[first_title[kind_idx] + title_i]
        df[SOLL_FELD] = pd.array([FIELD_OF_KEY[k[0]] for k in keys], dtype="str")
        df[SOLL_ASPEKT] = pd.array([ASPECT_LABEL[k] for k in keys], dtype="str")
    return df


# --- writers -------------------------------------------------------------------------
def _words(text: str) -> list[str]:
    return text.split()


#: Words of social work mixed into the distinct texts, so that matching finds something to weigh.
_SOCIAL_WORDS = _words(
    "Beratung Begleitung Treffpunkt Nachbarschaft Kinder Jugendliche Familien Senioren Ehrenamtliche "
    "Quartier Stadtteil Gemeinwesen Netzwerk Kooperation Planung Konzept Steuerung Koordination Träger "
    "Schuldnerberatung Mittagstisch Hausaufgabenhilfe Besuchsdienst Sozialraumanalyse Jugendarbeit "
    "Qualifizierung Beschäftigung Coaching Patenschaft Sprechstunde Gruppe offen gemeinsam Angebot "
    "Bewohnerinnen Stadtteilzentrum Begegnung Kurs Fortbildung Ausschuss Politik Verwaltung Runder Tisch"
)
_FILLER = _words("und mit für die der das im am zum zur von bei auf nach in an ein eine wir sie es")


def _pseudo_words(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct invented words from German-like syllables (names, places, rare nouns of real lists)."""
    syll = np.array(_words("ba be bi bo bu ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se si so "
                           "ta te ti to wa we wi wo ber ling haus dorf feld stein bach burg hof weg tal"))
    out: dict[str, None] = {}
    while len(out) < n:
        k = rng.integers(2, 5, size=n)
        parts = rng.choice(syll, size=(n, 4))
        for row, length in zip(parts, k, strict=True):
            out["".join(row[:length]).capitalize()] = None
            if len(out) >= n:
                break
    return list(out)


def generate_distinct(n_rows: int, seed: int = 0, words: tuple[int, int] = (18, 18)) -> pd.DataFrame:
    """An inventory whose titles (3 words) and descriptions (``words`` = min, max words, one sentence)
    are nearly all distinct, as in a list merged from many parishes (issue 17).

    The other columns come from ``generate_inventory``; the texts mix invented words (a vocabulary
    of about 40,000), everyday filler words and words of social work.
    """
    base = generate_inventory(n_rows, seed).drop(columns=[ART, KOSTEN, EHRENAMTLICHE, ENDE], errors="ignore")
    rng = np.random.default_rng(seed + 17)
    vocab = np.array(_pseudo_words(rng, 40_000) + _SOCIAL_WORDS * 20 + _FILLER * 60, dtype=object)
    lo, hi = words
    lengths = rng.integers(lo, hi + 1, size=n_rows)
    picks = rng.integers(0, len(vocab), size=(n_rows, 3 + hi))
    titles, texts = [], []
    for row, length in zip(picks, lengths, strict=True):
        chosen = vocab[row]
        titles.append(" ".join(chosen[:3]))
        body = " ".join(chosen[3:3 + length])
        texts.append(body[:1].upper() + body[1:] + ".")
    base[TITEL] = titles
    base[BESCHREIBUNG] = texts
    return base


def write_xlsx(df: pd.DataFrame, path: str | Path, sheet: str = "Aktivitäten") -> None:
    """Write ``df`` (header in row 1) with xlsxwriter in constant-memory mode."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    wb.set_properties({"title": "Erfundene Beispieldaten (Benchmark)",
                       "created": pd.Timestamp("2025-01-01").to_pydatetime()})
    ws = wb.add_worksheet(sheet)
    date_fmt = wb.add_format({"num_format": "dd.mm.yyyy"})
    head_fmt = wb.add_format({"bold": True})
    columns = list(df.columns)
    ws.write_row(0, 0, columns, head_fmt)
    for c, name in enumerate(columns):
        ws.set_column(c, c, 45 if name in (BESCHREIBUNG,) else 18)

    cells: list[list] = []
    writers = []
    formats = []
    for name in columns:
        s = df[name]
        if pd.api.types.is_datetime64_any_dtype(s):
            serial = (s - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)
            cells.append([None if v != v else v for v in serial.to_numpy(dtype=float, na_value=np.nan)])
            writers.append(ws.write_number)
            formats.append(date_fmt)
        elif pd.api.types.is_numeric_dtype(s):
            cells.append([None if v != v else v for v in s.to_numpy(dtype=float, na_value=np.nan).tolist()])
            writers.append(ws.write_number)
            formats.append(None)
        else:
            cells.append([v if v else None for v in s.fillna("").astype(str).tolist()])
            writers.append(ws.write_string)
            formats.append(None)
    pairs = list(zip(range(len(columns)), writers, formats, strict=True))
    for r, row in enumerate(zip(*cells, strict=True), start=1):
        for (c, write, cell_fmt), value in zip(pairs, row, strict=True):
            if value is not None:
                write(r, c, value, cell_fmt)
    wb.close()


def write_csv(df: pd.DataFrame, path: str | Path) -> None:
    """Write ``df`` as German CSV: ``;``-separated, UTF-8 with BOM, decimal comma, dates TT.MM.JJJJ."""
    df.to_csv(path, sep=";", encoding="utf-8-sig", index=False, decimal=",", date_format="%d.%m.%Y")


def main(argv: list[str] | None = None) -> int:
    """Command line: generate an inventory and write it as xlsx or csv, printing the timings."""
    p = argparse.ArgumentParser(description="Erfundenes Aktivitäten-Inventar für Benchmarks erzeugen.")
    p.add_argument("--rows", type=int, default=50_000, help="Anzahl Zeilen (Standard 50000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--format", choices=("xlsx", "csv"), default=None, help="Standard: aus --out")
    p.add_argument("--out", type=Path, default=None, help="Zieldatei (Standard bench/out/inv_<rows>.<format>)")
    p.add_argument("--labels", action="store_true", help="Spalten Soll-Feld/Soll-Aspekt anhängen")
    p.add_argument("--distinct", metavar="MIN-MAX", default=None,
                   help="fast alle Titel und Beschreibungen verschieden, Beschreibung MIN bis MAX Wörter (z. B. 18-18)")
    args = p.parse_args(argv)

    fmt = args.format or (args.out.suffix.lstrip(".").lower() if args.out else "xlsx")
    if fmt not in ("xlsx", "csv"):
        p.error("--format muss xlsx oder csv sein")
    out = args.out or ROOT / "bench" / "out" / f"inv_{args.rows}.{fmt}"
    out.parent.mkdir(parents=True, exist_ok=True)

    t0 = time.perf_counter()
    if args.distinct:
        lo, _, hi = args.distinct.partition("-")
        df = generate_distinct(args.rows, args.seed, (int(lo), int(hi or lo)))
    else:
        df = generate_inventory(args.rows, args.seed, with_labels=args.labels)
    t1 = time.perf_counter()
    (write_xlsx if fmt == "xlsx" else write_csv)(df, out)
    t2 = time.perf_counter()
    print(f"{len(df)} Zeilen, {df[QUARTIER].nunique()} Quartiere: erzeugt in {t1 - t0:.2f} s, "
          f"{fmt} geschrieben in {t2 - t1:.2f} s ({out.stat().st_size / 1e6:.1f} MB) -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
