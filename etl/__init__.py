"""ETL for the H200 tracker: curated CSVs under data/ -> validated -> a new DuckDB file -> published.

Stages (each a plain function, testable alone):
  read.read_file      bytes from disk, SHA-256, strict UTF-8, csv records with physical line numbers
  validate.validate   every problem of every file, located as FILE:LINE: COLUMN: message (value)
  build.build_database   schema.sql + tables in one transaction + build_info + views.sql, into <db>.tmp
  publish.publish     fsync, os.replace onto the live file, fsync the directory
The CLI (python -m etl check|build) wires them together; see etl/cli.py for exit codes.
"""
