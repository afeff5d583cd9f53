"""Every key of ``st.session_state`` the app uses, and where the pages live (names only, no logic).

Session data keys start with ``soni_``, widget keys with ``w_`` (``session.clear_data`` drops
all ``w_`` values, since they may quote an upload), chart and table keys with ``chart_``/``table_``.
Keys that end in ``_`` are prefixes completed by a revision or an index.
"""

from __future__ import annotations

from typing import ClassVar

PAGE_FILES: dict[str, str] = {
    "quartier": "views/quartier.py",
    "vergleich": "views/vergleich.py",
    "upload": "views/upload.py",
    "pruefen": "views/pruefen.py",
    "export": "views/export.py",
    "arbeitsbereich": "views/arbeitsbereich.py",
}


class Keys:
    """Session-state keys as constants (one place; pages never write a key literal)."""

    # --- session data -------------------------------------------------------------------
    UPLOADS = "soni_uploads"  # list[tuple[name, bytes]] of the uploaded files (absent: sample)
    DIGESTS = "soni_digests"  # {name: sha256 of the bytes}, computed once at upload
    OPTIONS = "soni_options"  # {name: pipeline.Options}
    CORRECTIONS = "soni_corrections"  # {Zeilen-ID: (field, aspect | None)}
    CORRECTIONS_REV = "soni_corrections_rev"  # bumped on every change of CORRECTIONS
    CACHE = "soni_cache"  # {data key: Inventory} — this session's pipeline results
    CORRECTED = "soni_corrected"  # ((data key, corrections rev), Inventory)
    PIPELINE_RUNS = "soni_pipeline_runs"  # how often this session ran the pipeline
    UPLOADER_REV = "soni_uploader_rev"  # part of the file uploader's key (bumped to empty it)
    UPLOAD_SIGNATURE = "soni_upload_signature"  # (name, file_id) of the files last processed
    LOAD_ERROR = "soni_load_error"  # German message of the last failed load
    NOTICE = "soni_notice"  # one-off message for the next run (e.g. after "Daten entfernen")
    AUTO_SHEETS = "soni_auto_sheets"  # {file name: sheet the pipeline chose by itself}
    EXPORT_RESULT = "soni_export_result"  # (stamp, {name: bytes}) of the last export build
    LAST_CLICK = "soni_last_click"  # {chart: cell keys selected} as last handled (Quartier page)
    DRILL_AT = "soni_drill_at"  # "grid" or "aspect": the activity list sits below the chart last clicked
    CELL_CHOSEN = "soni_cell_chosen"  # True once a cell was clicked or chosen: then its activity list shows
    OPENED = "soni_opened"  # (label, Inventory) of a saved inventory opened from the workspace
    LEARN = "soni_learn"  # (terms, learnt corrections) of the workspace while "Gelerntes anwenden" is on
    YEARS_LOADED = "soni_years_loaded"  # {(inventory id, saved at): activities} opened for the years tab
    YEARS_PACKAGE = "soni_years_package"  # (stamp, ZIP bytes) of the last package over the years

    # --- shared controls (frame, several pages) ------------------------------------------
    QUARTIER = "w_quartier"
    METRIC = "w_metric"
    SHARE = "w_share"
    TRAEGER = "w_traeger"
    ZIEL = "w_ziel"
    PERIOD_KIND = "w_period_kind"
    PERIODS = "w_periods"
    CLEAR_DATA = "w_clear_data"
    # Quartier
    CELL_FIELD = "w_cell_field"
    CELL_ASPECT = "w_cell_aspect"
    # Vergleich
    CMP_TAB = "w_cmp_tab"
    CMP_QUARTIERE = "w_cmp_quartiere"
    DIFF_A = "w_diff_a"
    DIFF_B = "w_diff_b"
    CMP_PERIOD_KIND = "w_cmp_period_kind"
    PDIFF_A = "w_pdiff_a"
    PDIFF_B = "w_pdiff_b"
    # Daten hochladen
    TEMPLATE = "w_template"
    UPLOADER_ = "w_uploader_"
    SHEET_ = "w_sheet_"
    MAPPING_FORM_ = "w_mapping_form_"
    MAP_ = "w_map_"
    REPORT_LEVELS = "w_report_levels"
    FILL_ = "w_fill_"
    MAPPING_SAVE_ = "w_mapping_save_"
    MAPPING_LOAD_ = "w_mapping_load_"
    MAPPING_FILES_LOADED = "soni_mapping_files_loaded"  # {widget key: file_id} of mapping files already applied
    # Zuordnung prüfen
    CHECK_FILTER = "w_check_filter"
    CHECK_QUARTIER = "w_check_quartier"
    CHECK_SEARCH = "w_check_search"
    EDITOR_ = "w_editor_"
    UNDO_SELECTED = "w_undo_selected"
    RESET_CORRECTIONS = "w_reset_corrections"
    DOWNLOAD_XLSX = "w_download_xlsx"
    DOWNLOAD_CSV = "w_download_csv"
    # Arbeitsbereich
    WS_SAVE_FORM = "w_ws_save_form"
    WS_NAME = "w_ws_name"
    WS_GEMEINDE = "w_ws_gemeinde"
    WS_DATUM = "w_ws_datum"
    WS_PICK = "w_ws_pick"
    WS_OPEN = "w_ws_open"
    WS_DELETE = "w_ws_delete"
    WS_LEARN = "w_ws_learn"
    WS_TERM_ADD = "w_ws_term_add"
    WS_TERM = "w_ws_term"
    WS_TERM_FELD = "w_ws_term_feld"
    WS_TERM_ASPEKT = "w_ws_term_aspekt"
    WS_TERM_GEWICHT = "w_ws_term_gewicht"
    WS_TERM_PICK = "w_ws_term_pick"
    WS_TERM_REMOVE = "w_ws_term_remove"
    WS_MEMBER_FORM = "w_ws_member_form"
    WS_MEMBER = "w_ws_member"
    YEARS_PICK = "w_years_pick"
    YEARS_XLSX = "w_years_xlsx"
    YEARS_BUILD = "w_years_build"
    YEARS_ZIP = "w_years_zip"
    # Export
    EXPORT_QUARTIERE = "w_export_quartiere"
    EXPORT_METRIC = "w_export_metric"
    EXPORT_FORMATS = "w_export_formats"
    EXPORT_LESART_ = "w_export_lesart_"
    EXPORT_BUILD = "w_export_build"
    EXPORT_ZIP = "w_export_zip"
    EXPORT_FILE_ = "w_export_file_"
    EXPORT_IMG_ = "w_export_img_"

    # --- charts and tables -----------------------------------------------------------------
    CHART_FELD = "chart_feld"
    CHART_ASPEKT = "chart_aspekt"
    CHART_MULTIPLES = "chart_multiples"
    CHART_QUARTIER_FELDER = "chart_quartier_felder"
    CHART_DIFF_QUARTIER = "chart_diff_quartier"
    CHART_PERIODEN = "chart_perioden"
    CHART_PERIODEN_FELDER = "chart_perioden_felder"
    CHART_DIFF_PERIODE = "chart_diff_periode"
    CHART_YEARS = "chart_years_felder"
    TABLE_CELL = "table_cell"
    TABLE_REPORT = "table_report"
    TABLE_CORRECTIONS_ = "table_corrections_"

    #: Widget values that survive page switches (see ``session.keep_widget_state``).
    PERSISTENT: ClassVar[tuple[str, ...]] = (
        QUARTIER, METRIC, SHARE, TRAEGER, ZIEL, PERIOD_KIND, PERIODS,
        CMP_QUARTIERE, DIFF_A, DIFF_B, CMP_PERIOD_KIND, PDIFF_A, PDIFF_B,
        CHECK_FILTER, CHECK_QUARTIER, EXPORT_QUARTIERE, EXPORT_METRIC, EXPORT_FORMATS,
    )

    #: Session data removed by "Daten entfernen" (with every widget value).
    DATA: ClassVar[tuple[str, ...]] = (
        UPLOADS, DIGESTS, OPTIONS, CORRECTIONS, CACHE, CORRECTED, UPLOAD_SIGNATURE, LOAD_ERROR,
        EXPORT_RESULT, AUTO_SHEETS, OPENED, YEARS_LOADED, YEARS_PACKAGE,
    )

    #: Prefix of every widget key.
    WIDGET_PREFIX: ClassVar[str] = "w_"
