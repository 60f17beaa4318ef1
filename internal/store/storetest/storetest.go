// Package storetest opens real, migrated, throw-away databases for tests: a SQLite file in the
// test's temporary directory, and a fresh PostgreSQL schema when ROUTEWARDEN_TEST_POSTGRES holds
// a DSN. No fakes: every test that uses it talks to a real database.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"routewarden/internal/store"
	"routewarden/migrations"
)

// RequireAll reports whether missing tools or services must fail tests instead of skipping them.
func RequireAll() bool { return os.Getenv("ROUTEWARDEN_REQUIRE_ALL") == "1" }

// Backend is a database kind a test can run against.
type Backend struct {
	Name string
	Open func(t testing.TB) *store.DB
}

// Backends returns SQLite and, when configured, PostgreSQL. Without a PostgreSQL DSN the
// PostgreSQL backend skips — or fails under ROUTEWARDEN_REQUIRE_ALL=1.
func Backends() []Backend {
	return []Backend{{"sqlite", SQLite}, {"postgres", Postgres}}
}

// SQLite opens a migrated SQLite database in t.TempDir().
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), migrations.FS)
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	migrate(t, db)
	return db
}

// Postgres opens the PostgreSQL database named by ROUTEWARDEN_TEST_POSTGRES in a schema of its
// own, dropped when the test ends.
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	dsn := os.Getenv("ROUTEWARDEN_TEST_POSTGRES")
	if dsn == "" {
		if RequireAll() {
			t.Fatal("ROUTEWARDEN_REQUIRE_ALL=1 but ROUTEWARDEN_TEST_POSTGRES is not set")
		}
		t.Skip("ROUTEWARDEN_TEST_POSTGRES not set; PostgreSQL store tests skipped")
	}
	ctx := context.Background()
	admin, err := store.Open(ctx, dsn, migrations.FS)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	// Extensions belong to the database, not a schema: created by a test's migration inside its
	// own schema, dropping that schema would take pg_trgm (and the indexes of every other test)
	// with it. Best effort; migration 0013 does without it.
	admin.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
	b := make([]byte, 6)
	rand.Read(b)
	schema := "rwtest_" + hex.EncodeToString(b)
	if err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := store.Open(ctx, u.String(), migrations.FS)
	if err != nil {
		t.Fatalf("open postgres schema: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	migrate(t, db)
	return db
}

func migrate(t testing.TB, db *store.DB) {
	t.Helper()
	if _, err := db.MigrateUp(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
}
