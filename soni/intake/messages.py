"""German refusals shared by the guard (``soni.intake.guard``) and the reader (``soni.intake.isolate``)."""

from pathlib import PurePath

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb", ".ods", ".ots")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".tab")

SUPPORTED = ("Unterstützt werden Excel-Arbeitsmappen (.xlsx, .xlsm, .xls, .xlsb), "
             "OpenDocument-Tabellen (.ods) und CSV-Dateien.")

#: What an OLE2 file that is no .xls is (the reader child names it by a key: ``soni.intake.xls.refusal``).
OLE_NOT_A_TABLE = {
    "doc": "ein Word-Dokument (.doc)",
    "ppt": "eine PowerPoint-Präsentation (.ppt)",
    "msg": "eine Outlook-Nachricht (.msg)",
    "ole": "eine Office-Datei im alten Format, aber keine Excel-Tabelle",
}

RESAVE = "Bitte die Datei in Excel (oder LibreOffice) öffnen, als .xlsx neu speichern und erneut hochladen."
CORRUPT = ("Die Datei ist beschädigt oder unvollständig (vielleicht wurde das Hoch- oder Herunterladen "
           "abgebrochen). " + RESAVE)
PASSWORD = ("Die Datei ist mit einem Passwort geschützt. Bitte den Kennwortschutz in Excel entfernen "
            "(Datei → Informationen → Arbeitsmappe schützen → Mit Kennwort verschlüsseln) und die "
            "Datei erneut hochladen.")
PASSWORD_ODS = ("Die OpenDocument-Tabelle ist mit einem Passwort verschlüsselt. Bitte in LibreOffice öffnen, "
                "unter Datei → Eigenschaften → Sicherheit das Kennwort entfernen (oder mit Datei → Speichern "
                "unter ohne „Mit Kennwort speichern“ neu speichern) und die Datei erneut hochladen.")
CELL_LIMIT = ("Die Datei konnte nicht gelesen werden: eine Tabelle darin ist zu groß (mehr Zellen, als der "
              "Leser auf einmal verarbeitet){detail}. Vermutlich enthält sie Werte in sehr weit entfernten "
              "Zellen. Bitte in Excel oder LibreOffice mit Strg+Ende die letzte benutzte Zelle prüfen, "
              "überflüssige Zeilen und Spalten löschen, neu speichern und erneut hochladen.")
SECURITY = "Das kommt in echten Tabellen nicht vor; die Datei wird aus Sicherheitsgründen nicht gelesen."


def not_a_table(what: str, filename: str) -> str:
    """The refusal of a file that is ``what`` (e.g. "ein PDF-Dokument"), named as uploaded."""
    if filename.lower().endswith(SPREADSHEET_SUFFIXES + TEXT_SUFFIXES):
        return f"Die Datei heißt „{PurePath(filename).name}“, ist aber {what}, keine Tabelle. {SUPPORTED}"
    return f"Die Datei ist {what}, keine Tabelle. {SUPPORTED}"
