-- +goose Up
-- Each model's latest audit is flagged, so the leaderboard's filters, sorts and counts read
-- partial indexes over the latest audits alone instead of joining every model to its audit.
ALTER TABLE audits ADD COLUMN is_latest INTEGER NOT NULL DEFAULT 0;
UPDATE audits SET is_latest = 1 WHERE id IN (SELECT latest_audit FROM models WHERE latest_audit IS NOT NULL);
CREATE INDEX audits_latest_tier ON audits (tier_rank, osai_score) WHERE is_latest = 1;
CREATE INDEX audits_latest_tier_label ON audits (tier) WHERE is_latest = 1;
CREATE INDEX audits_latest_osai ON audits (osai_score) WHERE is_latest = 1;
CREATE INDEX audits_latest_created ON audits (created_at, id) WHERE is_latest = 1;
CREATE INDEX audits_latest_library ON audits (library) WHERE is_latest = 1;
CREATE INDEX models_latest_audit ON models (latest_audit);
-- Covers the check of an audit a licence, finding or restriction filter names, without reading
-- its row (which holds the whole report).
CREATE INDEX audits_id_latest ON audits (id, is_latest, model_id);

-- +goose Down
DROP INDEX audits_id_latest;
DROP INDEX models_latest_audit;
DROP INDEX audits_latest_library;
DROP INDEX audits_latest_created;
DROP INDEX audits_latest_osai;
DROP INDEX audits_latest_tier_label;
DROP INDEX audits_latest_tier;
ALTER TABLE audits DROP COLUMN is_latest;
