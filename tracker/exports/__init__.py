"""Exports that carry their citation, one module per job (pure: no Streamlit, no database):

- csv_safety: CSV bytes a spreadsheet cannot run as formulas, and safe file names
- sources_line: who the rows cite, grouped once, with a plain-text and a markdown face
- citation: the texts every export carries (filters, build, view link) and the citation itself
- images: a chart as PNG/SVG with title, filters, sources and build drawn in (kaleido)
- bundle: the view's zip (CSVs, sources, data dictionary, citation, link)
"""
