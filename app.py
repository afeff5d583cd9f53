"""SONI-Dashboard — start with ``make run`` (or ``streamlit run app.py``).

This file has two roles:

- ``streamlit run app.py`` first *imports* it as a module and finds ``app``, an ``st.App``
  (Streamlit's ASGI entry point): it serves this same file as the page script and, when the
  server starts, prepares the built-in sample in a background thread (``views/warmup.py``),
  so the first visitor does not wait for imports and the sample pipeline; uploads are kept in
  memory up to the upload limit and every response carries the security headers
  (``views/server.py``).
- Streamlit then *runs* it as the page script (``__name__ == "__main__"``) for every visit and
  rerun, as does AppTest: the frame (page config, navigation, sidebar) is in ``views/frame.py``.
"""

import streamlit as st

if __name__ == "__main__":
    from views import frame

    frame.run()
else:
    from views import middleware, server, warmup

    server.keep_uploads_in_memory()  # no upload byte on disk (views/server.py)
    from starlette.middleware import Middleware

    # X-Frame-Options, Content-Security-Policy … on every response; the charts' plotly.js compressed once
    app = st.App(__file__, lifespan=warmup.lifespan,
                 middleware=[Middleware(middleware.SecurityHeaders), Middleware(middleware.ChartBundle)])
