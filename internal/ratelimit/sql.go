package ratelimit

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// sqlStore keeps the buckets in the rate_buckets table of the census database.
type sqlStore struct {
	db *sql.DB
	q  queries
}

// queries are the statements of one dialect.
type queries struct {
	ensure, lock, update string
}

// The statements, with ? placeholders for SQLite and $n for PostgreSQL. SQLite needs no row
// lock: the store opens its transactions with BEGIN IMMEDIATE, which holds the write lock.
var (
	sqliteQueries = queries{
		ensure: `INSERT INTO rate_buckets (name, window_end, used, lim) VALUES (?, 0, 0, ?) ON CONFLICT (name) DO NOTHING`,
		lock:   `SELECT window_end, used, lim FROM rate_buckets WHERE name = ?`,
		update: `UPDATE rate_buckets SET window_end = ?, used = ?, lim = ? WHERE name = ?`,
	}
	postgresQueries = queries{
		ensure: `INSERT INTO rate_buckets (name, window_end, used, lim) VALUES ($1, 0, 0, $2) ON CONFLICT (name) DO NOTHING`,
		lock:   `SELECT window_end, used, lim FROM rate_buckets WHERE name = $1 FOR UPDATE`,
		update: `UPDATE rate_buckets SET window_end = $1, used = $2, lim = $3 WHERE name = $4`,
	}
)

// NewSQL returns a Store in db's rate_buckets table (made by the store's migration 00004),
// shared by every process using the same database. Each call is one transaction that
// creates the bucket's row if missing, then reads it locked (SELECT … FOR UPDATE on
// PostgreSQL; the whole database on SQLite, whose transactions the store begins IMMEDIATE)
// and writes it back, so concurrent processes never grant the same token twice.
func NewSQL(db *sql.DB, postgres bool) Store {
	if postgres {
		return &sqlStore{db, postgresQueries}
	}
	return &sqlStore{db, sqliteQueries}
}

// Take implements Store.
func (s *sqlStore) Take(ctx context.Context, name string, n, lim int, w time.Duration, now time.Time) (int, time.Time, error) {
	if err := checkArgs(name, lim, w); err != nil {
		return 0, time.Time{}, err
	}
	var granted int
	r, err := s.update(ctx, name, lim, func(r row) row {
		r, granted = r.take(n, lim, w, now)
		return r
	})
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("ratelimit: taking from bucket %s: %w", name, err)
	}
	return granted, time.UnixMilli(r.end), nil
}

// Observe implements Store.
func (s *sqlStore) Observe(ctx context.Context, name string, remaining int, end time.Time, lim int) error {
	if err := checkArgs(name, lim, time.Second); err != nil {
		return err
	}
	_, err := s.update(ctx, name, lim, func(r row) row { return r.observe(remaining, end, lim) })
	if err != nil {
		return fmt.Errorf("ratelimit: recording the server's count of bucket %s: %w", name, err)
	}
	return nil
}

// update applies f to the bucket's row in one transaction and returns the row written.
func (s *sqlStore) update(ctx context.Context, name string, lim int, f func(row) row) (row, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return row{}, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, s.q.ensure, name, lim); err != nil {
		return row{}, err
	}
	var r row
	if err := tx.QueryRowContext(ctx, s.q.lock, name).Scan(&r.end, &r.used, &r.lim); err != nil {
		return row{}, err
	}
	r = f(r)
	if _, err := tx.ExecContext(ctx, s.q.update, r.end, r.used, r.lim, name); err != nil {
		return row{}, err
	}
	return r, tx.Commit()
}
