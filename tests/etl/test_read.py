from pathlib import Path

from etl.read import decode, read_file, records
from etl.tables import BY_NAME


def test_records_track_physical_lines_across_quoted_newlines():
    text = 'a,b\n1,"x\ny\nz"\n\n2,w\n'
    got = [(line, cells) for line, cells, err in records(text)]
    assert got == [(1, ["a", "b"]), (2, ["1", "x\ny\nz"]), (5, []), (6, ["2", "w"])]


def test_records_report_broken_quoting_and_continue():
    text = 'a,b\n1,"x"y\n2,ok\n'
    out = list(records(text))
    assert out[1][0] == 2 and out[1][1] is None and "expected" in out[1][2]
    assert out[2] == (3, ["2", "ok"], None)


def test_records_unclosed_quote_points_at_record_start():
    out = list(records('a,b\n1,"open\n2,x\n'))
    assert out[-1][0] == 2 and "unexpected end of data" in out[-1][2]


def test_decode_reports_every_bad_byte_with_its_line():
    text, probs = decode("t.csv", b"a,b\nok,\xff\nfine,x\n\xc3(,y\n")
    assert [(p.line, p.value) for p in probs] == [(2, b"\xff"), (4, b"\xc3")]
    assert text.count("\ufffd") == 2


def test_decode_flags_bom_and_strips_it():
    text, probs = decode("t.csv", b"\xef\xbb\xbfa,b\n")
    assert text == "a,b\n" and [p.message for p in probs] == [
        "starts with a UTF-8 byte-order mark (save without BOM)"]


def test_read_file_hashes_exact_bytes(tmp_path: Path):
    import hashlib
    raw = b"company_id,name,country,role\r\nx,X,US,vendor\r\n"
    (tmp_path / "companies.csv").write_bytes(raw)
    f = read_file(tmp_path, BY_NAME["companies"])
    assert f.data == raw and f.sha256 == hashlib.sha256(raw).hexdigest() and not f.problems


def test_read_file_missing(tmp_path: Path):
    f = read_file(tmp_path, BY_NAME["chips"])
    assert f.data is None and [p.format() for p in f.problems] == ["chips.csv:1: -: file is missing"]
