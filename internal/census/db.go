package census

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/glassbox-dev/glassbox/internal/census/report"
	"github.com/glassbox-dev/glassbox/internal/source/hub"
	"github.com/glassbox-dev/glassbox/internal/store"
)

// Census states.
const (
	StateListing  = "listing"  // listing pages are being read (audits run meanwhile)
	StateAuditing = "auditing" // every page is read; audits remain
	StateFinished = "finished"
)

// Model statuses in a census.
const (
	statusListed     = "listed" // waiting for its audit
	statusAudited    = "audited"
	statusUnreadable = "unreadable"
)

// Census is one census: a listing query and the round it is in.
type Census struct {
	ID       int64
	Params   Params
	Round    int
	State    string
	Cursor   string
	Started  time.Time
	Finished time.Time
}

// Progress is what a census has done so far, in its current round.
type Progress struct {
	State string `json:"state"`
	Round int    `json:"round"`
	// Listed models, of which Audited and Unreadable are done and Pending wait.
	Listed     int `json:"listed"`
	Audited    int `json:"audited"`
	Unreadable int `json:"unreadable"`
	Pending    int `json:"pending"`
	Pages      int `json:"pages"`
	// Requests sent to the Hub; blob and lineage hits are reads saved by dedupe.
	Requests       int64     `json:"requests"`
	BlobHits       int64     `json:"blob_hits"`
	BlobMisses     int64     `json:"blob_misses"`
	LineageHits    int64     `json:"lineage_hits"`
	LineageFetches int64     `json:"lineage_fetches"`
	Started        time.Time `json:"started"`
	Finished       time.Time `json:"finished,omitzero"`
	// Error says why the listing stopped early ("" when it did not).
	Error string `json:"error,omitempty"`
}

// Done is how many models are audited or unreadable.
func (p Progress) Done() int { return p.Audited + p.Unreadable }

// RequestsPerModel is the Hub requests spent per model done.
func (p Progress) RequestsPerModel() float64 {
	if p.Done() == 0 {
		return 0
	}
	return float64(p.Requests) / float64(p.Done())
}

// db keeps a census's tables, in the store's database.
type db struct {
	sql *sql.DB
	pg  bool
}

func newDB(st store.Store) (*db, error) {
	s, pg := store.SQL(st)
	if s == nil {
		return nil, errors.New("census: the store is not a database store")
	}
	return &db{sql: s, pg: pg}, nil
}

func (d *db) q(query string) string { return store.Rebind(d.pg, query) }

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// begin finds the census of p, starting it when new, or a new round when the last one finished;
// fresh says whether its listing starts from the first page.
func (d *db) begin(ctx context.Context, p Params, now time.Time) (c *Census, fresh bool, err error) {
	params, _ := json.Marshal(p)
	_, err = d.sql.ExecContext(ctx, d.q(`INSERT INTO censuses (key, params, round, state, started_at) VALUES (?, ?, 1, ?, ?)
		ON CONFLICT (key) DO NOTHING`), p.Key(), string(params), StateListing, ms(now))
	if err != nil {
		return nil, false, fmt.Errorf("census: %v", err)
	}
	c, err = d.byKey(ctx, p.Key())
	if err != nil {
		return nil, false, err
	}
	if c.State == StateFinished {
		if _, err := d.sql.ExecContext(ctx, d.q(`UPDATE censuses SET round = round + 1, state = ?, cursor = '', pages = 0,
			started_at = ?, finished_at = 0, error = '', requests = 0, blob_hits = 0, blob_misses = 0, lineage_hits = 0, lineage_fetches = 0
			WHERE id = ? AND state = ?`), StateListing, ms(now), c.ID, StateFinished); err != nil {
			return nil, false, fmt.Errorf("census: %v", err)
		}
		c, err = d.byKey(ctx, p.Key())
		return c, true, err
	}
	return c, c.Cursor == "" && c.State == StateListing, nil
}

const censusColumns = `id, params, round, state, cursor, started_at, finished_at`

func scanCensus(row interface{ Scan(...any) error }) (*Census, error) {
	var c Census
	var params string
	var started, finished int64
	if err := row.Scan(&c.ID, &params, &c.Round, &c.State, &c.Cursor, &started, &finished); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(params), &c.Params); err != nil {
		return nil, fmt.Errorf("census %d: params: %v", c.ID, err)
	}
	c.Started, c.Finished = fromMS(started), fromMS(finished)
	return &c, nil
}

func (d *db) byKey(ctx context.Context, key string) (*Census, error) {
	c, err := scanCensus(d.sql.QueryRowContext(ctx, d.q(`SELECT `+censusColumns+` FROM censuses WHERE key = ?`), key))
	if err != nil {
		return nil, fmt.Errorf("census: %v", err)
	}
	return c, nil
}

