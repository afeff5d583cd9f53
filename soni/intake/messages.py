"""German refusals shared by the guard (``soni.intake.guard``) and the reader (``soni.intake.isolate``)."""

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
