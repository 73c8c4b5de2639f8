"""A Babel extraction method for the vocabulary words the data defines (babel.cfg): the CSVs
under data/ stay single-language, and the columns babel.cfg names for each file become
messages, so the catalog translates them like any other word of the interface."""
from __future__ import annotations

import csv
import io


def extract_csv(fileobj, keywords, comment_tags, options):
    """Yield (line, funcname, message, comments) for every non-empty cell of the `columns`
    option (comma-separated) of one CSV file; the comment names the row's key."""
    columns = [c.strip() for c in options.get("columns", "").split(",") if c.strip()]
    text = io.TextIOWrapper(fileobj, encoding=options.get("encoding", "utf-8"), newline="")
    reader = csv.DictReader(text)
    missing = set(columns) - set(reader.fieldnames or ())
    if missing:
        raise ValueError(f"babel.cfg names columns the file lacks: {sorted(missing)}")
    key = (reader.fieldnames or [""])[0]
    for row in reader:
        for column in columns:
            word = (row.get(column) or "").strip()
            if word:  # the line: the row's header line is 1, so a data row i is at i + 1
                yield reader.line_num, None, word, [f"data: {column} of {key} {row[key]}"]
