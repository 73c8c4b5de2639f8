-- The one schema of the tracker database. Curated CSVs under data/ load into these tables
-- (one CSV per table, same column names in the same order). The ETL validates every row
-- with located messages before loading; the constraints here are the second line of defence.
--
-- Vocabularies (grades, stages, bounds, units, categories, metrics) and chip roles are
-- reference data: tables loaded first from data/, which the curated tables point at with
-- foreign keys. Their order, labels and colours live there and nowhere else. Which vocabulary
-- terms a table may use (a spec cannot be "none_reported") is a flag on the term, checked by
-- the ETL (etl/tables.py refs with a `where` flag). Formats: docs/data-format.md.
-- Every curated row carries added_on: the day it entered the dataset (design.md rule 9).

-- --- Reference data --------------------------------------------------------------------------
CREATE TABLE grades (
    grade        VARCHAR PRIMARY KEY,
    grade_order  INTEGER NOT NULL UNIQUE,   -- 1 = most reliable
    label        VARCHAR NOT NULL,
    filter_label VARCHAR NOT NULL,          -- the minimum-grade filter's option text
    added_on     DATE NOT NULL
);

CREATE TABLE stages (
    stage         VARCHAR PRIMARY KEY,
    stage_order   INTEGER NOT NULL UNIQUE,  -- from demand to delivery
    label         VARCHAR NOT NULL,
    colour        VARCHAR NOT NULL CHECK (regexp_matches(colour, '^#[0-9a-f]{6}$')),
    in_pipeline   BOOLEAN NOT NULL,         -- a step of the pipeline chart
    headline_card BOOLEAN NOT NULL,         -- a card on the Overview
    definition    VARCHAR NOT NULL,
    added_on      DATE NOT NULL
);

CREATE TABLE bounds (
    bound        VARCHAR PRIMARY KEY,
    bound_order  INTEGER NOT NULL UNIQUE,
    label        VARCHAR NOT NULL,
    symbol       VARCHAR,                   -- drawn before the number: ≈ ≥ ≤ <
    source_words VARCHAR NOT NULL,          -- the wording that gives this bound
    shown_as     VARCHAR NOT NULL,
    has_value    BOOLEAN NOT NULL,          -- false: no number (none reported, not quantified)
    in_figures   BOOLEAN NOT NULL,
    in_specs     BOOLEAN NOT NULL,          -- specs and reported ratios
    in_terms     BOOLEAN NOT NULL,
    added_on     DATE NOT NULL
);

CREATE TABLE units (
    unit       VARCHAR PRIMARY KEY,
    label      VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL CHECK (kind IN (
        'chip_count', 'module_count', 'firm_count', 'share', 'money', 'spec')),
    prefix     VARCHAR,                     -- written before the number ($)
    suffix     VARCHAR,                     -- written after it (" chips", "%")
    in_figures BOOLEAN NOT NULL,
    in_specs   BOOLEAN NOT NULL,
    in_terms   BOOLEAN NOT NULL,
    added_on   DATE NOT NULL
);

CREATE TABLE categories (
    category VARCHAR PRIMARY KEY,
    label    VARCHAR NOT NULL,
    colour   VARCHAR NOT NULL CHECK (regexp_matches(colour, '^#[0-9a-f]{6}$')),
    added_on DATE NOT NULL
);

CREATE TABLE spec_metrics (
    metric        VARCHAR PRIMARY KEY,
    metric_order  INTEGER NOT NULL UNIQUE,
    label         VARCHAR NOT NULL,
    unit          VARCHAR NOT NULL REFERENCES units (unit),
    sparsity_rule VARCHAR NOT NULL CHECK (sparsity_rule IN ('throughput', 'none', 'any')),
    added_on      DATE NOT NULL
);

CREATE TABLE term_metrics (
    metric      VARCHAR PRIMARY KEY,
    label       VARCHAR NOT NULL,
    unit        VARCHAR NOT NULL REFERENCES units (unit),
    spec_metric VARCHAR REFERENCES spec_metrics (metric),  -- the chip spec this term limits
    spec_scale  DOUBLE CHECK (spec_scale > 0),             -- spec value x scale = term unit
    added_on    DATE NOT NULL,
    CHECK ((spec_metric IS NULL) = (spec_scale IS NULL))
);

