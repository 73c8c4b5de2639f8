-- The one schema of the tracker database. Curated CSVs under data/ load into these tables
-- (one CSV per table, same column names in the same order). The ETL validates every row
-- with located messages before loading; the constraints here are the second line of defence.
-- Vocabularies are documented in docs/data-format.md; keep the two in step.

CREATE TABLE sources (
    source_id      VARCHAR PRIMARY KEY,
    publisher      VARCHAR NOT NULL,
    title          VARCHAR NOT NULL,
    url            VARCHAR NOT NULL CHECK (regexp_matches(url, '^https?://')),
    published_date DATE,                      -- NULL: the source gives no day (see notes)
    grade          VARCHAR NOT NULL CHECK (grade IN ('H', 'M', 'L')),
    via            VARCHAR,                   -- e.g. Reuters, when the text is syndicated
    notes          VARCHAR
);

CREATE TABLE companies (
    company_id VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL,
    country    VARCHAR NOT NULL,
    role       VARCHAR NOT NULL
        CHECK (role IN ('buyer', 'vendor', 'distributor', 'foundry', 'supplier'))
);

CREATE TABLE chips (
    chip_id      VARCHAR PRIMARY KEY,
    vendor       VARCHAR NOT NULL REFERENCES companies (company_id),
    name         VARCHAR NOT NULL,
    architecture VARCHAR NOT NULL,
    released     VARCHAR,                     -- YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn; NULL if unknown
    notes        VARCHAR
);

CREATE TABLE trade_figures (
    figure_id      VARCHAR PRIMARY KEY,
    chip_id        VARCHAR NOT NULL REFERENCES chips (chip_id),
    stage          VARCHAR NOT NULL CHECK (stage IN (
        'interest', 'ordered', 'inventory', 'cn_approved', 'us_licensed', 'us_cap',
        'planned_shipment', 'shipped', 'delivered', 'price', 'revenue', 'inventory_charge')),
    metric         VARCHAR NOT NULL,          -- short human label of what was counted
    measure        VARCHAR CHECK (regexp_matches(measure, '^[a-z0-9_]+$')),
                                              -- optional id telling apart different quantities of
                                              -- one stage (per-customer vs total cap); see data-format
    value          DOUBLE CHECK (value >= 0),
    value_high     DOUBLE CHECK (value_high >= 0),
    unit           VARCHAR NOT NULL CHECK (unit IN (
        'chips', 'modules', 'usd', 'cny', 'usd_per_chip', 'cny_per_module', 'firms', 'percent')),
    bound          VARCHAR NOT NULL CHECK (bound IN (
        'exact', 'about', 'at_least', 'at_most', 'range', 'none_reported', 'not_quantified')),
    as_of_date     DATE NOT NULL,             -- first day of the period when not a day
    as_of_precision VARCHAR NOT NULL CHECK (as_of_precision IN ('day', 'approx_day', 'month', 'quarter', 'year')),
    published_date DATE,
    source_id      VARCHAR NOT NULL REFERENCES sources (source_id),
    quote          VARCHAR NOT NULL,
    notes          VARCHAR,
    -- a quantity unless the source reports none or gives no number
    CHECK ((bound IN ('none_reported', 'not_quantified')) = (value IS NULL)),
    CHECK ((bound = 'range') = (value_high IS NOT NULL)),
    CHECK (value_high IS NULL OR value_high >= value)
);

-- The parties of a figure. Several rows for one figure = a combined figure, never split.
CREATE TABLE figure_companies (
    figure_id  VARCHAR NOT NULL REFERENCES trade_figures (figure_id),
    company_id VARCHAR NOT NULL REFERENCES companies (company_id),
    PRIMARY KEY (figure_id, company_id)
);

