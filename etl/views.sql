-- Every number the dashboard shows is defined here, once, and read alike by the pages
-- (tracker/queries.py) and by the Explore SQL page. Our own arithmetic (ratios, headline
-- choices, derived specs) lives in objects named derived_*, every such row carries
-- derived = TRUE and shows its inputs (design.md §2.6); nothing derived is stored in data/.
--
-- THE FILTERS. Every filtered_* and derived_* table macro takes the same named parameters,
-- in the same order; the app's filter compiler (tracker/filter_sql.py) fills them, and in
-- Explore SQL you type them:
--   chips      := []    chip ids; empty = every chip
--   companies  := []    company ids; a figure or event naming any of them (empty = all)
--   start_date := NULL, end_date := NULL    the as-of (or event) date range
--   min_grade  := NULL  e.g. 'M' keeps H and M sources (order: data/grades.csv)
--   known_on   := NULL  hide what was published after this date
-- A macro ignores the parameters that do not apply to its rows (specs have no as-of date).
-- Example: SELECT * FROM derived_pipeline(min_grade := 'M', known_on := DATE '2026-03-01')

-- --- Shared pieces ------------------------------------------------------------------------------
-- The grade order at or above a minimum grade (NULL: no minimum).
CREATE MACRO grade_limit(min_grade) AS
    coalesce((SELECT grade_order FROM grades WHERE grade = min_grade), 2147483647);

CREATE MACRO http_only(url) AS CASE WHEN regexp_matches(url, '^https?://') THEN url END;

-- How a headline is chosen among several reports of one quantity: a chip or module count
-- first, then another number, then "none reported", then reports without a number (a later
-- report without a number never hides a number); then the latest as-of date, the latest
-- publication (a missing day last), the best source grade, the smallest figure_id.
CREATE MACRO headline_key(value, unit_kind, bound, as_of_date, published_date, grade_order, figure_id) AS
    {'class': CASE WHEN value IS NOT NULL AND unit_kind IN ('chip_count', 'module_count') THEN 0
                   WHEN value IS NOT NULL THEN 1
                   WHEN bound = 'none_reported' THEN 2 ELSE 3 END,
     'as_of': -epoch(as_of_date), 'published': coalesce(-epoch(published_date), 'infinity'::DOUBLE),
     'grade': grade_order, 'id': figure_id};

-- Whether one figure passes the filters: the filters' one definition, used on rows
-- (filtered_figures) and on pre-aggregated cells (filtered_figure_cells) alike.
CREATE MACRO figure_passes(row_chip, row_date, row_grade, row_known, row_companies,
                           chips, companies, start_date, end_date, min_grade, known_on) AS
    (len(chips::VARCHAR[]) = 0 OR list_contains(chips::VARCHAR[], row_chip))
    AND (start_date::DATE IS NULL OR row_date >= start_date::DATE)
    AND (end_date::DATE IS NULL OR row_date <= end_date::DATE)
    AND row_grade <= grade_limit(min_grade)
    AND (known_on::DATE IS NULL OR row_known <= known_on::DATE)
    AND (len(companies::VARCHAR[]) = 0 OR list_has_any(row_companies, companies::VARCHAR[]));

CREATE MACRO headline_rule() AS
    'a chip count first, then another number, then “none reported”, then reports without a '
    || 'number; among those the latest as-of date, then the latest publication, then the best '
    || 'source grade';

-- What a ratio of two reported values can claim about its bound.
CREATE MACRO ratio_note(a_bound, b_bound) AS
    CASE WHEN a_bound = 'exact' AND b_bound = 'exact' THEN 'exact inputs'
         WHEN a_bound IN ('exact', 'about') AND b_bound IN ('exact', 'about')
             THEN 'ratio of approximate values: approximate'
         ELSE 'inputs carry bounds (' || a_bound || ' / ' || b_bound
              || '): the ratio has no bound of its own' END;

CREATE MACRO chips_with_role(which) AS (SELECT list(chip_id ORDER BY chip_id) FROM chip_roles WHERE role = which);

-- --- Rows with their words: the base every page query starts from ----------------------------
-- A source as the UI names it: "FT, as relayed by Tom's Hardware" when read second-hand.
CREATE VIEW source_rows AS
SELECT s.source_id,
       CASE WHEN o.source_id IS NULL THEN s.publisher
            ELSE o.publisher || ', as relayed by ' || s.publisher END AS publisher,
       s.publisher AS read_publisher, s.title, http_only(s.url) AS url, s.published_date,
       s.grade, g.grade_order, g.label AS grade_label, s.relays,
       o.publisher AS original_publisher, o.title AS original_title,
       http_only(o.url) AS original_url, o.published_date AS original_date,
       s."read", s.notes, s.added_on
FROM sources s JOIN grades g USING (grade) LEFT JOIN sources o ON o.source_id = s.relays;

-- The latest revision of each curated row, for "revised on …" wherever the row is shown.
CREATE VIEW row_revisions AS
SELECT table_name, row_id, max(revised_on) AS revised_on, count(*) AS revisions
FROM revisions WHERE action = 'revised' GROUP BY table_name, row_id;

CREATE VIEW figure_rows AS
WITH parties AS (
    SELECT fc.figure_id, list(fc.company_id ORDER BY fc.company_id) AS company_ids,
           string_agg(co.name, ' + ' ORDER BY co.name) AS companies, count(*) AS n_companies
    FROM figure_companies fc JOIN companies co USING (company_id)
    GROUP BY fc.figure_id
)
SELECT tf.figure_id, tf.chip_id, c.name AS chip, tf.stage, st.label AS stage_label,
       st.stage_order, st.colour AS stage_colour, tf.metric, tf.measure, tf.value, tf.value_high,
       tf.unit, u.kind AS unit_kind, u.prefix AS unit_prefix, u.suffix AS unit_suffix,
       tf.bound, b.label AS bound_label, b.symbol AS bound_symbol,
       tf.as_of_date, tf.as_of_precision, tf.published_date,
       coalesce(p.companies, '') AS companies, coalesce(p.n_companies, 0) AS n_companies,
       coalesce(p.n_companies, 0) > 1 AS shared,
       s.publisher, s.grade, s.title AS source_title, s.url, tf.quote, tf.notes, tf.source_id,
       tf.added_on, rv.revised_on, coalesce(rv.revisions, 0) AS revisions,
       coalesce(p.company_ids, []::VARCHAR[]) AS company_ids, s.grade_order,
       list_contains(chips_with_role('subject'), tf.chip_id) AS is_subject,
       coalesce(tf.published_date, tf.as_of_date) AS known_from,
       -- the row's place in this build's trade_figures (not an id: it changes with every build):
       -- how a few picked rows are read back without probing every figure_id (issue 10)
       tf.rowid AS figure_rowid
FROM trade_figures tf
JOIN source_rows s USING (source_id)
JOIN chips c USING (chip_id)
JOIN stages st USING (stage)
JOIN units u USING (unit)
JOIN bounds b USING (bound)
LEFT JOIN parties p USING (figure_id)
LEFT JOIN row_revisions rv ON rv.table_name = 'trade_figures' AND rv.row_id = tf.figure_id;

