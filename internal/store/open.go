package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

//go:embed migrations
var migrations embed.FS

// DataDir is where the default SQLite store lives: $GLASSBOX_DATA_DIR, else
// $XDG_DATA_HOME/glassbox, else ~/.local/share/glassbox.
func DataDir() string {
	if d := os.Getenv("GLASSBOX_DATA_DIR"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "glassbox")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "glassbox")
	}
	return filepath.Join(home, ".local", "share", "glassbox")
}

// IsPostgres reports whether a DSN names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the store a DSN names and brings its schema up to date: postgres:// or
// postgresql:// for PostgreSQL; sqlite:PATH or a file path for SQLite; "" for the default
// SQLite file, glassbox.db under DataDir.
func Open(ctx context.Context, dsn string) (Store, error) {
	if IsPostgres(dsn) {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("store: %v", redact(err, dsn))
		}
		return open(ctx, db, postgres, redactDSN(dsn))
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if path == "" {
		path = filepath.Join(DataDir(), "glassbox.db")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: %v", err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: %s: %v", path, err)
	}
	return open(ctx, db, sqlite, path)
}

// open checks the connection and migrates.
func open(ctx context.Context, db *sql.DB, d dialect, where string) (Store, error) {
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: cannot reach %s: %v", where, redact(err, where))
	}
	sub, err := fs.Sub(migrations, "migrations/"+d.name)
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := migrate(ctx, db, d, sub); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: migrating %s: %v", where, redact(err, where))
	}
	if d.name == sqlite.name {
		if err := analyze(ctx, db); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: analysing %s: %v", where, err)
		}
	}
	// A bounded pool keeps memory and the database's connections bounded under load: each
	// SQLite connection has its own page cache, and PostgreSQL refuses clients past
	// max_connections. Requests beyond it wait for a connection.
	conns := max(4, 2*runtime.GOMAXPROCS(0))
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	return &sqlStore{db: db, d: d}, nil
}

// migrate brings the schema up to date, safely when several processes start at once (serve,
// workers and a census on one database): PostgreSQL's migrations run under a session advisory
// lock; SQLite has none, so a run that lost the race to another process (which created the
// tables first) is tried again, and finds them applied.
func migrate(ctx context.Context, db *sql.DB, d dialect, sub fs.FS) error {
	var opts []goose.ProviderOption
	if d.numbered {
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(d.goose, db, sub, opts...)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		_, err = p.Up(ctx)
		if err == nil || d.numbered || attempt == 4 {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt+1) * 200 * time.Millisecond):
		}
	}
}

// redactDSN drops the password of a DSN, for messages.
func redactDSN(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return dsn
	}
	userinfo := dsn[scheme+3 : at]
	if i := strings.Index(userinfo, ":"); i >= 0 {
		userinfo = userinfo[:i] + ":xxxxx"
	}
	return dsn[:scheme+3] + userinfo + dsn[at:]
}

// redact removes a DSN's password from an error's text.
func redact(err error, dsn string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at > scheme && scheme >= 0 {
		if i := strings.Index(dsn[scheme+3:at], ":"); i >= 0 {
			if pw := dsn[scheme+3+i+1 : at]; pw != "" {
				msg = strings.ReplaceAll(msg, pw, "xxxxx")
			}
		}
	}
	return fmt.Errorf("%s", msg)
}

// analyze gives SQLite's planner the statistics it needs to pick the leaderboard's indexes
// (without them it sorts 55,000 models for a minimum-tier page of 100,000). PRAGMA optimize
// analyses only the tables never analysed or grown much since: about 0.5 s once for 100,000
// audits, a few milliseconds on later opens. PostgreSQL's autovacuum keeps its own statistics.
func analyze(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, `PRAGMA optimize = 0x10002`)
	return err
}
