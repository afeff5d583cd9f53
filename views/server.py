"""Web-server settings that Streamlit has no option for (``app.py`` applies them at import).

Uploads in memory: Streamlit 1.67 serves the app with Starlette, whose multipart parser keeps an
uploaded file in memory only up to 1 MB (``MultiPartParser.spool_max_size``) and writes the rest
to an unnamed temporary file in the temp folder. Raising that threshold above Streamlit's own cap
on an upload request (``server.maxUploadSize`` plus 1 MB of multipart framing, enforced while the
body streams in) keeps every accepted upload in memory, so no upload byte is written to disk.
"""

from __future__ import annotations

from soni.intake import guard

#: Streamlit's cap on an upload request: the file limit plus its framing margin (starlette_routes).
UPLOAD_BODY_CAP = guard.MAX_FILE_BYTES + 1024 * 1024


def keep_uploads_in_memory() -> None:
    """Let Starlette's multipart parser hold a whole upload in memory (never spool it to disk)."""
    from starlette.formparsers import MultiPartParser

    MultiPartParser.spool_max_size = max(MultiPartParser.spool_max_size, UPLOAD_BODY_CAP + 1)
