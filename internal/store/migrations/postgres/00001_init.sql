-- +goose Up
CREATE TABLE models (
    id BIGSERIAL PRIMARY KEY,
    org TEXT NOT NULL,
    name TEXT NOT NULL,
    latest_audit TEXT,
    UNIQUE (org, name)
);

CREATE TABLE audits (
    id TEXT PRIMARY KEY,
    model_id BIGINT NOT NULL REFERENCES models (id),
    target TEXT NOT NULL,
    revision TEXT NOT NULL,
    glassbox_version TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    tier TEXT NOT NULL,
    tier_rank INTEGER NOT NULL,
    mof_class INTEGER NOT NULL,
    osaid TEXT NOT NULL,
    osai_score DOUBLE PRECISION NOT NULL,
    euaiact TEXT NOT NULL,
    weights_license TEXT NOT NULL,
    weights_open BOOLEAN NOT NULL,
    library TEXT NOT NULL,
    report TEXT NOT NULL,
    UNIQUE (model_id, revision, glassbox_version)
);
CREATE INDEX audits_model_created ON audits (model_id, created_at);
CREATE INDEX audits_tier ON audits (tier_rank);

CREATE TABLE audit_terms (
    audit_id TEXT NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (audit_id, kind, value)
);
CREATE INDEX audit_terms_value ON audit_terms (kind, value);

CREATE TABLE tokens (
    hash TEXT PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE tokens;
DROP TABLE audit_terms;
DROP TABLE audits;
DROP TABLE models;