CREATE VIEW event_rows AS
WITH parties AS (
    SELECT ec.event_id, list(ec.company_id) AS company_ids,
           string_agg(co.name, ' + ' ORDER BY co.name) AS companies
    FROM event_companies ec JOIN companies co USING (company_id) GROUP BY ec.event_id
)
SELECT e.event_id, e.date, e.date_precision, e.category, cat.label AS category_label,
       cat.colour AS category_colour, e.title, e.description,
       coalesce(p.companies, '') AS companies, s.publisher, s.grade, s.url, e.source_id,
       e.added_on, p.company_ids, s.grade_order, coalesce(s.published_date, e.date) AS known_from
FROM events e JOIN source_rows s USING (source_id) JOIN categories cat USING (category)
LEFT JOIN parties p USING (event_id);

-- A spec of one chip known only through another's (spec_derivations: "the same compute as an
-- H100"): each of the other chip's rows of that metric gives one DERIVED row. Its value source
-- is the other chip's row, its basis the derivation's source.
CREATE VIEW derived_specs_from_other_chips AS
SELECT 'derived_' || d.chip_id || '_from_' || sp.spec_id AS spec_id, d.chip_id, sp.metric,
       sp.value, sp.value_high, sp.unit, sp.bound, sp.sparsity, sp.source_id, sp.quote,
       'DERIVED: ' || fc.name || ' value ' || sp.spec_id || ' applied to the ' || tc.name
           || '; basis ' || d.source_id || ': "' || d.quote || '"' AS notes,
       d.added_on, d.source_id AS basis_source_id, sp.spec_id AS input_spec_id,
       d.derivation_id, TRUE AS derived
FROM spec_derivations d
JOIN chip_specs sp ON sp.chip_id = d.from_chip_id AND sp.metric = d.metric
JOIN chips fc ON fc.chip_id = d.from_chip_id
JOIN chips tc ON tc.chip_id = d.chip_id;

CREATE VIEW spec_rows AS
WITH every_spec AS (
    SELECT *, NULL::VARCHAR AS basis_source_id, FALSE AS derived FROM chip_specs
    UNION ALL BY NAME
    SELECT * EXCLUDE (input_spec_id, derivation_id) FROM derived_specs_from_other_chips
)
SELECT sp.spec_id, sp.chip_id, c.name AS chip, c.vendor, sp.metric, m.label AS metric_label,
       m.metric_order, sp.value, sp.value_high, sp.unit, sp.bound, b.label AS bound_label,
       b.symbol AS bound_symbol,
       sp.sparsity, sp.derived,
       CASE WHEN sp.derived THEN 'DERIVED: ' || s.publisher || ' + ' || bs.publisher
            ELSE s.publisher END AS publisher,
       -- a derived row is only as reliable as the weaker of its two sources
       CASE WHEN sp.derived AND bs.grade_order > s.grade_order THEN bs.grade ELSE s.grade END AS grade,
       s.published_date, s.url, sp.quote, sp.notes, sp.source_id, sp.added_on,
       rv.revised_on, coalesce(rv.revisions, 0) AS revisions,
       greatest(s.grade_order, coalesce(bs.grade_order, 0)) AS grade_order,
       list_contains(chips_with_role('reference'), sp.chip_id) AS is_reference
FROM every_spec sp
JOIN source_rows s USING (source_id)
JOIN chips c USING (chip_id)
JOIN spec_metrics m USING (metric)
JOIN bounds b USING (bound)
LEFT JOIN source_rows bs ON bs.source_id = sp.basis_source_id
LEFT JOIN row_revisions rv ON rv.table_name = 'chip_specs' AND rv.row_id = sp.spec_id;

-- --- Filtered rows: the filters' one definition ---------------------------------------------------
CREATE MACRO filtered_figures(chips := [], companies := [], start_date := NULL, end_date := NULL,
                              min_grade := NULL, known_on := NULL) AS TABLE
SELECT * EXCLUDE (company_ids, known_from, figure_rowid) FROM figure_rows f  -- grade_order kept: legends sort by it
WHERE figure_passes(f.chip_id, f.as_of_date, f.grade_order, f.known_from, f.company_ids,
                    chips, companies, start_date, end_date, min_grade, known_on);

-- Events that name no company are policy context and stay under a company filter; events that
-- name companies must name a selected one. Chips do not apply.
CREATE MACRO filtered_events(chips := [], companies := [], start_date := NULL, end_date := NULL,
                             min_grade := NULL, known_on := NULL) AS TABLE
SELECT * EXCLUDE (company_ids, grade_order, known_from) FROM event_rows e
WHERE (start_date::DATE IS NULL OR e.date >= start_date::DATE)
  AND (end_date::DATE IS NULL OR e.date <= end_date::DATE)
  AND e.grade_order <= grade_limit(min_grade)
  AND (known_on::DATE IS NULL OR e.known_from <= known_on::DATE)
  AND (len(companies::VARCHAR[]) = 0 OR e.company_ids IS NULL
       OR list_has_any(e.company_ids, companies::VARCHAR[]));

-- Specs of the chosen chips, and always the reference chip's (chip_roles). Specs have no as-of
-- date and no parties; undated sources stay under known_on.
CREATE MACRO filtered_specs(chips := [], companies := [], start_date := NULL, end_date := NULL,
                            min_grade := NULL, known_on := NULL) AS TABLE
SELECT * FROM spec_rows sp
WHERE (len(chips::VARCHAR[]) = 0 OR list_contains(chips::VARCHAR[], sp.chip_id) OR sp.is_reference)
  AND sp.grade_order <= grade_limit(min_grade)
  AND (known_on::DATE IS NULL OR sp.published_date IS NULL OR sp.published_date <= known_on::DATE);

CREATE MACRO filtered_ratios(chips := [], companies := [], start_date := NULL, end_date := NULL,
                             min_grade := NULL, known_on := NULL) AS TABLE
SELECT r.ratio_id, r.chip_id, c.name AS chip, r.reference_chip_id, rc.name AS reference_chip,
       r.basis, r.value, r.value_high, r.bound, b.symbol AS bound_symbol, s.publisher, s.grade,
       s.published_date, s.url, r.quote, r.notes, r.source_id, r.added_on
FROM reported_ratios r JOIN source_rows s USING (source_id) JOIN bounds b USING (bound)
JOIN chips c ON c.chip_id = r.chip_id JOIN chips rc ON rc.chip_id = r.reference_chip_id
WHERE (len(chips::VARCHAR[]) = 0 OR list_contains(chips::VARCHAR[], r.chip_id))
  AND s.grade_order <= grade_limit(min_grade)
  AND (known_on::DATE IS NULL OR s.published_date IS NULL OR s.published_date <= known_on::DATE)
ORDER BY r.ratio_id;

CREATE MACRO filtered_terms(chips := [], companies := [], start_date := NULL, end_date := NULL,
                            min_grade := NULL, known_on := NULL) AS TABLE
