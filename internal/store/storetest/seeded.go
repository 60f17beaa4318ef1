package storetest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"routewarden/internal/store"
	"routewarden/migrations"
)

// seeded keeps, per name, the bytes of a SQLite database migrated and prepared once per test
// binary.
var seeded sync.Map // name → *seededDB

type seededDB struct {
	once sync.Once
	data []byte
	err  error
}

// SQLiteSeeded opens a copy, in t.TempDir(), of a SQLite database that was migrated and handed to
// prepare once per test binary under name (seeding the demo takes most of a second; copying the
// file a few milliseconds). Each test gets its own file: what one test writes, no other sees.
// prepare must give the same database every time it is called for a name.
func SQLiteSeeded(t testing.TB, name string, prepare func(context.Context, *store.DB) error) *store.DB {
	t.Helper()
	v, _ := seeded.LoadOrStore(name, &seededDB{})
	s := v.(*seededDB)
	s.once.Do(func() { s.data, s.err = buildSeeded(prepare) })
	if s.err != nil {
		t.Fatalf("prepare the %s database: %v", name, s.err)
	}
	path := filepath.Join(t.TempDir(), "test.db")
	if err := os.WriteFile(path, s.data, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), path, migrations.FS)
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	migrate(t, db)
	return db
}

// buildSeeded migrates and prepares a database in a directory of its own and returns a compact,
// self-contained copy of it (VACUUM INTO folds the write-ahead log in).
func buildSeeded(prepare func(context.Context, *store.DB) error) ([]byte, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "rw-seeded-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(ctx, filepath.Join(dir, "seed.db"), migrations.FS)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.MigrateUp(ctx); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if err := prepare(ctx, db); err != nil {
		return nil, err
	}
	out := filepath.Join(dir, "copy.db")
	if err := db.Exec(ctx, "VACUUM INTO '"+strings.ReplaceAll(out, "'", "''")+"'"); err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	return os.ReadFile(out)
}
