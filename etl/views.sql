-- Derived numbers: our own arithmetic on sourced rows, never stored in the CSVs (design.md §2.6).
-- Every view name starts with derived_, every row carries derived = TRUE and shows its inputs.

-- The H200 pipeline: one headline figure per stage, with the rule that picked it.
-- Rule (the same as the app's headline cards, tracker/queries.py HEADLINE_RULE): a chip count
-- first, then another number, then none_reported, then rows without a number (a later report
-- without a number never hides a number); then latest as_of_date, then latest published_date
-- (a missing day sorts last), then the better source grade (H > M > L), then the smallest
-- figure_id. The pipeline takes the H200 and Nvidia's "Data Center Hopper" filing category. Other figures at the stage are
-- counted in figures_at_stage so the page can say "1 of N" and list them side by side.
-- The first key of that rule, shared with the app (tracker/queries.py) so the two cannot drift.
CREATE MACRO headline_class(value, unit, bound) AS
    CASE WHEN value IS NOT NULL AND unit IN ('chips', 'modules') THEN 0
         WHEN value IS NOT NULL THEN 1
         WHEN bound = 'none_reported' THEN 2 ELSE 3 END;

CREATE VIEW derived_pipeline_latest AS
WITH ranked AS (
    SELECT f.*, s.publisher, s.url, s.grade,
           row_number() OVER (
               PARTITION BY f.stage
               ORDER BY headline_class(f.value, f.unit, f.bound),
                        f.as_of_date DESC, f.published_date DESC NULLS LAST,
                        CASE s.grade WHEN 'H' THEN 1 WHEN 'M' THEN 2 ELSE 3 END, f.figure_id
           ) AS pick,
           count(*) OVER (PARTITION BY f.stage) AS figures_at_stage
    FROM trade_figures f JOIN sources s USING (source_id)
    WHERE f.chip_id IN ('h200', 'hopper_dc')
)
SELECT r.stage,
       list_position(['interest', 'ordered', 'inventory', 'cn_approved', 'us_licensed', 'us_cap',
                      'planned_shipment', 'shipped', 'delivered', 'price', 'revenue',
                      'inventory_charge'], r.stage) AS stage_order,
       r.figure_id, r.metric, r.value, r.value_high, r.unit, r.bound,
       r.as_of_date, r.as_of_precision, r.published_date,
       r.source_id, r.publisher, r.url, r.grade,
       coalesce((SELECT list(fc.company_id ORDER BY fc.company_id)
                 FROM figure_companies fc WHERE fc.figure_id = r.figure_id),
                []::VARCHAR[]) AS company_ids,
       r.figures_at_stage,
       'numbers first, then none_reported, then unquantified; latest as_of_date, then latest '
           || 'published_date, then grade H>M>L, then figure_id; '
           || r.figures_at_stage::VARCHAR || ' figure(s) at this stage' AS selection_rule,
       TRUE AS derived
FROM ranked r
WHERE r.pick = 1
ORDER BY stage_order;

-- Every spec divided by the H20's value for the same metric. The H20 input is the H20 spec of
-- the same metric with the same sparsity if there is one, else any; ties by spec_id. h20_choice
-- says whether there was a choice. A ratio involving a bounded input has no bound.
CREATE VIEW derived_chip_metrics_vs_h20 AS
WITH h20 AS (
    SELECT spec_id, metric, value, bound, sparsity, unit FROM chip_specs WHERE chip_id = 'h20'
), pairs AS (
    SELECT s.chip_id, s.metric, s.sparsity, s.spec_id, s.value, s.unit, s.bound,
           h.spec_id AS h20_spec_id, h.value AS h20_value, h.bound AS h20_bound,
           h.sparsity AS h20_sparsity,
           count(*) OVER (PARTITION BY s.spec_id) AS h20_candidates,
           row_number() OVER (PARTITION BY s.spec_id
                              ORDER BY (h.sparsity = s.sparsity) DESC, h.spec_id) AS pick
    FROM chip_specs s JOIN h20 h ON h.metric = s.metric
)
SELECT chip_id, metric, sparsity, spec_id, value, unit, bound,
       h20_spec_id, h20_value, h20_bound, h20_sparsity, h20_candidates,
       CASE WHEN h20_candidates = 1 THEN 'only H20 value for this metric'
            ELSE 'first of ' || h20_candidates::VARCHAR
                 || ' H20 values by spec_id (same sparsity preferred): ' || h20_spec_id
       END AS h20_choice,
       value / nullif(h20_value, 0) AS ratio_to_h20,
       TRUE AS derived,
       nullif(concat_ws('; ',
           CASE WHEN bound = 'exact' AND h20_bound = 'exact' THEN NULL
                WHEN bound IN ('exact', 'about') AND h20_bound IN ('exact', 'about')
                    THEN 'ratio of approximate values: approximate'
                ELSE 'ratio of bounded values: no bound (' || bound || ' / ' || h20_bound || ')'
           END,
           CASE WHEN sparsity <> h20_sparsity
                THEN 'sparsity differs: ' || sparsity || ' vs H20 ' || h20_sparsity END
       ), '') AS note
FROM pairs
WHERE pick = 1
ORDER BY chip_id, metric, sparsity, spec_id;

-- The H200's compute specs, taken from the H100's: no H200 compute figure is sourced, but
-- Baseten (s_baseten) reports "the same compute as an H100". Each H100 compute row gives one
-- H200 row; its source is the H100 row's, its basis Baseten's. Memory, bandwidth and power
-- differ between the two chips and are never carried over.
CREATE VIEW derived_h200_compute_from_h100 AS
SELECT 'derived_h200_from_' || sp.spec_id AS spec_id, 'h200' AS chip_id, sp.metric, sp.value,
       sp.value_high, sp.unit, sp.bound, sp.sparsity, sp.source_id, sp.quote,
       'DERIVED: H100 value ' || sp.spec_id || ' applied to the H200; basis '
           || b.source_id || ': "' || 'The H200 GPU has the same compute as an H100 GPU' || '"' AS notes,
       b.source_id AS basis_source_id, sp.spec_id AS input_spec_id, TRUE AS derived
FROM chip_specs sp
JOIN sources b ON b.source_id = 's_baseten'
WHERE sp.chip_id = 'h100'
  AND sp.metric IN ('fp16_bf16_tflops', 'fp8_tflops', 'int8_tops', 'tf32_tflops', 'fp32_tflops');

-- How many H20s one H200 is worth, by dense FP16/BF16 TFLOPS and by TPP: every H200 value
-- against every H20 value (conflicting specs give several rows, none is picked).
CREATE VIEW derived_h200_h20_equivalents AS
WITH basis AS (
    SELECT spec_id, chip_id, metric, value, bound, unit, sparsity FROM chip_specs
    UNION ALL  -- the H200's dense BF16 is only known through the H100 (see above)
    SELECT spec_id, chip_id, metric, value, bound, unit, sparsity FROM derived_h200_compute_from_h100
), basis_used AS (
    SELECT * FROM basis
    WHERE (metric = 'fp16_bf16_tflops' AND sparsity = 'dense') OR metric = 'tpp'
)
SELECT CASE a.metric WHEN 'tpp' THEN 'tpp' ELSE 'dense fp16_bf16_tflops' END AS basis,
       a.spec_id AS h200_spec_id, a.value AS h200_value, a.bound AS h200_bound,
       b.spec_id AS h20_spec_id, b.value AS h20_value, b.bound AS h20_bound,
       a.unit,
       a.value / nullif(b.value, 0) AS h20_equivalents,
       TRUE AS derived,
       CASE WHEN a.bound = 'exact' AND b.bound = 'exact' THEN NULL
            WHEN a.bound IN ('exact', 'about') AND b.bound IN ('exact', 'about')
                THEN 'ratio of approximate values: approximate'
            ELSE 'ratio of bounded values: no bound (' || a.bound || ' / ' || b.bound || ')'
       END AS note
FROM basis_used a JOIN basis_used b ON a.metric = b.metric
WHERE a.chip_id = 'h200' AND b.chip_id = 'h20'
ORDER BY basis, h200_spec_id, h20_spec_id;

-- Each chip's TPP and memory bandwidth against the export thresholds in policy_terms.
-- Bandwidth specs are TB/s, the rule is in GB/s: converted here (x 1000) and labelled.
-- below_threshold is strict (<) for less_than terms, <= for at_most, else <.
CREATE VIEW derived_spec_vs_thresholds AS
WITH specs AS (
    SELECT chip_id, spec_id, metric AS spec_metric, value AS spec_value, unit AS spec_unit,
           bound AS spec_bound, value AS compared_value, 'TPP' AS compared_unit,
           'none' AS conversion, 'tpp' AS term_metric
    FROM chip_specs WHERE metric = 'tpp'
    UNION ALL
    SELECT chip_id, spec_id, metric, value, unit, bound, value * 1000, 'GB/s',
           'DERIVED: TB/s x 1000 = GB/s', 'memory_bandwidth_gbs'
    FROM chip_specs WHERE metric = 'memory_bandwidth_tbs'
)
SELECT s.chip_id, s.spec_id, s.spec_metric, s.spec_value, s.spec_unit, s.spec_bound,
       s.compared_value, s.compared_unit, s.conversion,
       t.term_id, t.rule, t.metric AS threshold_metric, t.value AS threshold_value,
       t.unit AS threshold_unit, t.bound AS threshold_bound, t.effective_date,
       CASE WHEN t.bound = 'at_most' THEN s.compared_value <= t.value
            ELSE s.compared_value < t.value END AS below_threshold,
       s.compared_value / nullif(t.value, 0) AS share_of_threshold,
       TRUE AS derived
FROM specs s JOIN policy_terms t ON t.metric = s.term_metric
ORDER BY s.chip_id, s.spec_metric, s.spec_id, t.term_id;