SELECT pt.term_id, pt.rule, pt.metric, tm.label AS metric_label, pt.value, pt.unit, pt.bound,
       b.symbol AS bound_symbol, pt.effective_date, s.publisher, s.grade, s.url, pt.quote,
       pt.notes, pt.source_id, pt.added_on, tm.spec_metric, tm.spec_scale
FROM policy_terms pt JOIN source_rows s USING (source_id) JOIN bounds b USING (bound)
JOIN term_metrics tm USING (metric)
WHERE s.grade_order <= grade_limit(min_grade)
  AND (known_on::DATE IS NULL OR coalesce(s.published_date, pt.effective_date) <= known_on::DATE)
ORDER BY pt.effective_date NULLS LAST, pt.term_id;

-- --- At any size: pre-aggregated cells, counts and pages (issue 10) ------------------------------
-- figure_cells: trade_figures aggregated when the database is built, one row per combination of
-- what the filters test (chip, as-of date, publication date, source and so grade, parties) and
-- what the charts group by (stage, unit, bound, measure). Charts, counts and headlines read the
-- filtered cells instead of every report, so their cost follows the number of cells, not of
-- rows. Only counts, extremes and the headline key are kept: no value is ever summed, so no
-- bound is lost (a cell of lower bounds is a cell of lower bounds, stated by its `bound`).
CREATE TABLE figure_cells AS
WITH parties AS (
    SELECT fc.figure_id, list(fc.company_id ORDER BY fc.company_id) AS company_ids,
           string_agg(co.name, ' + ' ORDER BY co.name) AS companies, count(*) AS n_companies
    FROM figure_companies fc JOIN companies co USING (company_id)
    GROUP BY fc.figure_id
), f AS (
    SELECT tf.chip_id, tf.stage, tf.unit, u.kind AS unit_kind, tf.bound, tf.measure, tf.as_of_date,
           coalesce(tf.published_date, tf.as_of_date) AS known_from, tf.source_id, g.grade_order,
           coalesce(p.company_ids, []::VARCHAR[]) AS company_ids, coalesce(p.companies, '') AS companies,
           coalesce(p.n_companies, 0) AS n_companies, tf.figure_id, tf.value, tf.value_high,
           rv.row_id IS NOT NULL AS revised,
           headline_key(tf.value, u.kind, tf.bound, tf.as_of_date, tf.published_date, g.grade_order,
                        tf.figure_id) AS hkey
    FROM trade_figures tf
    JOIN sources s USING (source_id) JOIN grades g USING (grade) JOIN units u USING (unit)
    LEFT JOIN parties p USING (figure_id)
    LEFT JOIN row_revisions rv ON rv.table_name = 'trade_figures' AND rv.row_id = tf.figure_id
)
SELECT chip_id, stage, unit, unit_kind, bound, measure, as_of_date, known_from, source_id, grade_order,
       company_ids, companies, n_companies,
       count(*) AS reports,                          -- rows in the cell
       count(value) AS valued,                       -- of which with a number
       min(value) AS value_min, max(value) AS value_top,
       max(coalesce(value_high, value)) AS value_max, -- a range's high end counts
       count(*) FILTER (WHERE revised) AS revised_reports,
       min(hkey) AS best_key, min(hkey).id AS best_id,  -- the key ends with the id: one struct min, not two
       max(figure_id) FILTER (WHERE value IS NOT NULL) AS last_valued_id  -- of those with a number
FROM f
GROUP BY chip_id, stage, unit, unit_kind, bound, measure, as_of_date, known_from, source_id, grade_order,
         company_ids, companies, n_companies
ORDER BY as_of_date, stage, chip_id;

CREATE MACRO filtered_figure_cells(chips := [], companies := [], start_date := NULL, end_date := NULL,
                                   min_grade := NULL, known_on := NULL) AS TABLE
SELECT * FROM figure_cells c
WHERE figure_passes(c.chip_id, c.as_of_date, c.grade_order, c.known_from, c.company_ids,
                    chips, companies, start_date, end_date, min_grade, known_on);

-- Every source with how many rows cite it.
CREATE MACRO filtered_sources(chips := [], companies := [], start_date := NULL, end_date := NULL,
                              min_grade := NULL, known_on := NULL) AS TABLE
SELECT s.source_id, s.publisher, s.title, s.grade, s.published_date, s.relays,
       s."read", s.url, s.original_publisher, s.original_url, s.original_date,
       -- counted from figure_cells: any size (issue 10)
       (SELECT coalesce(sum(c.reports), 0) FROM figure_cells c WHERE c.source_id = s.source_id)::BIGINT AS figures,
       (SELECT count(*) FROM chip_specs c WHERE c.source_id = s.source_id) AS specs,
       (SELECT count(*) FROM events e WHERE e.source_id = s.source_id) AS events,
       (SELECT count(*) FROM policy_terms p WHERE p.source_id = s.source_id) AS terms,
       s.notes, s.added_on
FROM source_rows s
WHERE s.grade_order <= grade_limit(min_grade)
ORDER BY s.grade_order, s.publisher, s.source_id;

-- How many figures the filters let through (named_only: only those naming a company).
CREATE MACRO filtered_figure_count(chips := [], companies := [], start_date := NULL, end_date := NULL,
                                   min_grade := NULL, known_on := NULL, named_only := FALSE) AS TABLE
SELECT coalesce(sum(c.reports), 0)::BIGINT AS figures,
       coalesce(sum(c.reports) FILTER (WHERE c.n_companies = 0), 0)::BIGINT AS market_wide
FROM filtered_figure_cells(chips := chips, companies := companies, start_date := start_date,
                           end_date := end_date, min_grade := min_grade, known_on := known_on) c
WHERE NOT named_only OR c.n_companies > 0;

-- What a figure's filters and order need, and nothing else: the narrow rows a page is cut from.
CREATE VIEW figure_keys AS
WITH parties AS (
    SELECT figure_id, list(company_id ORDER BY company_id) AS company_ids
    FROM figure_companies GROUP BY figure_id
)
SELECT tf.figure_id, tf.chip_id, tf.stage, tf.as_of_date,
       coalesce(tf.published_date, tf.as_of_date) AS known_from, g.grade_order,
       coalesce(p.company_ids, []::VARCHAR[]) AS company_ids, len(coalesce(p.company_ids, [])) AS n_companies,
       u.kind AS unit_kind, tf.value IS NOT NULL AS valued, tf.rowid AS figure_rowid
FROM trade_figures tf JOIN sources s USING (source_id) JOIN grades g USING (grade)
JOIN units u USING (unit) LEFT JOIN parties p USING (figure_id);

-- One page of filtered_figures in the tables' order (as-of date, stage, figure_id): rows
-- page_offset + 1 … page_offset + page_size, each with its row_number. The cells' per-day
-- counts find the days the page falls on; only those days' rows are ordered, and only the
-- page's rows are read in full (by rowid). named_only: the figures that name a company.
CREATE MACRO filtered_figure_page(chips := [], companies := [], start_date := NULL, end_date := NULL,
                                  min_grade := NULL, known_on := NULL, page_offset := 0,
                                  page_size := 50, named_only := FALSE) AS TABLE
