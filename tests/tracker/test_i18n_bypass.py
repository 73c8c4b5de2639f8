"""No interface text bypasses the catalog (issue 11): an AST scan of app.py, pages/ and tracker/
fails when a string with words reaches a Streamlit display call (its label or body, help=,
placeholder=, label=) or a plotly title, name or text in the chart builders without `_()`;
and when a function that calls `_` also binds `_` (a `for _, row in …` loop would make the
gettext call fail at run time)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FILES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "tracker").rglob("*.py"))]
CHART_FILES = {*(f"tracker/charts/{p.name}" for p in (ROOT / "tracker" / "charts").glob("*.py")),
               "tracker/explorer/chart.py"}

DISPLAY = {"note", "heading", "no_match", "describe",  # the ui helpers that show their text
           "title", "header", "subheader", "caption", "markdown", "write", "text", "info", "warning",
           "error", "success", "toast", "button", "download_button", "link_button", "page_link",
           "expander", "popover", "tabs", "selectbox", "multiselect", "radio", "segmented_control",
           "pills", "toggle", "checkbox", "slider", "select_slider", "number_input", "text_input",
           "text_area", "date_input", "time_input", "metric", "form_submit_button", "set_page_config"}
TEXT_KEYWORDS = {"label", "help", "placeholder", "page_title", "display_text", "body"}
PLOTLY_KEYWORDS = {"title", "name", "text"}
PLOTLY_CALLS = {"update_layout", "update_xaxes", "update_yaxes", "add_annotation", "add_scatter",
                "add_bar", "Bar", "Scatter", "dict", "layout", "empty", "vline"}
# Not interface text, by reason: (file, the literal's text). Empty today; add a pair with why.
ALLOWED: set[tuple[str, str]] = set()
NOT_STREAMLIT = re.compile(r"log|^fh$|file|stream", re.I)  # logger.warning, fh.write: not the UI
NOISE = re.compile(r":material/[a-z_]+:|<[^>]+>|\{[^{}]*\}|`[^`]*`|https?://\S+")


def words(text: str) -> bool:
    """True when a literal says something: letters left once icons, tags, placeholders and code
    spans are taken out."""
    return bool(re.search(r"[A-Za-z]{2,}", NOISE.sub("", text)))


def literal_text(node: ast.AST) -> list[str]:
    """The literal text a value carries outside any call (a call such as _() or md() is fine)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    if isinstance(node, ast.BinOp):
        return literal_text(node.left) + literal_text(node.right)
    if isinstance(node, ast.IfExp):
        return literal_text(node.body) + literal_text(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return literal_text(node.func.value)  # "Text {x}".format(...) without _()
    return []


def _name(func: ast.AST) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def findings() -> list[str]:
    out = []
    for path in FILES:
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        out += _inside_fstrings(rel, tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            if name == "_" and node.args and isinstance(node.args[0], (ast.JoinedStr, ast.BinOp)):
                out.append(f"{rel}:{node.lineno}: _() of an f-string or a concatenation")
            values = []
            receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
            if isinstance(receiver, ast.Name) and NOT_STREAMLIT.search(receiver.id):
                receiver = None
            if name in DISPLAY and receiver is not None:
                values += node.args[:1] + [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
                if name == "tabs" and node.args and isinstance(node.args[0], (ast.List, ast.Tuple)):
                    values += node.args[0].elts
            if rel in CHART_FILES and name in PLOTLY_CALLS:
                values += [k.value for k in node.keywords if k.arg in PLOTLY_KEYWORDS]
                if name in ("_layout", "empty") and len(node.args) > 1:
                    values += node.args[1:3]
            for value in values:
                for text in literal_text(value):
                    if words(text) and (rel, text.strip()) not in ALLOWED:
                        out.append(f"{rel}:{value.lineno}: {text!r}")
        out += _shadowing(rel, tree)
    return out


def _inside_fstrings(rel: str, tree: ast.AST) -> list[str]:
    """_("…") written inside an f-string: it runs, but pybabel extract cannot see it (the
    tokenizer hands it the f-string whole), so the message never reaches the catalog."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if (isinstance(inner, ast.Call) and _name(inner.func) in ("_", "ngettext", "N_")
                        and inner.args and isinstance(inner.args[0], ast.Constant)):
                    out.append(f"{rel}:{inner.lineno}: _({inner.args[0].value!r}) inside an f-string")
    return out


def _shadowing(rel: str, tree: ast.AST) -> list[str]:
    out = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp,
                               ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            continue
        calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_"
                    for n in ast.walk(fn))
        binds = any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)
                    for n in ast.walk(fn))
        if calls and binds:
            out.append(f"{rel}:{fn.lineno}: binds `_` where it calls the gettext `_`")
    return out


def test_no_interface_text_bypasses_the_catalog():
    found = findings()
    assert not found, "wrap these in _() (or N_ + _):\n" + "\n".join(found)


def test_the_scan_catches_a_bare_label(tmp_path):
    """The scan itself: a bare label, an f-string title, a `.format` on a bare literal and a
    shadowed `_` are all found; wrapped ones are not."""
    sample = ("import streamlit as st\nfrom tracker.i18n import _\n"
              "st.subheader('Latest events')\nst.caption(f'{n} rows shown')\n"
              "st.info('No {what}'.format(what=w))\nst.subheader(_('Latest events'))\n"
              "st.caption(f':material/history: {x}')\n"
              "def f(rows):\n    for _, r in rows:\n        st.write(_('x'))\n")
    tree = ast.parse(sample)
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in DISPLAY and node.args:
            hits += [t for t in literal_text(node.args[0]) if words(t)]
    assert hits == ["Latest events", " rows shown", "No {what}"]
    assert _shadowing("x.py", tree)
    assert _inside_fstrings("x.py", ast.parse("x = f\"[{_('history')}](link)\""))