// byID reads a census; ErrNoCensus when there is none.
func (d *db) byID(ctx context.Context, id int64) (*Census, error) {
	c, err := scanCensus(d.sql.QueryRowContext(ctx, d.q(`SELECT `+censusColumns+` FROM censuses WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoCensus
	}
	return c, err
}

// latest is the census started last.
func (d *db) latest(ctx context.Context) (*Census, error) {
	c, err := scanCensus(d.sql.QueryRowContext(ctx, `SELECT `+censusColumns+` FROM censuses ORDER BY started_at DESC, id DESC LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoCensus
	}
	return c, err
}

// listed records one listing page's entries: each repository's entry (shared by every census,
// and by the children naming it as a base), and each model in this round. It returns the
// models that need an audit: new ones and those whose sha moved since their last audit.
func (d *db) listed(ctx context.Context, c *Census, entries []hub.ListEntry, now time.Time) ([]hub.ListEntry, error) {
	tx, err := d.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var todo []hub.ListEntry
	for _, e := range entries {
		if _, err := tx.ExecContext(ctx, d.q(`INSERT INTO census_repos (repo, sha, entry, fetched_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (repo) DO UPDATE SET sha = excluded.sha, entry = excluded.entry, fetched_at = excluded.fetched_at`),
			repoKey(e.ID), e.SHA, string(e.Raw), ms(now)); err != nil {
			return nil, err
		}
		var audited string
		err := tx.QueryRowContext(ctx, d.q(`SELECT audited_sha FROM census_models WHERE census_id = ? AND model = ?`), c.ID, e.ID).Scan(&audited)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, d.q(`INSERT INTO census_models (census_id, model, sha, seen_round, status) VALUES (?, ?, ?, ?, ?)`),
				c.ID, e.ID, e.SHA, c.Round, statusListed)
			todo = append(todo, e)
		case err != nil:
		case audited == e.SHA:
			_, err = tx.ExecContext(ctx, d.q(`UPDATE census_models SET seen_round = ? WHERE census_id = ? AND model = ?`), c.Round, c.ID, e.ID)
		default:
			_, err = tx.ExecContext(ctx, d.q(`UPDATE census_models SET sha = ?, seen_round = ?, status = ? WHERE census_id = ? AND model = ?`),
				e.SHA, c.Round, statusListed, c.ID, e.ID)
			todo = append(todo, e)
		}
		if err != nil {
			return nil, err
		}
	}
	return todo, tx.Commit()
}

// pageRead moves the census's cursor past a page (next "" when it was the last, which ends the
// listing). A page read again after a crash may move the cursor back a page: it is only where a
// resumed listing starts when River no longer holds the page jobs, and a page read twice costs a
// request, never an audit.
func (d *db) pageRead(ctx context.Context, c *Census, next string, requests int64) error {
	_, err := d.sql.ExecContext(ctx, d.q(`UPDATE censuses SET cursor = ?, pages = pages + 1, requests = requests + ?,
		state = CASE WHEN ? = '' AND state = ? THEN ? ELSE state END WHERE id = ? AND round = ?`),
		next, requests, next, StateListing, StateAuditing, c.ID, c.Round)
	return err
}

// repoKey is how census_repos names a repository: the Hub's ids are case-insensitive, and a
// card may name its base in another case than the listing.
func repoKey(id string) string { return strings.ToLower(id) }

// listingFailed ends a census's listing early, saying why.
func (d *db) listingFailed(ctx context.Context, c *Census, why string, requests int64) error {
	_, err := d.sql.ExecContext(ctx, d.q(`UPDATE censuses SET error = ?, requests = requests + ?,
		state = CASE WHEN state = ? THEN ? ELSE state END WHERE id = ? AND round = ?`),
		why, requests, StateListing, StateAuditing, c.ID, c.Round)
	return err
}

// entry is a repository's stored listing entry or info answer.
func (d *db) entry(ctx context.Context, repo string) (json.RawMessage, bool, error) {
	var s string
	err := d.sql.QueryRowContext(ctx, d.q(`SELECT entry FROM census_repos WHERE repo = ?`), repoKey(repo)).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return json.RawMessage(s), true, nil
}

// remember stores a repository's info answer fetched for a child's lineage.
func (d *db) remember(ctx context.Context, repo, sha string, raw json.RawMessage, now time.Time) error {
	_, err := d.sql.ExecContext(ctx, d.q(`INSERT INTO census_repos (repo, sha, entry, fetched_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (repo) DO NOTHING`), repoKey(repo), sha, string(raw), ms(now))
	return err
}