WITH days AS (
    SELECT c.as_of_date, sum(c.reports) AS n
    FROM filtered_figure_cells(chips := chips, companies := companies, start_date := start_date,
                               end_date := end_date, min_grade := min_grade, known_on := known_on) c
    WHERE NOT named_only OR c.n_companies > 0
    GROUP BY c.as_of_date
), running AS (
    SELECT as_of_date, n, sum(n) OVER (ORDER BY as_of_date ROWS UNBOUNDED PRECEDING) AS upto FROM days
), win AS (   -- the days holding the page, and how many rows come before the first of them
    SELECT min(as_of_date) AS first_day, max(as_of_date) AS last_day,
           coalesce(min(upto - n), 0)::BIGINT AS before
    FROM running WHERE upto > page_offset AND upto - n < page_offset + page_size
), ids AS (   -- a range compared with scalars: the scan itself skips the other days' rows
    SELECT k.figure_rowid, k.as_of_date, k.stage, k.figure_id
    FROM figure_keys k
    WHERE k.as_of_date BETWEEN (SELECT first_day FROM win) AND (SELECT last_day FROM win)
      AND figure_passes(k.chip_id, k.as_of_date, k.grade_order, k.known_from, k.company_ids,
                        chips, companies, start_date, end_date, min_grade, known_on)
      AND (NOT named_only OR k.n_companies > 0)
    ORDER BY k.as_of_date, k.stage, k.figure_id
    LIMIT page_size OFFSET greatest(page_offset - (SELECT before FROM win), 0)
), numbered AS (
    SELECT figure_rowid, page_offset + row_number() OVER (ORDER BY as_of_date, stage, figure_id) AS row_number
    FROM ids
)   -- the page's rows read back by rowid, in filtered_figures' columns (they passed its filters)
SELECT f.* EXCLUDE (company_ids, known_from, figure_rowid), n.row_number
FROM figure_rows f JOIN numbered n USING (figure_rowid)
WHERE f.figure_rowid IN (SELECT figure_rowid FROM numbered)
ORDER BY n.row_number;

-- --- Derived numbers ------------------------------------------------------------------------------
-- The pipeline: per pipeline stage (stages.in_pipeline) of the pipeline chips (chip_roles),
-- the headline figure by headline_key, with how many reports the filters let through, and
-- the other reports of the headline's own quantity (as derived_figure_reports groups them:
-- where they disagree, the card says so instead of hiding it). Read from figure_cells: the
-- headline is the smallest headline_key of the filtered cells' smallest keys, so the cost
-- follows the number of cells, not of reports; the picked rows come from filtered_figures.
CREATE MACRO derived_pipeline(chips := [], companies := [], start_date := NULL, end_date := NULL,
                              min_grade := NULL, known_on := NULL) AS TABLE
WITH c AS (
    SELECT c.* FROM filtered_figure_cells(chips := chips, companies := companies, start_date := start_date,
                                          end_date := end_date, min_grade := min_grade, known_on := known_on) c
    JOIN stages st USING (stage)
    WHERE st.in_pipeline AND list_contains(chips_with_role('pipeline'), c.chip_id)
), pick AS (
    SELECT c.stage, arg_min(c.best_id, c.best_key) AS figure_id, sum(c.reports)::BIGINT AS reports
    FROM c GROUP BY c.stage
), same AS (
    SELECT c.chip_id, c.stage, c.unit, c.companies AS same_companies, coalesce(c.measure, '') AS same_measure,
           sum(c.valued)::BIGINT AS same_reports, min(c.value_min) AS same_low, max(c.value_max) AS same_high
    FROM c GROUP BY 1, 2, 3, 4, 5
)
SELECT f.*, p.reports, s.same_reports, s.same_low, s.same_high, headline_rule() AS headline_rule,
       TRUE AS derived
FROM filtered_figures(chips := chips, companies := companies, start_date := start_date,
                      end_date := end_date, min_grade := min_grade, known_on := known_on) f
JOIN pick p ON p.figure_id = f.figure_id
JOIN same s ON s.chip_id = f.chip_id AND s.stage = f.stage AND s.unit = f.unit
           AND s.same_companies = f.companies AND s.same_measure = coalesce(f.measure, '')
WHERE f.figure_id IN (SELECT figure_id FROM pick)
ORDER BY f.stage_order;

CREATE VIEW derived_pipeline_latest AS SELECT * FROM derived_pipeline();

-- Quantities reported more than once (same chip, stage, unit, parties and measure): every
-- report, the one the headline rule picks, and the spread largest ÷ smallest.
CREATE MACRO derived_figure_reports(chips := [], companies := [], start_date := NULL,
                                    end_date := NULL, min_grade := NULL, known_on := NULL) AS TABLE
WITH g AS (
    SELECT f.*, count(*) OVER w AS reports, max(f.value) OVER w / min(f.value) OVER w AS spread,
           row_number() OVER (w ORDER BY headline_key(
               f.value, f.unit_kind, f.bound, f.as_of_date, f.published_date,
               (SELECT grade_order FROM grades gr WHERE gr.grade = f.grade), f.figure_id)) = 1 AS headline
    FROM filtered_figures(chips := chips, companies := companies, start_date := start_date,
                          end_date := end_date, min_grade := min_grade, known_on := known_on) f
    WHERE f.value IS NOT NULL
    WINDOW w AS (PARTITION BY f.chip_id, f.stage, f.unit, f.companies, coalesce(f.measure, ''))
)
SELECT *, headline_rule() AS headline_rule, TRUE AS derived FROM g WHERE g.reports > 1
ORDER BY g.stage_order, g.chip, g.companies, g.value;  -- qualified: `companies` is also a parameter

-- --- Marks at any size (issue 10): a chart draws at most `budget` marks ------------------------
-- Quantities reported more than once, one row per quantity (as derived_figure_reports groups
-- them): how many reports, their extremes, the DERIVED spread and the headline's figure_id.
CREATE MACRO derived_figure_report_groups(chips := [], companies := [], start_date := NULL,
                                          end_date := NULL, min_grade := NULL, known_on := NULL) AS TABLE
WITH g AS (
    SELECT c.chip_id, c.stage, c.unit, c.companies AS group_companies, c.measure,
           any_value(c.n_companies) AS n_companies, sum(c.valued)::BIGINT AS reports,
           min(c.value_min) AS value_min, max(c.value_top) AS value_top, max(c.value_max) AS value_max,
           arg_min(c.best_id, c.best_key) AS headline_id, min(c.best_key) AS headline_key
    FROM filtered_figure_cells(chips := chips, companies := companies, start_date := start_date,
                               end_date := end_date, min_grade := min_grade, known_on := known_on) c
    WHERE c.valued > 0
    GROUP BY c.chip_id, c.stage, c.unit, c.companies, c.measure
    HAVING sum(c.valued) > 1
)
SELECT g.chip_id, ch.name AS chip, g.stage, st.label AS stage_label, st.stage_order, g.measure, g.unit,
       g.group_companies AS companies, g.n_companies, g.reports, g.value_min, g.value_top, g.value_max,
       g.value_top / g.value_min AS spread, g.headline_id, g.headline_key, headline_rule() AS headline_rule,
       TRUE AS derived
