"""The method text of the Sources page: how figures are curated. What each stage, bound and
grade means is reference data (data/stages.csv, bounds.csv, grades.csv), shown from there."""
from tracker.i18n import N_, _

CURATION = N_("""- **Every number traces to a source**: publisher, title, link, date and a short verbatim quote.
  The curated tables live as CSV files in the project's `data/` folder; the build validates
  every row (types, vocabularies, references, bounds) and refuses the whole build on any
  problem, so the published database is never half-updated.
- **Bounds are the source's own.** "More than 400,000" is stored as a lower bound and drawn
  with ≥ and an open-ended marker; it is never rounded into an exact number.
- **Combined figures stay combined.** "ByteDance, Alibaba and Tencent: more than 400,000 in
  total" is one figure linked to the three companies. Filtering by one of them shows the
  shared figure, labelled shared; no source gives a per-company split and none is made up.
- **Unknown is not zero.** "No shipment reported" is a dated, sourced fact shown as text,
  never as a 0 bar. A stage with no figure says so.
- **Conflicting reports are all kept**, side by side. Where a headline is chosen (cards,
  pipeline), the rule is: a chip count first, then another number, then "none reported", then
  reports without a number; among those the latest as-of date, then the latest publication,
  then the best grade. A later report without a number never hides an earlier number. The
  card says how many reports exist, and the Orders page shows them all.
- **Our own arithmetic is labelled DERIVED** (ratios to the H20, unit conversions) and shows
  its inputs. A ratio of two bounded values carries no bound of its own, and says so.
- **Reliability is visible**: each source has a grade, and the *minimum source grade* filter
  hides lower-grade figures. Mixed grades in the research dossier (H/M) are entered as the
  lower grade.
- **As known on** shows the data as it had been published by a date: a figure with no
  publication day counts as published on its as-of date (the earliest it could have been);
  specs from undated sources are always shown.
""")


def curation() -> str:
    """The method text in the page's language."""
    return _(CURATION)