-- --- Curated tables ----------------------------------------------------------------------------
-- The tables that grow with the reports (trade_figures, figure_companies, chip_specs, events,
-- event_companies) declare no PRIMARY KEY or REFERENCES: at millions of rows an index and a
-- lookup per inserted row cost more than the rest of the build. Their keys and references are
-- the same as the other tables' (etl/tables.py), checked set-based by the ETL before the load
-- (etl/sqlcheck.py) and asserted again after it (etl/build.py check()).
-- A source is one document. `read` says whether we read it ourselves; a document read
-- second-hand (a digest quoting the FT) is a read row whose `relays` names the original, an
-- unread row. Figures cite read rows only; a reading row's grade is never above its original's.
CREATE TABLE sources (
    source_id      VARCHAR PRIMARY KEY,
    publisher      VARCHAR NOT NULL,
    title          VARCHAR NOT NULL,
    url            VARCHAR CHECK (regexp_matches(url, '^https?://')),
    published_date DATE,                      -- NULL: the source gives no day (see notes)
    grade          VARCHAR NOT NULL REFERENCES grades (grade),
    relays         VARCHAR,                   -- the original this text quotes (a sources row)
    "read"         BOOLEAN NOT NULL,
    notes          VARCHAR,
    added_on       DATE NOT NULL,
    CHECK (NOT "read" OR url IS NOT NULL)
);

CREATE TABLE companies (
    company_id VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL,
    country    VARCHAR NOT NULL,
    role       VARCHAR NOT NULL
        CHECK (role IN ('buyer', 'vendor', 'distributor', 'foundry', 'supplier')),
    added_on   DATE NOT NULL
);

CREATE TABLE chips (
    chip_id      VARCHAR PRIMARY KEY,
    vendor       VARCHAR NOT NULL REFERENCES companies (company_id),
    name         VARCHAR NOT NULL,
    architecture VARCHAR NOT NULL,
    released     VARCHAR,                     -- YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn; NULL if unknown
    notes        VARCHAR,
    added_on     DATE NOT NULL
);

-- Which chip the tracker follows (subject), which one ratios divide by (reference), and which
-- chips' figures make the pipeline. The app reads roles; no chip id is written in code.
CREATE TABLE chip_roles (
    role     VARCHAR NOT NULL CHECK (role IN ('subject', 'reference', 'pipeline')),
    chip_id  VARCHAR NOT NULL REFERENCES chips (chip_id),
    notes    VARCHAR,
    added_on DATE NOT NULL,
    PRIMARY KEY (role, chip_id)
);

CREATE TABLE trade_figures (
    figure_id      VARCHAR NOT NULL,
    chip_id        VARCHAR NOT NULL,
    stage          VARCHAR NOT NULL,
    metric         VARCHAR NOT NULL,          -- short human label of what was counted
    measure        VARCHAR CHECK (regexp_matches(measure, '^[a-z0-9_]+$')),
                                              -- optional id telling apart different quantities of
                                              -- one stage (per-customer vs total cap); see data-format
    value          DOUBLE CHECK (value >= 0),
    value_high     DOUBLE CHECK (value_high >= 0),
    unit           VARCHAR NOT NULL,
    bound          VARCHAR NOT NULL,
    as_of_date     DATE NOT NULL,             -- first day of the period when not a day
    as_of_precision VARCHAR NOT NULL CHECK (as_of_precision IN ('day', 'approx_day', 'month', 'quarter', 'year')),
    published_date DATE,
    source_id      VARCHAR NOT NULL,
    quote          VARCHAR NOT NULL,
    notes          VARCHAR,
    added_on       DATE NOT NULL,
    CHECK ((bound = 'range') = (value_high IS NOT NULL)),
    CHECK (value_high IS NULL OR value_high >= value)
);

-- The parties of a figure. Several rows for one figure = a combined figure, never split.
CREATE TABLE figure_companies (
    figure_id  VARCHAR NOT NULL,
    company_id VARCHAR NOT NULL,
    added_on   DATE NOT NULL
);

CREATE TABLE chip_specs (
    spec_id    VARCHAR NOT NULL,
    chip_id    VARCHAR NOT NULL,
    metric     VARCHAR NOT NULL,
    value      DOUBLE NOT NULL CHECK (value >= 0),
    value_high DOUBLE CHECK (value_high >= value),
    unit       VARCHAR NOT NULL,
    bound      VARCHAR NOT NULL,
    sparsity   VARCHAR NOT NULL CHECK (sparsity IN ('dense', 'sparse', 'not_stated', 'n/a')),
    source_id  VARCHAR NOT NULL,
    quote      VARCHAR NOT NULL,
    notes      VARCHAR,
    added_on   DATE NOT NULL,
    CHECK ((bound = 'range') = (value_high IS NOT NULL))
);

