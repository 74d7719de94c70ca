package store

import "database/sql"

// SQL returns the database a store keeps its tables in and whether it is PostgreSQL, for the
// packages that keep tables of their own beside the audits (census, ratelimit). It returns nil
// for a Store not made by Open.
func SQL(s Store) (db *sql.DB, postgres bool) {
	ss, ok := s.(*sqlStore)
	if !ok {
		return nil, false
	}
	return ss.db, ss.d.numbered
}

// Rebind turns a query's ? placeholders into PostgreSQL's $1, $2 … for PostgreSQL.
func Rebind(isPostgres bool, q string) string {
	if isPostgres {
		return postgres.rebind(q)
	}
	return q
}
