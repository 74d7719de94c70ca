-- +goose Up
-- The release snapshot an audit was made from (what glassbox read), so the report can be given
-- again in other forms (Markdown, HTML, CycloneDX, SPDX) without reading the release again.
ALTER TABLE audits ADD COLUMN snapshot TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE audits DROP COLUMN snapshot;