// modelState is a census model's status and the sha it was last audited at.
func (d *db) modelState(ctx context.Context, id int64, model string) (status, audited string, err error) {
	err = d.sql.QueryRowContext(ctx, d.q(`SELECT status, audited_sha FROM census_models WHERE census_id = ? AND model = ?`), id, model).Scan(&status, &audited)
	return status, audited, err
}

// done records a model's outcome at sha (audited, or unreadable with the row saying why) and
// what it cost.
func (d *db) done(ctx context.Context, id int64, r report.Row, cost counters) error {
	row, err := json.Marshal(r)
	if err != nil {
		return err
	}
	tx, err := d.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, d.q(`UPDATE census_models SET status = ?, audited_sha = ?, audit_id = ?, error = ?, row = ?, requests = ?
		WHERE census_id = ? AND model = ? AND sha = ?`), r.Status, r.SHA, r.AuditID, r.Error, string(row), cost.requests, id, r.ID, r.SHA)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tx.Commit() // listed again at another sha meanwhile: that audit will record it
	}
	if err := d.count(ctx, tx, id, cost); err != nil {
		return err
	}
	return tx.Commit()
}

// counters are what one job cost and saved.
type counters struct {
	requests, blobHits, blobMisses, lineageHits, lineageFetches int64
}

func (d *db) count(ctx context.Context, tx *sql.Tx, id int64, c counters) error {
	_, err := tx.ExecContext(ctx, d.q(`UPDATE censuses SET requests = requests + ?, blob_hits = blob_hits + ?, blob_misses = blob_misses + ?,
		lineage_hits = lineage_hits + ?, lineage_fetches = lineage_fetches + ? WHERE id = ?`),
		c.requests, c.blobHits, c.blobMisses, c.lineageHits, c.lineageFetches, id)
	return err
}

// progress counts a census's current round.
func (d *db) progress(ctx context.Context, c *Census) (Progress, error) {
	p := Progress{Round: c.Round}
	var started, finished int64
	err := d.sql.QueryRowContext(ctx, d.q(`SELECT state, pages, requests, blob_hits, blob_misses, lineage_hits, lineage_fetches, started_at, finished_at, error
		FROM censuses WHERE id = ?`), c.ID).Scan(&p.State, &p.Pages, &p.Requests, &p.BlobHits, &p.BlobMisses, &p.LineageHits, &p.LineageFetches, &started, &finished, &p.Error)
	if err != nil {
		return p, fmt.Errorf("census: %v", err)
	}
	p.Started, p.Finished = fromMS(started), fromMS(finished)
	rows, err := d.sql.QueryContext(ctx, d.q(`SELECT status, COUNT(*) FROM census_models WHERE census_id = ? AND seen_round = ? GROUP BY status`), c.ID, c.Round)
	if err != nil {
		return p, fmt.Errorf("census: %v", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return p, err
		}
		p.Listed += n
		switch s {
		case statusAudited:
			p.Audited = n
		case statusUnreadable:
			p.Unreadable = n
		default:
			p.Pending += n
		}
	}
	return p, rows.Err()
}

// finish marks a census finished once every page is read and no audit remains.
func (d *db) finish(ctx context.Context, c *Census, p Progress, now time.Time) (bool, error) {
	if p.State != StateAuditing || p.Pending > 0 {
		return p.State == StateFinished, nil
	}
	_, err := d.sql.ExecContext(ctx, d.q(`UPDATE censuses SET state = ?, finished_at = ? WHERE id = ? AND round = ? AND state = ?`),
		StateFinished, ms(now), c.ID, c.Round, StateAuditing)
	return err == nil, err
}

// rows streams the rows of a census's current round, by model id.
func (d *db) rows(ctx context.Context, c *Census) iter.Seq2[report.Row, error] {
	return func(yield func(report.Row, error) bool) {
		rows, err := d.sql.QueryContext(ctx, d.q(`SELECT row FROM census_models WHERE census_id = ? AND seen_round = ? AND row <> '' ORDER BY model`), c.ID, c.Round)
		if err != nil {
			yield(report.Row{}, err)
			return
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			var r report.Row
			err := rows.Scan(&s)
			if err == nil {
				err = json.Unmarshal([]byte(s), &r)
			}
			if !yield(r, err) || err != nil {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(report.Row{}, err)
		}
	}
}

// seen counts the models listed so far in a census's round (where a resumed listing starts).
func (d *db) seen(ctx context.Context, c *Census) (int, error) {
	var n int
	err := d.sql.QueryRowContext(ctx, d.q(`SELECT COUNT(*) FROM census_models WHERE census_id = ? AND seen_round = ?`), c.ID, c.Round).Scan(&n)
	return n, err
}
