"""Reading uploads safely: the format by content, limits, parsing in a child process.

Modules: ``guard`` (the file checked before parsing: format by magic bytes and content, limits,
refusals with German messages), ``isolate`` (a workbook parsed in a child process, ``_child``,
with a memory limit and a timeout), ``sheetscan`` (one streamed pass over the sheet XML: extent,
formulas without value, error cells), ``workbook`` (calamine/openpyxl in the child),
``csvrepair`` (CSV with broken quoting read line by line).

Kept free of heavy imports: the reader child imports ``soni.intake._child`` and must start fast.
"""
