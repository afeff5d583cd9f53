"""German refusals shared by the guard (``soni.intake.guard``) and the reader (``soni.intake.isolate``)."""

RESAVE = "Bitte die Datei in Excel (oder LibreOffice) öffnen, als .xlsx neu speichern und erneut hochladen."
CORRUPT = ("Die Datei ist beschädigt oder unvollständig (vielleicht wurde das Hoch- oder Herunterladen "
           "abgebrochen). " + RESAVE)
PASSWORD = ("Die Datei ist mit einem Passwort geschützt. Bitte den Kennwortschutz in Excel entfernen "
            "(Datei → Informationen → Arbeitsmappe schützen → Mit Kennwort verschlüsseln) und die "
            "Datei erneut hochladen.")
SECURITY = "Das kommt in echten Tabellen nicht vor; die Datei wird aus Sicherheitsgründen nicht gelesen."