FROM g JOIN chips ch USING (chip_id) JOIN stages st USING (stage)
ORDER BY st.stage_order, ch.name, g.group_companies, g.measure NULLS FIRST;

-- Those reports binned: per quantity, source grade and bound, how many reports and the range
-- of their values (a range's high end included). A bin holds one bound kind only, so a bin of
-- lower bounds is a bin of lower bounds; `headline` marks the bin holding the headline report.
CREATE MACRO derived_figure_report_bins(chips := [], companies := [], start_date := NULL,
                                        end_date := NULL, min_grade := NULL, known_on := NULL) AS TABLE
WITH g AS (
    SELECT * FROM derived_figure_report_groups(chips := chips, companies := companies,
                                               start_date := start_date, end_date := end_date,
                                               min_grade := min_grade, known_on := known_on)
), c AS (
    SELECT c.* FROM filtered_figure_cells(chips := chips, companies := companies, start_date := start_date,
                                          end_date := end_date, min_grade := min_grade, known_on := known_on) c
    WHERE c.valued > 0
)
SELECT g.chip_id, g.chip, g.stage, g.stage_label, g.stage_order, g.measure, g.unit, g.companies,
       g.n_companies, g.reports AS quantity_reports, g.spread, gr.grade, gr.grade_order, c.bound,
       b.label AS bound_label, b.symbol AS bound_symbol, sum(c.valued)::BIGINT AS reports,
       min(c.value_min) AS value_min, max(c.value_max) AS value_max,
       min(c.as_of_date) AS first_as_of, max(c.as_of_date) AS last_as_of,
       count(DISTINCT c.source_id) AS sources, bool_or(c.best_key = g.headline_key) AS headline,
       g.headline_id, g.headline_rule, u.kind AS unit_kind, u.prefix AS unit_prefix,
       u.suffix AS unit_suffix, TRUE AS derived
FROM c
JOIN g ON g.chip_id = c.chip_id AND g.stage = c.stage AND g.unit = c.unit AND g.companies = c.companies
      AND coalesce(g.measure, '') = coalesce(c.measure, '')
JOIN grades gr ON gr.grade_order = c.grade_order
JOIN bounds b USING (bound)
JOIN units u ON u.unit = g.unit
GROUP BY ALL
ORDER BY g.stage_order, g.chip, g.companies, g.measure NULLS FIRST, gr.grade_order, c.bound;

-- The chip counts an analyst picks a quantity from (the Compute page), at any size: the `n`
-- latest by as-of date (the cells say which days and stages hold them), and always the subject
-- chip's latest (the page's default; the cells name it), in the tables' order.
CREATE MACRO filtered_chip_count_choices(chips := [], companies := [], start_date := NULL,
                                         end_date := NULL, min_grade := NULL, known_on := NULL,
                                         n := 200) AS TABLE