-- A spec of one chip known only through another's ("the same compute as an H100"): each row
-- says which chip's value of which metric applies, on whose word. The derived_* views make
-- the DERIVED spec rows; nothing derived is stored.
CREATE TABLE spec_derivations (
    derivation_id VARCHAR PRIMARY KEY,
    chip_id       VARCHAR NOT NULL REFERENCES chips (chip_id),
    from_chip_id  VARCHAR NOT NULL REFERENCES chips (chip_id),
    metric        VARCHAR NOT NULL REFERENCES spec_metrics (metric),
    source_id     VARCHAR NOT NULL REFERENCES sources (source_id),
    quote         VARCHAR NOT NULL,
    notes         VARCHAR,
    added_on      DATE NOT NULL,
    CHECK (chip_id <> from_chip_id)
);

-- A ratio the source states itself ("roughly six times the performance of the H20"). Our own
-- ratios are never stored: they live in the derived_* views.
CREATE TABLE reported_ratios (
    ratio_id          VARCHAR PRIMARY KEY,
    chip_id           VARCHAR NOT NULL REFERENCES chips (chip_id),
    reference_chip_id VARCHAR NOT NULL REFERENCES chips (chip_id),
    basis             VARCHAR NOT NULL,  -- a spec_metrics metric, or not_stated (checked by the ETL)
    value             DOUBLE NOT NULL CHECK (value > 0),
    value_high        DOUBLE CHECK (value_high >= value),
    bound             VARCHAR NOT NULL REFERENCES bounds (bound),
    source_id         VARCHAR NOT NULL REFERENCES sources (source_id),
    quote             VARCHAR NOT NULL,
    notes             VARCHAR,
    added_on          DATE NOT NULL,
    CHECK (chip_id <> reference_chip_id),
    CHECK ((bound = 'range') = (value_high IS NOT NULL))
);

CREATE TABLE events (
    event_id       VARCHAR NOT NULL,
    date           DATE NOT NULL,             -- first day of the period when not a day
    date_precision VARCHAR NOT NULL CHECK (date_precision IN ('day', 'approx_day', 'month', 'quarter', 'year')),
    category       VARCHAR NOT NULL,
    title          VARCHAR NOT NULL,
    description    VARCHAR,
    source_id      VARCHAR NOT NULL,
    added_on       DATE NOT NULL
);

CREATE TABLE event_companies (
    event_id   VARCHAR NOT NULL,
    company_id VARCHAR NOT NULL,
    added_on   DATE NOT NULL
);

CREATE TABLE policy_terms (
    term_id        VARCHAR PRIMARY KEY,
    rule           VARCHAR NOT NULL,          -- the measure, e.g. 'BIS rule of 2026-01-13'
    metric         VARCHAR NOT NULL REFERENCES term_metrics (metric),
    value          DOUBLE NOT NULL CHECK (value >= 0),
    unit           VARCHAR NOT NULL REFERENCES units (unit),
    bound          VARCHAR NOT NULL REFERENCES bounds (bound),
    effective_date DATE,
    source_id      VARCHAR NOT NULL REFERENCES sources (source_id),
    quote          VARCHAR NOT NULL,
    notes          VARCHAR,
    added_on       DATE NOT NULL
);

-- --- Currency: what changed, and what is known to be missing ---------------------------------
-- One change to a curated row: a field revised (old and new value as CSV text) or a row
-- withdrawn (removed from its CSV, kept here). The ETL checks every change against this log.
CREATE TABLE revisions (
    revision_id VARCHAR PRIMARY KEY,
    revised_on  DATE NOT NULL,
    action      VARCHAR NOT NULL CHECK (action IN ('revised', 'withdrawn')),
    table_name  VARCHAR NOT NULL,
    row_id      VARCHAR NOT NULL,
    field       VARCHAR,                   -- NULL when a whole row is withdrawn
    old_value   VARCHAR,
    new_value   VARCHAR,
    reason      VARCHAR NOT NULL,
    source_id   VARCHAR REFERENCES sources (source_id)
);

-- A report that is expected (or overdue) and not yet in the data.
CREATE TABLE expected_reports (
    report_id          VARCHAR PRIMARY KEY,
    what               VARCHAR NOT NULL,
    why_it_matters     VARCHAR NOT NULL,
    expected_date      DATE NOT NULL,       -- first day of the period when not a day
    expected_precision VARCHAR NOT NULL CHECK (expected_precision IN ('day', 'approx_day', 'month', 'quarter', 'year')),
    stage              VARCHAR REFERENCES stages (stage),
    would_update       VARCHAR NOT NULL,
    notes              VARCHAR,
    added_on           DATE NOT NULL
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
