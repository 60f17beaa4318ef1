package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Migration is one numbered SQL file and whether it has been applied.
type Migration struct {
	Version   int
	Name      string
	AppliedAt *time.Time
}

// migrationLockID is the PostgreSQL advisory-lock key that serialises concurrent `migrate up`
// runs of several instances ("rwmg" in ASCII).
const migrationLockID = 0x72776d67

func (db *DB) migrationFiles() ([]Migration, map[int]string, error) {
	dir := string(db.Dialect)
	entries, err := fs.ReadDir(db.migrations, dir)
	if err != nil {
		return nil, nil, fmt.Errorf("read migrations/%s: %w", dir, err)
	}
	var list []Migration
	bodies := map[int]string{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, nil, fmt.Errorf("migrations/%s/%s: name must be NNNN_description.sql", dir, name)
		}
		if _, dup := bodies[v]; dup {
			return nil, nil, fmt.Errorf("migrations/%s: version %d appears twice", dir, v)
		}
		b, err := fs.ReadFile(db.migrations, dir+"/"+name)
		if err != nil {
			return nil, nil, err
		}
		bodies[v] = string(b)
		list = append(list, Migration{Version: v, Name: rest})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Version < list[j].Version })
	return list, bodies, nil
}

func (db *DB) ensureMigrationTable(ctx context.Context) error {
	ts := "DATETIME"
	if db.Dialect == Postgres {
		ts = "TIMESTAMPTZ"
	}
	return db.q(ctx).Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at ` + ts + ` NOT NULL)`).Error
}

// MigrationStatus lists every known migration with the time it was applied, if it was.
func (db *DB) MigrationStatus(ctx context.Context) ([]Migration, error) {
	list, _, err := db.migrationFiles()
	if err != nil {
		return nil, err
	}
	if !db.gorm.WithContext(ctx).Migrator().HasTable("schema_migrations") {
		return list, nil // nothing applied yet
	}
	var rows []struct {
		Version   int
		AppliedAt time.Time
	}
	if err := db.q(ctx).Raw(`SELECT version, applied_at FROM schema_migrations`).Scan(&rows).Error; err != nil {
		return nil, err
	}
	applied := map[int]time.Time{}
	for _, r := range rows {
		applied[r.Version] = r.AppliedAt
	}
	for i := range list {
		if t, ok := applied[list[i].Version]; ok {
			t := t.UTC()
			list[i].AppliedAt = &t
		}
	}
	return list, nil
}

// MigrateUp applies every pending migration in order, each in its own transaction, and returns
// the ones it applied. Concurrent callers on PostgreSQL wait for each other.
func (db *DB) MigrateUp(ctx context.Context) ([]Migration, error) {
	var done []Migration
	err := db.withMigrationLock(ctx, func(conn *sql.Conn) error {
		// Under the lock: PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against a
		// concurrent twin.
		if err := db.ensureMigrationTable(ctx); err != nil {
			return fmt.Errorf("migration table: %w", err)
		}
		status, err := db.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		_, bodies, err := db.migrationFiles()
		if err != nil {
			return err
		}
		for _, m := range status {
			if m.AppliedAt != nil {
				continue
			}
			now := db.Now()
			if err := db.applyMigration(ctx, conn, m, bodies[m.Version], now); err != nil {
				return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
			}
			m.AppliedAt = &now
			done = append(done, m)
		}
		return nil
	})
	return done, err
}

func (db *DB) applyMigration(ctx context.Context, conn *sql.Conn, m Migration, body string, now time.Time) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return err
	}
	ins := `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`
	if db.Dialect == Postgres {
		ins = `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`
	}
	if _, err := tx.ExecContext(ctx, ins, m.Version, m.Name, now); err != nil {
		return err
	}
	return tx.Commit()
}

// Pending returns the number of migrations not yet applied.
func (db *DB) Pending(ctx context.Context) (int, error) {
	status, err := db.MigrationStatus(ctx)
	n := 0
	for _, m := range status {
		if m.AppliedAt == nil {
			n++
		}
	}
	return n, err
}

// withMigrationLock runs fn on one connection while no other process or goroutine migrates
// the same database: an advisory lock on PostgreSQL, a lock file next to a SQLite database
// (two processes starting together would otherwise both see a migration as pending).
func (db *DB) withMigrationLock(ctx context.Context, fn func(conn *sql.Conn) error) error {
	if db.Dialect == Postgres {
		return db.advisoryLock(ctx, migrationLockID, fn)
	}
	return db.fileLock(ctx, "migrate", func() error {
		conn, err := db.sql.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		return fn(conn)
	})
}
