"""Support shared by the browser tests (tests/e2e), benchmarks/ and scripts/: start and stop a
Streamlit server, build a database with the ETL, drive Debian's Chromium. No pytest in here, and
not app code (the app never imports it)."""
