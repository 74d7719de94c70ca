package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
)

// dialect is what differs between SQLite and PostgreSQL.
type dialect struct {
	name  string // migrations folder
	goose goose.Dialect
	// numbered placeholders ($1) rather than ?.
	numbered bool
	// textTime stores times as RFC 3339 text (SQLite) rather than timestamps.
	textTime bool
	// lockRow is appended to the SELECT of the model row a save updates, so concurrent saves of
	// one model take turns (SQLite's immediate transactions already do).
	lockRow string
}

var (
	sqlite   = dialect{name: "sqlite", goose: goose.DialectSQLite3, textTime: true}
	postgres = dialect{name: "postgres", goose: goose.DialectPostgres, numbered: true, lockRow: " FOR UPDATE"}
)

// rebind turns ? placeholders into $1, $2 … for PostgreSQL.
func (d dialect) rebind(q string) string {
	if !d.numbered {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (d dialect) time(t time.Time) any {
	t = t.UTC()
	if d.textTime {
		return t.Format(time.RFC3339Nano)
	}
	return t
}

// scanTime reads a time column written by time.
func scanTime(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t.UTC(), nil
	case string:
		return time.Parse(time.RFC3339Nano, t)
	case []byte:
		return time.Parse(time.RFC3339Nano, string(t))
	}
	return time.Time{}, fmt.Errorf("store: unexpected time value %T", v)
}

type sqlStore struct {
	db *sql.DB
	d  dialect
}

func (s *sqlStore) Close() error { return s.db.Close() }

func (s *sqlStore) exec(ctx context.Context, tx *sql.Tx, q string, args ...any) error {
	_, err := tx.ExecContext(ctx, s.d.rebind(q), args...)
	return err
}

// newID returns 24 random hex digits.
func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Save implements Store.
func (s *sqlStore) Save(ctx context.Context, a *Audit) (string, error) {
	if a.Model.Org == "" || a.Model.Name == "" {
		return "", errors.New("store: an audit needs a model ORG/NAME")
	}
	idx, target, rev, err := Extract(a.Report)
	if err != nil {
		return "", err
	}
	a.Index = idx
	if a.Target == "" {
		a.Target = target
	}
	if a.Revision == "" {
		a.Revision = rev
	}
	if a.Created.IsZero() {
		a.Created = time.Now()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	id, err := s.save(ctx, tx, a)
	if err != nil {
		return "", fmt.Errorf("store: saving %s: %v", a.Model, err)
	}
	return id, tx.Commit()
}

// save writes the audit inside tx, or returns the id of the same audit stored before.
func (s *sqlStore) save(ctx context.Context, tx *sql.Tx, a *Audit) (string, error) {
	if err := s.exec(ctx, tx, `INSERT INTO models (org, name) VALUES (?, ?) ON CONFLICT (org, name) DO NOTHING`, a.Model.Org, a.Model.Name); err != nil {
		return "", err
	}
	var modelID int64
	var latest sql.NullString
	if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT id, latest_audit FROM models WHERE org = ? AND name = ?`+s.d.lockRow), a.Model.Org, a.Model.Name).Scan(&modelID, &latest); err != nil {
		return "", err
	}
	var existing string
	err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT id FROM audits WHERE model_id = ? AND revision = ? AND glassbox_version = ?`), modelID, a.Revision, a.Version).Scan(&existing)
	if err == nil {
		a.ID = existing
		return existing, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	a.ID = newID()
	x := a.Index
	if err := s.exec(ctx, tx, `INSERT INTO audits (id, model_id, target, revision, glassbox_version, created_at, tier, tier_rank, mof_class, osaid, osai_score, euaiact, weights_license, weights_open, library, report, snapshot)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, modelID, a.Target, a.Revision, a.Version, s.d.time(a.Created), x.Tier, x.TierRank, x.MOFClass, x.OSAID, x.OSAIScore, x.EUAIAct, x.WeightsLicense, x.WeightsOpen, x.Library, string(a.Report), string(a.Snapshot)); err != nil {
		return "", err
	}
	task := []string{}
	if x.Task != "" {
		task = []string{x.Task}
	}
	for kind, values := range map[string][]string{"license": x.Licenses, "restriction": x.Restrictions, "finding": x.Findings, "family": x.Families, "task": task} {
		for _, v := range values {
			if err := s.exec(ctx, tx, `INSERT INTO audit_terms (audit_id, kind, value) VALUES (?, ?, ?)`, a.ID, kind, v); err != nil {
				return "", err
			}
		}
	}
	if latest.Valid {
		var created any
		if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT created_at FROM audits WHERE id = ?`), latest.String).Scan(&created); err != nil {
			return "", err
		}
		prev, err := scanTime(created)
		if err != nil {
			return "", err
		}
		if prev.After(a.Created) {
			return a.ID, nil // an older audit arrived late: it joins the history only
		}
	}
	if latest.Valid {
		if err := s.exec(ctx, tx, `UPDATE audits SET is_latest = 0 WHERE id = ?`, latest.String); err != nil {
			return "", err
		}
	}
	if err := s.exec(ctx, tx, `UPDATE audits SET is_latest = 1 WHERE id = ?`, a.ID); err != nil {
		return "", err
	}
	return a.ID, s.exec(ctx, tx, `UPDATE models SET latest_audit = ? WHERE id = ?`, a.ID, modelID)
}