WITH c AS (
    SELECT c.* FROM filtered_figure_cells(chips := chips, companies := companies, start_date := start_date,
                                          end_date := end_date, min_grade := min_grade, known_on := known_on) c
    WHERE c.unit_kind = 'chip_count' AND c.valued > 0
), newer AS (   -- per day and stage, newest first: how many chip counts come before
    SELECT as_of_date, stage, sum(k) OVER (ORDER BY as_of_date DESC, stage DESC ROWS UNBOUNDED PRECEDING) - k AS before
    FROM (SELECT c.as_of_date, c.stage, sum(c.valued) AS k FROM c GROUP BY c.as_of_date, c.stage)
), cut AS (   -- the oldest (day, stage) group holding one of the n latest
    SELECT as_of_date, stage FROM newer WHERE before < n ORDER BY as_of_date, stage LIMIT 1
), k AS (   -- narrow rows of that group and newer ones only (a day compared with a scalar: the
            -- scan itself skips the older days' rows)
    SELECT k.* FROM figure_keys k
    WHERE k.as_of_date >= (SELECT as_of_date FROM cut)
      AND (k.as_of_date > (SELECT as_of_date FROM cut) OR k.stage >= (SELECT stage FROM cut))
      AND k.unit_kind = 'chip_count' AND k.valued
      AND figure_passes(k.chip_id, k.as_of_date, k.grade_order, k.known_from, k.company_ids,
                        chips, companies, start_date, end_date, min_grade, known_on)
), subject AS (   -- the subject chip's latest (latest day, then greatest id), named by the cells
    SELECT arg_max(c.last_valued_id, {'day': c.as_of_date, 'id': c.last_valued_id}) AS figure_id
    FROM c WHERE list_contains(chips_with_role('subject'), c.chip_id)
), picked AS (
    (SELECT k.figure_rowid FROM k ORDER BY k.as_of_date DESC, k.stage DESC, k.figure_id DESC LIMIT n)
    UNION
    SELECT figure_rowid FROM figure_keys WHERE figure_id IN (SELECT figure_id FROM subject)
)   -- the picked rows read back by rowid, in filtered_figures' columns (they passed its filters in k)
SELECT f.* EXCLUDE (company_ids, known_from, figure_rowid) FROM figure_rows f
WHERE f.figure_rowid IN (SELECT figure_rowid FROM picked)
ORDER BY f.as_of_date, f.stage, f.figure_id;

-- How finely the "every report over time" charts can draw the filtered chip counts within
-- `budget` marks: every report ('report') when they are few enough, else one mark per stage,
-- bound and month, quarter or year, the finest that fits (a year can still exceed the budget
-- with very many stages and years; it is the coarsest grain).
CREATE MACRO derived_figure_grain(chips := [], companies := [], start_date := NULL, end_date := NULL,
                                  min_grade := NULL, known_on := NULL, budget := 500) AS TABLE
WITH c AS (
    SELECT c.* FROM filtered_figure_cells(chips := chips, companies := companies, start_date := start_date,
                                          end_date := end_date, min_grade := min_grade, known_on := known_on) c
    WHERE c.unit = 'chips' AND c.valued > 0
), n AS (
    SELECT coalesce(sum(c.valued), 0)::BIGINT AS reports,
           count(DISTINCT (c.stage, c.bound, date_trunc('month', c.as_of_date))) AS month_marks,
           count(DISTINCT (c.stage, c.bound, date_trunc('quarter', c.as_of_date))) AS quarter_marks,
           count(DISTINCT (c.stage, c.bound, date_trunc('year', c.as_of_date))) AS year_marks
    FROM c
)
SELECT reports,
       CASE WHEN reports <= budget THEN 'report' WHEN month_marks <= budget THEN 'month'
            WHEN quarter_marks <= budget THEN 'quarter' ELSE 'year' END AS grain,
       CASE WHEN reports <= budget THEN reports WHEN month_marks <= budget THEN month_marks
            WHEN quarter_marks <= budget THEN quarter_marks ELSE year_marks END AS marks,
       budget AS budget
FROM n;

-- The filtered chip counts binned per stage, bound and period (grain: month, quarter or
-- year): how many reports, the range of their values (a range's high end included), the
-- period they fall in, how many sources and which publishers (the first three by name), how
-- many are shared or revised. Never a sum of values: a bin of lower bounds is a bin of lower
-- bounds, stated by its bound.
CREATE MACRO derived_figure_time_bins(chips := [], companies := [], start_date := NULL, end_date := NULL,
                                      min_grade := NULL, known_on := NULL, grain := 'month') AS TABLE
WITH bins AS (
    SELECT c.stage, c.bound, date_trunc(grain, c.as_of_date)::DATE AS bin_start,
           sum(c.valued)::BIGINT AS reports, min(c.value_min) AS value_min, max(c.value_max) AS value_max,
           min(c.as_of_date) AS first_as_of, max(c.as_of_date) AS last_as_of,
           coalesce(sum(c.valued) FILTER (WHERE c.n_companies > 1), 0)::BIGINT AS shared_reports,
           sum(c.revised_reports)::BIGINT AS revised_reports,
           list(DISTINCT c.chip_id) AS chip_ids, list(DISTINCT c.source_id) AS source_ids,
           list(DISTINCT c.grade_order) AS grade_orders
    FROM filtered_figure_cells(chips := chips, companies := companies, start_date := start_date,
                               end_date := end_date, min_grade := min_grade, known_on := known_on) c
    WHERE c.unit = 'chips' AND c.valued > 0
    GROUP BY c.stage, c.bound, date_trunc(grain, c.as_of_date)
), named AS (
    SELECT b.*,
           (SELECT list(DISTINCT s.publisher ORDER BY s.publisher) FROM source_rows s
            WHERE list_contains(b.source_ids, s.source_id)) AS publisher_list,
           (SELECT string_agg(ch.name, ', ' ORDER BY ch.name) FROM chips ch
            WHERE list_contains(b.chip_ids, ch.chip_id)) AS chips_named,
           (SELECT string_agg(gr.grade, ', ' ORDER BY gr.grade_order) FROM grades gr
            WHERE list_contains(b.grade_orders, gr.grade_order)) AS grades_named
    FROM bins b
)
SELECT n.stage, st.label AS stage_label, st.stage_order, st.colour AS stage_colour, n.bound,
       bd.label AS bound_label, bd.symbol AS bound_symbol, grain AS grain, n.bin_start,
       (n.bin_start + ('1 ' || grain)::INTERVAL - INTERVAL 1 DAY)::DATE AS bin_end,
       n.reports, n.value_min, n.value_max, n.first_as_of, n.last_as_of, n.chips_named AS chips,
       NOT list_has_all(chips_with_role('subject'), n.chip_ids) AS other_chips,
       len(n.source_ids) AS sources,
       array_to_string(list_slice(n.publisher_list, 1, 3), '; ')
           || CASE WHEN len(n.publisher_list) > 3
                   THEN '; and ' || (len(n.publisher_list) - 3)::VARCHAR || ' more' ELSE '' END AS publishers,
       n.grades_named AS grades, n.shared_reports, n.revised_reports, u.unit, u.kind AS unit_kind,
       u.prefix AS unit_prefix, u.suffix AS unit_suffix, TRUE AS derived
FROM named n JOIN stages st USING (stage) JOIN bounds bd USING (bound)
JOIN units u ON u.unit = 'chips'
ORDER BY n.bin_start, st.stage_order, n.bound;

-- Chip metrics reported by more than one source, with the spread and the value ratios use.
CREATE MACRO derived_spec_reports(chips := [], companies := [], start_date := NULL,
                                  end_date := NULL, min_grade := NULL, known_on := NULL) AS TABLE
WITH s AS (
    SELECT sp.*, count(*) OVER w AS reports, max(sp.value) OVER w / min(sp.value) OVER w AS spread,
           row_number() OVER (w ORDER BY (SELECT grade_order FROM grades g WHERE g.grade = sp.grade),
                              sp.spec_id) = 1 AS headline
    FROM filtered_specs(chips := chips, companies := companies, start_date := start_date,
                        end_date := end_date, min_grade := min_grade, known_on := known_on) sp
    WHERE NOT sp.derived
    WINDOW w AS (PARTITION BY sp.chip_id, sp.metric, sp.sparsity)
)
SELECT *, 'best source grade, then first id' AS headline_rule, TRUE AS derived FROM s
WHERE reports > 1 ORDER BY vendor, chip, metric, value;

-- Every spec divided by the reference chip's value (chip_roles 'reference') of the same metric
-- and sparsity. Where the reference chip has several reports, the best-graded, then first
-- spec_id, is the reference and is named (ref_*). of_metric/of_sparsity narrow it.
CREATE MACRO derived_ratio_to_reference(chips := [], companies := [], start_date := NULL,
                                        end_date := NULL, min_grade := NULL, known_on := NULL,
                                        of_metric := NULL, of_sparsity := NULL) AS TABLE
WITH sp AS (
    SELECT * FROM filtered_specs(chips := chips, companies := companies, start_date := start_date,
                                 end_date := end_date, min_grade := min_grade, known_on := known_on)
    WHERE (of_metric IS NULL OR metric = of_metric) AND (of_sparsity IS NULL OR sparsity = of_sparsity)
), ref AS (
    SELECT * EXCLUDE (pick) FROM (
        SELECT metric, sparsity, spec_id AS ref_spec_id, chip AS ref_chip, value AS ref_value,
               bound AS ref_bound, publisher AS ref_publisher,
               row_number() OVER (PARTITION BY metric, sparsity ORDER BY
                   (SELECT grade_order FROM grades g WHERE g.grade = sp.grade), spec_id) AS pick
        FROM sp WHERE is_reference) WHERE pick = 1
)
SELECT sp.*, ref.ref_spec_id, ref.ref_chip, ref.ref_value, ref.ref_bound, ref.ref_publisher,
       sp.value / ref.ref_value AS ratio_to_reference, TRUE AS ratio_is_derived,
       ratio_note(sp.bound, ref.ref_bound) AS ratio_note
FROM sp JOIN ref USING (metric, sparsity)
WHERE ref.ref_value > 0
ORDER BY sp.metric_order, sp.sparsity, ratio_to_reference DESC, sp.spec_id;

CREATE VIEW derived_chip_metrics_vs_reference AS SELECT * FROM derived_ratio_to_reference();

-- How many reference chips one subject chip is worth (chip_roles), by dense FP16/BF16 and by
-- TPP: every subject value against every reference value (conflicting specs give several rows).
CREATE VIEW derived_subject_in_reference_equivalents AS
WITH basis AS (
    SELECT * FROM spec_rows
    WHERE (metric = 'fp16_bf16_tflops' AND sparsity = 'dense') OR metric = 'tpp'
)
SELECT a.metric || CASE WHEN a.sparsity = 'dense' THEN ' (dense)' ELSE '' END AS basis,
       a.chip AS subject_chip, a.spec_id AS subject_spec_id, a.value AS subject_value,
       a.bound AS subject_bound, b.chip AS reference_chip, b.spec_id AS reference_spec_id,
       b.value AS reference_value, b.bound AS reference_bound, a.unit,
       a.value / nullif(b.value, 0) AS reference_equivalents, TRUE AS derived,
       ratio_note(a.bound, b.bound) AS note
FROM basis a JOIN basis b ON a.metric = b.metric AND a.sparsity = b.sparsity
WHERE list_contains(chips_with_role('subject'), a.chip_id)
  AND list_contains(chips_with_role('reference'), b.chip_id)
ORDER BY basis, subject_spec_id, reference_spec_id;

-- Each chip's spec against the export thresholds that limit it (term_metrics.spec_metric), in
-- the rule's unit (spec value × spec_scale, labelled when it converts). below_threshold is
-- strict (<) unless the term is at_most (<=).
CREATE VIEW derived_spec_vs_thresholds AS
SELECT s.chip_id, s.chip, s.spec_id, s.metric AS spec_metric, s.value AS spec_value,
       s.unit AS spec_unit, s.bound AS spec_bound, s.value * tm.spec_scale AS compared_value,
       t.unit AS compared_unit,
       CASE WHEN tm.spec_scale = 1 THEN 'none'
            ELSE 'DERIVED: ' || s.unit || ' x ' || tm.spec_scale::VARCHAR || ' = ' || t.unit END AS conversion,
       t.term_id, t.rule, t.metric AS threshold_metric, t.value AS threshold_value,
       t.unit AS threshold_unit, t.bound AS threshold_bound, t.effective_date,
       CASE WHEN t.bound = 'at_most' THEN s.value * tm.spec_scale <= t.value
            ELSE s.value * tm.spec_scale < t.value END AS below_threshold,
       s.value * tm.spec_scale / nullif(t.value, 0) AS share_of_threshold,
       TRUE AS derived
FROM policy_terms t JOIN term_metrics tm USING (metric)
JOIN spec_rows s ON s.metric = tm.spec_metric AND NOT s.derived
ORDER BY s.chip_id, s.metric, s.spec_id, t.term_id;

-- The subject chip against the reference chip (chip_roles), one ratio per metric and
-- sparsity: the best-graded subject report (then first spec_id) over the reference value
-- derived_ratio_to_reference names. What "about six times" can be measuring.
CREATE MACRO derived_subject_vs_reference(chips := [], companies := [], start_date := NULL,
                                          end_date := NULL, min_grade := NULL, known_on := NULL) AS TABLE
SELECT * EXCLUDE (pick) FROM (
    SELECT r.*, row_number() OVER (PARTITION BY r.metric, r.sparsity ORDER BY
               (SELECT grade_order FROM grades g WHERE g.grade = r.grade), r.spec_id) AS pick
    FROM derived_ratio_to_reference(chips := chips, companies := companies, start_date := start_date,
                                    end_date := end_date, min_grade := min_grade, known_on := known_on) r
    WHERE list_contains(chips_with_role('subject'), r.chip_id)
) WHERE pick = 1
ORDER BY metric_order, sparsity;

-- --- What changed, and what is not known yet (design.md rules 9 and 10) -------------------------
-- The fields of each row revised on the day it was last revised, each with the old value of
-- the last revision that day: what "revised 2026-12-01, was ≥ 75,000" is made of wherever the
-- row is shown (the old value is the log's CSV text).
CREATE VIEW row_revision_notes AS
WITH last_per_field AS (
    SELECT r.table_name, r.row_id, r.field, r.old_value, r.new_value, r.reason, r.revision_id,
           rv.revised_on, rv.revisions
    FROM revisions r JOIN row_revisions rv USING (table_name, row_id)
    WHERE r.action = 'revised' AND r.revised_on = rv.revised_on
    QUALIFY row_number() OVER (PARTITION BY r.table_name, r.row_id, r.field ORDER BY r.revision_id DESC) = 1
)
SELECT table_name, row_id, revised_on, revisions,
       list({'field': field, 'old_value': old_value, 'new_value': new_value, 'reason': reason}
            ORDER BY field) AS changes
FROM last_per_field GROUP BY table_name, row_id, revised_on, revisions;

-- What a curated row is, in the words the pages use, one shape for every table that carries
-- figures or facts (and sources, whose grade can be revised).
CREATE VIEW change_subjects AS
SELECT 'trade_figures' AS table_name, figure_id AS row_id, added_on, stage_label AS what,
       metric AS detail, chip, companies, n_companies, value, value_high, unit, unit_kind,
       unit_prefix, unit_suffix, bound, bound_label, bound_symbol, NULL::VARCHAR AS sparsity,
       as_of_date AS dated, as_of_precision AS date_precision, publisher, grade, url, source_id
FROM figure_rows
UNION ALL BY NAME
SELECT 'chip_specs' AS table_name, spec_id AS row_id, added_on, metric_label AS what, chip, value,
       value_high, unit, bound, bound_label, bound_symbol, sparsity, publisher, grade, url, source_id
FROM spec_rows WHERE NOT derived
UNION ALL BY NAME
SELECT 'reported_ratios' AS table_name, ratio_id AS row_id, added_on,
       chip || ' vs ' || reference_chip AS what, basis AS detail, chip, value, value_high, bound,
       bound_symbol, publisher, grade, url, source_id
FROM filtered_ratios()
UNION ALL BY NAME
SELECT 'policy_terms' AS table_name, term_id AS row_id, added_on, metric_label AS what,
       rule AS detail, value, unit, bound, bound_symbol, effective_date AS dated,
       'day' AS date_precision, publisher, grade, url, source_id
FROM filtered_terms()
UNION ALL BY NAME
SELECT 'events' AS table_name, event_id AS row_id, added_on, title AS what,
       category_label AS detail, companies, date AS dated, date_precision, publisher, grade, url,
       source_id
FROM event_rows
UNION ALL BY NAME
SELECT 'sources' AS table_name, source_id AS row_id, added_on, publisher AS what, title AS detail,
       published_date AS dated, 'day' AS date_precision, publisher, grade, url, source_id
FROM source_rows;

-- Every change to the curated data, one line each: a row's arrival (added_on) in a table that
-- carries figures or facts, and every logged revision or withdrawal, with the row's current
-- words (none for a withdrawn row: the log's old_value and reason say what it was) and the
-- change's own source. The What's new page and the Atom feed (static/feed.xml) read this.
CREATE VIEW change_rows AS
SELECT s.added_on AS changed_on, 'added' AS change, NULL::VARCHAR AS revision_id,
       NULL::VARCHAR AS field, NULL::VARCHAR AS old_value, NULL::VARCHAR AS new_value,
       NULL::VARCHAR AS reason, NULL::VARCHAR AS change_publisher, NULL::VARCHAR AS change_url,
       s.* EXCLUDE (added_on)
FROM change_subjects s WHERE s.table_name <> 'sources'
UNION ALL BY NAME
SELECT r.revised_on AS changed_on, r.action AS change, r.revision_id, r.field, r.old_value,
       r.new_value, r.reason, cs.publisher AS change_publisher, cs.url AS change_url,
       r.table_name, r.row_id, s.* EXCLUDE (table_name, row_id, added_on)
FROM revisions r
LEFT JOIN change_subjects s ON s.table_name = r.table_name AND s.row_id = r.row_id
LEFT JOIN source_rows cs ON cs.source_id = r.source_id;

-- The log's order: newest day first; within a day withdrawals, then revisions, then additions;
-- trade figures first, then policy terms, ratios, specs, events, sources and the rest; then the
-- row and the revision (unique, so a LIMIT always cuts the same rows).
CREATE MACRO change_order(changed_on, change, table_name, row_id, revision_id) AS
    {'day': -epoch(changed_on), 'kind': CASE change WHEN 'withdrawn' THEN 0 WHEN 'revised' THEN 1 ELSE 2 END,
     'table': coalesce(list_position(['trade_figures', 'policy_terms', 'reported_ratios', 'chip_specs',
                                      'events', 'sources'], table_name), 99),
     'name': table_name, 'row': row_id, 'revision': revision_id};

-- --- The change log at any size (issue 10): counted and cut when the database is built --------
-- change_rows' lines without the rows' words, read from the base tables: every row of them is in
-- change_subjects (its joins follow the schema's foreign keys), so these are change_rows' keys
-- (tests/tracker/queries/test_changelog.py checks it).
CREATE VIEW change_keys AS
SELECT added_on AS changed_on, 'added' AS change, 'trade_figures' AS table_name, figure_id AS row_id,
       NULL::VARCHAR AS revision_id
FROM trade_figures
UNION ALL SELECT added_on, 'added', 'chip_specs', spec_id, NULL FROM chip_specs
UNION ALL SELECT added_on, 'added', 'reported_ratios', ratio_id, NULL FROM reported_ratios
UNION ALL SELECT added_on, 'added', 'policy_terms', term_id, NULL FROM policy_terms
UNION ALL SELECT added_on, 'added', 'events', event_id, NULL FROM events
UNION ALL SELECT revised_on, action, table_name, row_id, revision_id FROM revisions;

-- How many changes each day holds, per kind: the counts What's new and the Overview say (a
-- million additions are one number, read from a few hundred rows).
CREATE TABLE change_day_counts AS
SELECT changed_on, change, count(*) AS n FROM change_keys GROUP BY changed_on, change
ORDER BY changed_on DESC, change;

-- How many of the newest changes change_newest keeps.
CREATE MACRO change_newest_kept() AS 1000;

-- The newest change_newest_kept() lines of change_rows, in the log's order, with their words.
-- The newest n changes on or after any date are the newest n overall that fall on or after it
-- (the log is ordered by day first), so What's new lists them from here at any size.
CREATE TABLE change_newest AS
SELECT * FROM change_rows c
ORDER BY change_order(c.changed_on, c.change, c.table_name, c.row_id, c.revision_id)
LIMIT change_newest_kept();

-- The changes on or after since_date (NULL: all), of one row (NULL: every row), the newest
-- max_rows of them (NULL: all), in the log's order (change_order). Up to change_newest_kept()
-- of every row's changes are read from change_newest, the rest from change_rows.
CREATE MACRO changes_since(since_date := NULL, only_row := NULL, max_rows := NULL) AS TABLE
WITH c AS (
    SELECT * FROM change_newest
    WHERE only_row::VARCHAR IS NULL AND max_rows::BIGINT <= change_newest_kept()
    UNION ALL
    SELECT * FROM change_rows
    WHERE NOT coalesce(only_row::VARCHAR IS NULL AND max_rows::BIGINT <= change_newest_kept(), FALSE)
)
SELECT * FROM c
WHERE (since_date::DATE IS NULL OR c.changed_on >= since_date::DATE)
  AND (only_row::VARCHAR IS NULL OR c.row_id = only_row::VARCHAR)
ORDER BY change_order(c.changed_on, c.change, c.table_name, c.row_id, c.revision_id)
LIMIT max_rows;

-- How many changes changes_since holds, per day and kind: the counts the Overview and What's
-- new say, without sending every change row; every row's from change_day_counts.
CREATE MACRO change_counts(since_date := NULL, only_row := NULL) AS TABLE
WITH n AS (
    SELECT changed_on, change, n FROM change_day_counts WHERE only_row::VARCHAR IS NULL
    UNION ALL
    SELECT changed_on, change, 1 AS n FROM change_keys
    WHERE only_row::VARCHAR IS NOT NULL AND row_id = only_row::VARCHAR
)
SELECT changed_on, change, sum(n)::BIGINT AS n FROM n
WHERE since_date::DATE IS NULL OR changed_on >= since_date::DATE
GROUP BY changed_on, change
ORDER BY changed_on DESC, change;

-- How current the data is: the newest report (a figure's publication, else its as-of date; an
-- event's source date, else its date), the latest change, the build, and the default window
-- of What's new (the last 30 days of curation). Read from what the build aggregated (issue 10):
-- the latest change from change_day_counts, the newest figure from figure_cells' known_from.
CREATE VIEW data_currency AS
WITH latest AS (SELECT max(changed_on) AS day FROM change_day_counts)
SELECT greatest((SELECT max(known_from) FROM figure_cells),
                (SELECT max(known_from) FROM event_rows)) AS newest_report,
       (SELECT day FROM latest) AS latest_change,
       (SELECT day FROM latest) - INTERVAL 30 DAY AS default_since,
       (SELECT max(built_at) FROM build_info) AS built_at;

-- Per stage, the latest report the filters let through (NULL: no report of that stage). Read
-- from figure_cells (issue 10: flat at any size): a cell's known_from (publication, else as-of
-- date) is one value, so the latest cell holds the latest report (best_id one of them; ties
-- between cells go to the greatest id, a fixed rule) and its source the publisher.
CREATE MACRO filtered_stage_currency(chips := [], companies := [], start_date := NULL,
                                     end_date := NULL, min_grade := NULL, known_on := NULL) AS TABLE
SELECT st.stage, st.label AS stage_label, st.stage_order, st.in_pipeline,
       coalesce(sum(c.reports), 0)::BIGINT AS reports,
       max(c.known_from) AS latest_report, max(c.as_of_date) AS latest_as_of,
       arg_max(c.best_id, {'known': c.known_from, 'id': c.best_id}) AS latest_figure_id,
       arg_max(s.publisher, {'known': c.known_from, 'id': c.best_id}) AS latest_publisher
FROM stages st
LEFT JOIN filtered_figure_cells(chips := chips, companies := companies, start_date := start_date,
                                end_date := end_date, min_grade := min_grade, known_on := known_on) c
    USING (stage)
LEFT JOIN source_rows s ON s.source_id = c.source_id
GROUP BY st.stage, st.label, st.stage_order, st.in_pipeline
ORDER BY st.stage_order;

-- Reports expected (or overdue) and not yet in the data (data/expected_reports.csv).
CREATE VIEW expected_report_rows AS
SELECT e.report_id, e.what, e.why_it_matters, e.expected_date, e.expected_precision, e.stage,
       st.label AS stage_label, e.would_update, e.notes, e.added_on
FROM expected_reports e LEFT JOIN stages st USING (stage)
ORDER BY e.expected_date, e.report_id;
