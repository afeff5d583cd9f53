"""Meeting-package writers: safe CSV/xlsx text, chart images, PDF handout, PowerPoint, Excel summary.

Submodules are imported on demand (``from soni.export import pdf``), so importing
one writer does not load the libraries of the others.
"""
