-- +goose Up
-- A census: the audit of every model a Hub listing returns. One row per distinct query (key);
-- each re-run of the same query is a new round that only re-audits models whose sha changed.
CREATE TABLE censuses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    params TEXT NOT NULL,
    round INTEGER NOT NULL DEFAULT 1,
    state TEXT NOT NULL,
    started_at BIGINT NOT NULL, -- unix milliseconds, as every time here
    finished_at BIGINT NOT NULL DEFAULT 0,
    listed INTEGER NOT NULL DEFAULT 0,
    -- cursor is the listing page to read next (empty: the first); pages counts those read.
    cursor TEXT NOT NULL DEFAULT '',
    -- error says why the listing ended early (a page the Hub refused for good), '' when it did not.
    error TEXT NOT NULL DEFAULT '',
    pages INTEGER NOT NULL DEFAULT 0,
    -- What the census cost and saved: Hub requests, files found already read (by blob id) or
    -- read, base models and datasets found already known or fetched.
    requests BIGINT NOT NULL DEFAULT 0,
    blob_hits BIGINT NOT NULL DEFAULT 0,
    blob_misses BIGINT NOT NULL DEFAULT 0,
    lineage_hits BIGINT NOT NULL DEFAULT 0,
    lineage_fetches BIGINT NOT NULL DEFAULT 0
);

-- One model of a census: its listing's sha, the round it was last seen in, what its audit
-- concluded (the report row as JSON) or why it could not be audited.
CREATE TABLE census_models (
    census_id INTEGER NOT NULL REFERENCES censuses (id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    sha TEXT NOT NULL,
    seen_round INTEGER NOT NULL,
    status TEXT NOT NULL,
    audited_sha TEXT NOT NULL DEFAULT '',
    audit_id TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    row TEXT NOT NULL DEFAULT '',
    requests INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (census_id, model)
);
CREATE INDEX census_models_status ON census_models (census_id, seen_round, status);

-- Listing entries and info answers of repositories (models and datasets), shared by every census
-- and every worker: a model's own metadata, and the base models and datasets its children name.
CREATE TABLE census_repos (
    repo TEXT PRIMARY KEY,
    sha TEXT NOT NULL,
    entry TEXT NOT NULL,
    fetched_at BIGINT NOT NULL
);

-- Files read once per blob id (git oid or LFS sha256) across all models: cards, licence texts,
-- weights headers.
CREATE TABLE census_blobs (
    key TEXT PRIMARY KEY,
    data BLOB NOT NULL
);

-- Rate-limit buckets shared by every process of a census (ratelimit.SQL).
CREATE TABLE rate_buckets (
    name TEXT PRIMARY KEY,
    window_end BIGINT NOT NULL,
    used INTEGER NOT NULL,
    lim INTEGER NOT NULL
);

-- +goose Down
DROP TABLE rate_buckets;
DROP TABLE census_blobs;
DROP TABLE census_repos;
DROP TABLE census_models;
DROP TABLE censuses;
