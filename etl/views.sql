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
       coalesce(tf.published_date, tf.as_of_date) AS known_from
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
SELECT * EXCLUDE (company_ids, known_from) FROM figure_rows f  -- grade_order kept: legends sort by it
WHERE (len(chips::VARCHAR[]) = 0 OR list_contains(chips::VARCHAR[], f.chip_id))
  AND (start_date::DATE IS NULL OR f.as_of_date >= start_date::DATE)
  AND (end_date::DATE IS NULL OR f.as_of_date <= end_date::DATE)
  AND f.grade_order <= grade_limit(min_grade)
  AND (known_on::DATE IS NULL OR f.known_from <= known_on::DATE)
  AND (len(companies::VARCHAR[]) = 0 OR list_has_any(f.company_ids, companies::VARCHAR[]));

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

CREATE MACRO filtered_sources(chips := [], companies := [], start_date := NULL, end_date := NULL,
                              min_grade := NULL, known_on := NULL) AS TABLE
SELECT s.source_id, s.publisher, s.title, s.grade, s.published_date, s.relays,
       s."read", s.url, s.original_publisher, s.original_url, s.original_date,
       (SELECT count(*) FROM trade_figures t WHERE t.source_id = s.source_id) AS figures,
       (SELECT count(*) FROM chip_specs c WHERE c.source_id = s.source_id) AS specs,
       (SELECT count(*) FROM events e WHERE e.source_id = s.source_id) AS events,
       (SELECT count(*) FROM policy_terms p WHERE p.source_id = s.source_id) AS terms,
       s.notes, s.added_on
FROM source_rows s
WHERE s.grade_order <= grade_limit(min_grade)
ORDER BY s.grade_order, s.publisher, s.source_id;

-- --- Derived numbers ------------------------------------------------------------------------------
-- The pipeline: per pipeline stage (stages.in_pipeline) of the pipeline chips (chip_roles),
-- the headline figure by headline_key, with how many reports the filters let through.
CREATE MACRO derived_pipeline(chips := [], companies := [], start_date := NULL, end_date := NULL,
                              min_grade := NULL, known_on := NULL) AS TABLE
WITH ranked AS (
    SELECT f.*, count(*) OVER (PARTITION BY f.stage) AS reports,
           -- the other reports of the headline's own quantity (as derived_figure_reports
           -- groups them): where they disagree, the card says so instead of hiding it
           count(f.value) OVER same AS same_reports, min(f.value) OVER same AS same_low,
           max(coalesce(f.value_high, f.value)) OVER same AS same_high,
           row_number() OVER (PARTITION BY f.stage ORDER BY headline_key(
               f.value, f.unit_kind, f.bound, f.as_of_date, f.published_date,
               (SELECT grade_order FROM grades g WHERE g.grade = f.grade), f.figure_id)) AS pick
    FROM filtered_figures(chips := chips, companies := companies, start_date := start_date,
                          end_date := end_date, min_grade := min_grade, known_on := known_on) f
    JOIN stages st USING (stage)
    WHERE st.in_pipeline AND list_contains(chips_with_role('pipeline'), f.chip_id)
    WINDOW same AS (PARTITION BY f.chip_id, f.stage, f.unit, f.companies, coalesce(f.measure, ''))
)
SELECT * EXCLUDE (pick), headline_rule() AS headline_rule, TRUE AS derived
FROM ranked WHERE pick = 1 ORDER BY stage_order;

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

-- The changes on or after since_date (NULL: all), of one row (NULL: every row), newest first:
-- withdrawals, then revisions, then additions within a day; trade figures first, then policy
-- terms, ratios, specs, events, sources and the rest.
CREATE MACRO changes_since(since_date := NULL, only_row := NULL) AS TABLE
SELECT * FROM change_rows c
WHERE (since_date::DATE IS NULL OR c.changed_on >= since_date::DATE)
  AND (only_row::VARCHAR IS NULL OR c.row_id = only_row::VARCHAR)
ORDER BY c.changed_on DESC, CASE c.change WHEN 'withdrawn' THEN 0 WHEN 'revised' THEN 1 ELSE 2 END,
         coalesce(list_position(['trade_figures', 'policy_terms', 'reported_ratios', 'chip_specs',
                                 'events', 'sources'], c.table_name), 99),
         c.table_name, c.row_id, c.revision_id;

-- How current the data is: the newest report (a figure's publication, else its as-of date; an
-- event's source date, else its date), the latest change, the build, and the default window
-- of What's new (the last 30 days of curation).
CREATE VIEW data_currency AS
SELECT greatest((SELECT max(coalesce(published_date, as_of_date)) FROM trade_figures),
                (SELECT max(known_from) FROM event_rows)) AS newest_report,
       (SELECT max(changed_on) FROM change_rows) AS latest_change,
       (SELECT max(changed_on) FROM change_rows) - INTERVAL 30 DAY AS default_since,
       (SELECT max(built_at) FROM build_info) AS built_at;

-- Per stage, the latest report the filters let through (NULL: no report of that stage).
CREATE MACRO filtered_stage_currency(chips := [], companies := [], start_date := NULL,
                                     end_date := NULL, min_grade := NULL, known_on := NULL) AS TABLE
SELECT st.stage, st.label AS stage_label, st.stage_order, st.in_pipeline, count(f.figure_id) AS reports,
       max(coalesce(f.published_date, f.as_of_date)) AS latest_report, max(f.as_of_date) AS latest_as_of,
       arg_max(f.figure_id, coalesce(f.published_date, f.as_of_date)) AS latest_figure_id,
       arg_max(f.publisher, coalesce(f.published_date, f.as_of_date)) AS latest_publisher
FROM stages st
LEFT JOIN filtered_figures(chips := chips, companies := companies, start_date := start_date,
                           end_date := end_date, min_grade := min_grade, known_on := known_on) f
    USING (stage)
GROUP BY st.stage, st.label, st.stage_order, st.in_pipeline
ORDER BY st.stage_order;

-- Reports expected (or overdue) and not yet in the data (data/expected_reports.csv).
CREATE VIEW expected_report_rows AS
SELECT e.report_id, e.what, e.why_it_matters, e.expected_date, e.expected_precision, e.stage,
       st.label AS stage_label, e.would_update, e.notes, e.added_on
FROM expected_reports e LEFT JOIN stages st USING (stage)
ORDER BY e.expected_date, e.report_id;
