"""Sandboxed SQL explorer: user SQL runs in a separate, locked-down DuckDB worker process.

Entry points: ExplorerService (service.py) for running queries, render_explorer in
tracker/explorer_view.py for the Streamlit UI. Security rationale: stack-notes.md §6.
"""
