// Package storetest gives tests a database of their own: a fresh SQLite file, or a fresh
// PostgreSQL database created on the server GLASSBOX_TEST_POSTGRES names (.ci/run starts one on
// loopback) and dropped when the test ends, so packages testing in parallel never share tables.
package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// DSNs returns, by name, functions that make a fresh database for a test: "sqlite" always,
// "postgres" when GLASSBOX_TEST_POSTGRES is set. Without it the postgres case skips, saying so,
// except in CI (CI set), where it fails: CI must run it.
func DSNs() map[string]func(t *testing.T) string {
	return map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "glassbox.db") },
		"postgres": Postgres,
	}
}

// Postgres creates a fresh database and returns its DSN.
func Postgres(t *testing.T) string {
	t.Helper()
	base := os.Getenv("GLASSBOX_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("GLASSBOX_TEST_POSTGRES is not set in CI; .ci/run must start PostgreSQL")
		}
		t.Skip("PostgreSQL tests need GLASSBOX_TEST_POSTGRES=postgres://… (.ci/run starts one on loopback)")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("GLASSBOX_TEST_POSTGRES: %v", err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "gbtest_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		admin.Close()
		t.Fatalf("creating a test database: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
		admin.Close()
	})
	u.Path = "/" + name
	return u.String()
}