CREATE TABLE chip_specs (
    spec_id    VARCHAR PRIMARY KEY,
    chip_id    VARCHAR NOT NULL REFERENCES chips (chip_id),
    metric     VARCHAR NOT NULL CHECK (metric IN (
        'fp16_bf16_tflops', 'fp8_tflops', 'fp4_tflops', 'int8_tops', 'tf32_tflops',
        'fp32_tflops', 'memory_gb', 'memory_bandwidth_tbs', 'interconnect_gbs', 'tdp_w', 'tpp')),
    value      DOUBLE NOT NULL CHECK (value >= 0),
    value_high DOUBLE CHECK (value_high >= value),
    unit       VARCHAR NOT NULL CHECK (unit IN ('TFLOPS', 'TOPS', 'GB', 'TB/s', 'GB/s', 'W', 'TPP')),
    bound      VARCHAR NOT NULL CHECK (bound IN ('exact', 'about', 'at_least', 'at_most', 'range')),
    sparsity   VARCHAR NOT NULL CHECK (sparsity IN ('dense', 'sparse', 'not_stated', 'n/a')),
    source_id  VARCHAR NOT NULL REFERENCES sources (source_id),
    quote      VARCHAR NOT NULL,
    notes      VARCHAR,
    CHECK ((bound = 'range') = (value_high IS NOT NULL))
);

-- A ratio the source states itself ("roughly six times the performance of the H20"). Our own
-- ratios are never stored: they live in the derived_* views.
CREATE TABLE reported_ratios (
    ratio_id          VARCHAR PRIMARY KEY,
    chip_id           VARCHAR NOT NULL REFERENCES chips (chip_id),
    reference_chip_id VARCHAR NOT NULL REFERENCES chips (chip_id),
    basis             VARCHAR NOT NULL CHECK (basis IN (
        'fp16_bf16_tflops', 'fp8_tflops', 'fp4_tflops', 'int8_tops', 'tf32_tflops',
        'fp32_tflops', 'memory_gb', 'memory_bandwidth_tbs', 'interconnect_gbs', 'tdp_w', 'tpp',
        'not_stated')),                 -- the metric the source names, or not_stated
    value             DOUBLE NOT NULL CHECK (value > 0),
    value_high        DOUBLE CHECK (value_high >= value),
    bound             VARCHAR NOT NULL CHECK (bound IN ('exact', 'about', 'at_least', 'at_most', 'range')),
    source_id         VARCHAR NOT NULL REFERENCES sources (source_id),
    quote             VARCHAR NOT NULL,
    notes             VARCHAR,
    CHECK (chip_id <> reference_chip_id),
    CHECK ((bound = 'range') = (value_high IS NOT NULL))
);

CREATE TABLE events (
    event_id       VARCHAR PRIMARY KEY,
    date           DATE NOT NULL,             -- first day of the period when not a day
    date_precision VARCHAR NOT NULL CHECK (date_precision IN ('day', 'approx_day', 'month', 'quarter', 'year')),
    category       VARCHAR NOT NULL CHECK (category IN ('us_policy', 'cn_policy', 'company', 'diplomacy', 'market')),
    title          VARCHAR NOT NULL,
    description    VARCHAR,
    source_id      VARCHAR NOT NULL REFERENCES sources (source_id)
);

CREATE TABLE event_companies (
    event_id   VARCHAR NOT NULL REFERENCES events (event_id),
    company_id VARCHAR NOT NULL REFERENCES companies (company_id),
    PRIMARY KEY (event_id, company_id)
);

CREATE TABLE policy_terms (
    term_id        VARCHAR PRIMARY KEY,
    rule           VARCHAR NOT NULL,          -- the measure, e.g. 'BIS rule of 2026-01-13'
    metric         VARCHAR NOT NULL CHECK (metric IN (
        'tpp', 'memory_bandwidth_gbs', 'volume_share_of_us', 'duty', 'revenue_share',
        'per_customer_cap', 'total_cap')),
    value          DOUBLE NOT NULL CHECK (value >= 0),
    unit           VARCHAR NOT NULL CHECK (unit IN ('TPP', 'GB/s', 'percent', 'chips')),
    bound          VARCHAR NOT NULL CHECK (bound IN ('exact', 'about', 'at_least', 'at_most', 'less_than')),
    effective_date DATE,
    source_id      VARCHAR NOT NULL REFERENCES sources (source_id),
    quote          VARCHAR NOT NULL,
    notes          VARCHAR
);

-- One row per input file of the build that made this database.
CREATE TABLE build_info (
    build_id   VARCHAR NOT NULL,
    built_at   TIMESTAMPTZ NOT NULL,
    table_name VARCHAR PRIMARY KEY,
    file_name  VARCHAR NOT NULL,
    sha256     VARCHAR NOT NULL CHECK (length(sha256) = 64),
    row_count  BIGINT NOT NULL CHECK (row_count >= 0)
);
