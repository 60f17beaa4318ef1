// Package store is the only package that talks to the database. It implements the domain's store
// interfaces with gorm on SQLite (the embedded default) or PostgreSQL (for several instances),
// translating rows to domain types and driver errors to *routewarden.Error. The schema is owned by
// the SQL files in migrations/; gorm's AutoMigrate is never used.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the SQL dialect of an open database.
type Dialect string

// Supported dialects; they name the folders of the migrations file system.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database with the schema migrations that belong to it.
type DB struct {
	gorm       *gorm.DB
	sql        *sql.DB
	Dialect    Dialect
	DSN        string // as given, for messages; never contains a password we print (see Redacted)
	migrations fs.FS
	path       string // the SQLite file; "" on PostgreSQL
	// Now is the clock; tests replace it.
	Now func() time.Time
	// BeforeCommit, when set, runs at the end of every store transaction, after its writes and
	// before its commit; crash tests stop the process there.
	BeforeCommit func()
}

// Open opens the database named by dsn: a postgres:// or postgresql:// URL selects PostgreSQL,
// anything else is a SQLite file path (created with its directory if missing). migrations holds
// the sqlite/ and postgres/ folders of numbered SQL files.
func Open(ctx context.Context, dsn string, migrations fs.FS) (*DB, error) {
	db := &DB{DSN: dsn, migrations: migrations, Now: func() time.Time { return time.Now().UTC() }}
	var dial gorm.Dialector
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db.Dialect = Postgres
		dial = postgres.Open(dsn)
	} else {
		db.Dialect = SQLite
		path := strings.TrimPrefix(dsn, "sqlite://")
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create database directory: %w", err)
			}
		}
		// A new database file is readable by its owner only (it holds password hashes and the
		// development signing key); SQLite gives its -wal and -shm files the same mode.
		if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
			f.Close()
		}
		db.path = path
		// WAL lets readers proceed during a write; immediate transactions avoid the lock-upgrade
		// deadlock between two writers; foreign keys are off in SQLite unless asked for.
		dial = sqlite.Open("file:" + path + "?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_txlock=immediate&_synchronous=NORMAL")
	}
	g, err := gorm.Open(dial, &gorm.Config{
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return db.Now() },
		SkipDefaultTransaction: true,
		TranslateError:         true,
	})
	if err != nil {
		return nil, fmt.Errorf("open %s database %s: %w", db.Dialect, db.Redacted(), err)
	}
	db.gorm = g.WithContext(ctx)
	if db.sql, err = g.DB(); err != nil {
		return nil, err
	}
	if db.Dialect == SQLite {
		// One writer at a time is SQLite's model; a small pool still lets reads overlap.
		db.sql.SetMaxOpenConns(8)
	} else {
		db.sql.SetMaxOpenConns(20)
		db.sql.SetConnMaxIdleTime(5 * time.Minute)
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database %s: %w", db.Dialect, db.Redacted(), err)
	}
	return db, nil
}

// Close closes the connection pool.
func (db *DB) Close() error { return db.sql.Close() }

// Ping checks that the database answers, within two seconds.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return db.sql.PingContext(ctx)
}

// Redacted returns the DSN with any password replaced, for logs and messages.
func (db *DB) Redacted() string { return RedactDSN(db.DSN) }

// RedactDSN hides the password of a URL-style DSN.
func RedactDSN(dsn string) string {
	scheme, rest, ok := strings.Cut(dsn, "://")
	if !ok {
		return dsn
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return dsn
	}
	userinfo := rest[:at]
	if user, _, hasPw := strings.Cut(userinfo, ":"); hasPw {
		return scheme + "://" + user + ":xxxxx" + rest[at:]
	}
	return dsn
}

// tx runs fn in one transaction.
func (db *DB) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := fn(tx); err != nil {
			return err
		}
		if db.BeforeCommit != nil {
			db.BeforeCommit()
		}
		return nil
	})
}

// q returns a session bound to ctx.
func (db *DB) q(ctx context.Context) *gorm.DB { return db.gorm.WithContext(ctx) }

// Exec runs one statement outside any transaction; tests and administration use it.
func (db *DB) Exec(ctx context.Context, query string, args ...any) error {
	_, err := db.sql.ExecContext(ctx, query, args...)
	return err
}
