"""Sources and method: every source with its grade and link, how figures are curated, what
each bound means, and the build the page is reading."""
import pandas as pd
import streamlit as st

from tracker import code_view, embed, gaps, labels, method, queries, snippets, ui
from tracker.i18n import N_, _

page = ui.start(N_("Sources and method"), N_("Where every number comes from, and how it is kept honest."))
vocab = queries.vocabulary(page.version)
sources = queries.sources(page.filters, page.version)
tables: ui.Tables = {}
ui.heading(_("Sources ({n})").format(n=len(sources)))
if sources.empty:
    ui.no_match(_("source"))
else:
    counts = sources["grade"].value_counts()
    ui.note(" · ".join(f"{ui.md(g['label'])}: {counts.get(k, 0)}" for k, g in vocab.grades.items()))
    tables = ui.download_table(sources, list(sources.columns), "sources", page)  # a view to embed too
    if page.full:
        code_view.section(page, {"sources": snippets.VIEWS["sources"]})
        embed.share(page, list(tables))  # no citation or bundle here: its embed link and iframe
if not page.full:  # embedded (tracker/embed.py): the sources table was the view, or none is here
    ui.finish(page, tables)
    st.stop()

gaps.section(page.filters, page.version)

st.subheader(_("How figures are curated"))
st.markdown(method.curation())
st.subheader(_("Stages, from demand to delivery"))
# Shown tables: headers in the page's language, the keys (stage, bound, grade) as the data has them.
st.dataframe(pd.DataFrame([{_("stage"): k, _("label"): v["label"], _("definition"): v["definition"],
                            _("in the pipeline"): v["in_pipeline"]} for k, v in vocab.stages.items()]),
             hide_index=True, height="content")
st.subheader(_("What each bound means"))
st.dataframe(pd.DataFrame([{_("bound"): k, _("meaning"): v["source_words"], _("shown as"): v["shown_as"]}
                           for k, v in vocab.bounds.items()]), hide_index=True, height="content")
st.subheader(_("Source grades"))
st.dataframe(pd.DataFrame([{_("grade"): k, _("meaning"): v["label"]} for k, v in vocab.grades.items()]),
             hide_index=True)

st.subheader(_("This data build"))
info = queries.build_info(page.version)
st.markdown(_("Build `{build}`, built {built}. Input files and their SHA-256:").format(
    build=str(info["build_id"]).replace("`", ""), built=labels.moment(info["built_at"])))
st.dataframe(queries.build_files(page.version), hide_index=True, height="content")