// auditColumns are the columns scanAudit reads, audits aliased a and models m.
const auditColumns = `a.id, m.org, m.name, a.target, a.revision, a.glassbox_version, a.created_at, a.tier, a.tier_rank, a.mof_class, a.osaid, a.osai_score, a.euaiact, a.weights_license, a.weights_open, a.library`

type scanner interface{ Scan(dest ...any) error }

func scanAudit(row scanner, withReport bool) (*Audit, error) {
	var a Audit
	var created any
	var report string
	dest := []any{&a.ID, &a.Model.Org, &a.Model.Name, &a.Target, &a.Revision, &a.Version, &created,
		&a.Index.Tier, &a.Index.TierRank, &a.Index.MOFClass, &a.Index.OSAID, &a.Index.OSAIScore, &a.Index.EUAIAct,
		&a.Index.WeightsLicense, &a.Index.WeightsOpen, &a.Index.Library}
	if withReport {
		dest = append(dest, &report)
	}
	if err := row.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	t, err := scanTime(created)
	if err != nil {
		return nil, err
	}
	a.Created = t
	if withReport {
		a.Report = []byte(report)
	}
	return &a, nil
}

func (s *sqlStore) one(ctx context.Context, where string, args ...any) (*Audit, error) {
	q := `SELECT ` + auditColumns + `, a.report FROM audits a JOIN models m ON m.id = a.model_id WHERE ` + where
	return scanAudit(s.db.QueryRowContext(ctx, s.d.rebind(q), args...), true)
}

// Latest implements Store.
func (s *sqlStore) Latest(ctx context.Context, m Model) (*Audit, error) {
	return s.one(ctx, `a.id = (SELECT latest_audit FROM models WHERE org = ? AND name = ?)`, m.Org, m.Name)
}

// AtRevision implements Store.
func (s *sqlStore) AtRevision(ctx context.Context, m Model, revision string) (*Audit, error) {
	return s.one(ctx, `m.org = ? AND m.name = ? AND a.revision = ? ORDER BY a.created_at DESC, a.id LIMIT 1`, m.Org, m.Name, revision)
}

// Get implements Store.
func (s *sqlStore) Get(ctx context.Context, id string) (*Audit, error) {
	return s.one(ctx, `a.id = ?`, id)
}

// History implements Store.
func (s *sqlStore) History(ctx context.Context, m Model) ([]Audit, error) {
	q := `SELECT ` + auditColumns + ` FROM audits a JOIN models m ON m.id = a.model_id WHERE m.org = ? AND m.name = ? ORDER BY a.created_at DESC, a.id`
	rows, err := s.db.QueryContext(ctx, s.d.rebind(q), m.Org, m.Name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Audit
	for rows.Next() {
		a, err := scanAudit(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

// hashToken is the stored form of a token.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateToken implements Store.
func (s *sqlStore) CreateToken(ctx context.Context) (string, error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := "gbx_" + hex.EncodeToString(b[:])
	_, err := s.db.ExecContext(ctx, s.d.rebind(`INSERT INTO tokens (hash, created_at) VALUES (?, ?)`), hashToken(token), s.d.time(time.Now()))
	if err != nil {
		return "", fmt.Errorf("store: creating a token: %v", err)
	}
	return token, nil
}

// CheckToken implements Store.
func (s *sqlStore) CheckToken(ctx context.Context, token string) (bool, error) {
	if !strings.HasPrefix(token, "gbx_") {
		return false, nil
	}
	var n int
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT COUNT(*) FROM tokens WHERE hash = ?`), hashToken(token)).Scan(&n)
	return n > 0, err
}

// Snapshot implements Store.
func (s *sqlStore) Snapshot(ctx context.Context, id string) ([]byte, error) {
	var snap string
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT snapshot FROM audits WHERE id = ?`), id).Scan(&snap)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, ErrNotFound
	case err != nil:
		return nil, err
	case snap == "":
		return nil, ErrNoSnapshot
	}
	return []byte(snap), nil
}
