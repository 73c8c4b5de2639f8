"""Sources and method: every source with its grade and link, how figures are curated, what
each bound means, and the build the page is reading."""
import pandas as pd
import streamlit as st

from tracker import gaps, method, queries, ui

page = ui.start("Sources and method", "Where every number comes from, and how it is kept honest.")
vocab = queries.vocabulary(page.version)
sources = queries.sources(page.filters, page.version)
st.subheader(f"Sources ({len(sources)})")
if sources.empty:
    ui.no_match("source")
else:
    counts = sources["grade"].value_counts()
    st.caption(" · ".join(f"{ui.md(g['label'])}: {counts.get(k, 0)}" for k, g in vocab.grades.items()))
    ui.table(sources)
    ui.download(sources, "sources", page)

gaps.section(page.filters, page.version)

st.subheader("How figures are curated")
st.markdown(method.CURATION)
st.subheader("Stages, from demand to delivery")
st.dataframe(pd.DataFrame([{"stage": k, "label": v["label"], "definition": v["definition"],
                            "in the pipeline": v["in_pipeline"]} for k, v in vocab.stages.items()]),
             hide_index=True, height="content")
st.subheader("What each bound means")
st.dataframe(pd.DataFrame([{"bound": k, "meaning": v["source_words"], "shown as": v["shown_as"]}
                           for k, v in vocab.bounds.items()]), hide_index=True, height="content")
st.subheader("Source grades")
st.dataframe(pd.DataFrame([{"grade": k, "meaning": v["label"]} for k, v in vocab.grades.items()]),
             hide_index=True)

st.subheader("This data build")
info = queries.build_info(page.version)
st.markdown(f"Build `{str(info['build_id']).replace('`', '')}`, built {pd.Timestamp(info['built_at']):%Y-%m-%d %H:%M:%S} UTC. "
            "Input files and their SHA-256:")
st.dataframe(queries.build_files(page.version), hide_index=True, height="content")
