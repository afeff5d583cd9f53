"""Reading uploads safely: the format by content, limits, parsing in a child process.

Modules: ``guard`` (the file checked before parsing: format by magic bytes and content, limits,
refusals with German messages), ``isolate`` (a workbook parsed in a child process, ``_child``,
with a memory limit and a timeout), ``sheetscan`` (one streamed pass over the sheet XML: extent,
formulas without value, error cells), ``workbook`` (calamine/openpyxl in the child), ``xls``
(the OLE2 container through olefile and the error cells of an .xls, in the child),
``csvrepair`` (CSV with broken quoting read line by line).

``sniff`` holds the guesses by bytes (magic numbers, encoding, delimiter), ``messages`` the shared
refusals, ``text`` the CSV reader. Kept free of heavy imports: the reader child imports
``soni.intake._child`` and must start fast, so ``load_sheets`` imports the rest when called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from soni.intake.isolate import Sheet
    from soni.report import Report


def load_sheets(data: bytes, name: str, report: Report) -> dict[str, Sheet]:
    """The one door: check an upload named ``name`` (content, size, structure; ``soni.intake.guard``)
    and parse every sheet; warnings go to ``report``.

    Workbooks are parsed in a child process (``soni.intake.isolate``), as ``Columns``; CSV text
    in-process as one sheet of rows named "". Raises ``InputError`` when the file cannot be
    used. The child starts while the guard is still checking; when the guard refuses the file,
    the child is stopped and its answer never looked at. While the child parses an xlsx/xlsm,
    this process scans its sheet XML for error cells and formulas without value
    (``guard.scan_cells``); the child measures a sheet's extent when calamine read it beyond the
    limits, and the refusal names the cell (``guard.check_scan``; ``guard.check_cells`` when the
    child failed).
    """
    from soni.intake import guard, isolate, text
    from soni.report import InputError

    file = name

    if len(data) <= guard.MAX_FILE_BYTES:
        isolate.prefetch(data)
    try:
        inspection = guard.inspect(data, file, cells=False)  # cells: below, while the child parses
    except BaseException:
        isolate.discard(data)
        raise
    if inspection.kind != "xls":  # an OLE2 file is an .xls only once the child has read it (soni.intake.xls)
        report.problems.extend(inspection.warnings)
    if inspection.kind == "csv":
        isolate.discard(data)
        return {"": text.parse_csv(data, file, report, encoding=inspection.encoding)}
    if inspection.kind not in ("xlsx", "xlsm"):
        book = isolate.load_workbook_isolated(data, inspection.kind, file=file)
        if inspection.kind == "xls":
            report.problems.extend(inspection.warnings)
        if book.scan is not None:  # an xls with a 28.02.1900: the child found Excel's serial 60 cells
            report.problems.extend(guard.check_serial_60(book.sheets, book.scan.serial_60, file))
        return book.sheets
    try:
        found = guard.scan_cells(data, file)  # error cells and formulas, while the child parses
    except BaseException:
        isolate.discard(data)
        raise
    try:
        book = isolate.load_workbook_isolated(data, inspection.kind, file=file)
    except InputError:
        guard.check_cells(data, file)  # a sheet beyond the limits explains a failed parse best
        raise
    if book.scan is not None:
        guard.check_scan(book.scan, file)  # the child found a sheet beyond the limits: refused here
    report.problems.extend(guard.check_scan(found, file))
    report.problems.extend(guard.check_serial_60(book.sheets, found.serial_60, file))
    isolate.put_error_cells(book.sheets, found.errors)
    return book.sheets
