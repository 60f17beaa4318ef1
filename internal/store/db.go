// Package store is the only package that talks to the database. It implements the domain's store
// interfaces with gorm on SQLite (the embedded default) or PostgreSQL (for several instances),
// translating rows to domain types and driver errors to *routewarden.Error. The schema is owned by
// the SQL files in migrations/; gorm's AutoMigrate is never used.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
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
	// audit is the audit chain's HMAC key (SetAuditKey); nil until set.
	audit atomic.Pointer[auditKey]
	// Enqueue, when set, puts the background work a change causes (webhook deliveries) into the
	// job queue inside the change's transaction; cmd wires it to River.
	Enqueue Enqueuer
	// AlertMail, when set, mails new critical and high alerts to risk officers and admins.
	AlertMail *AlertMail
	// BeforeCommit, when set, runs at the end of every store transaction, after its writes and
	// before its commit; crash tests stop the process there.
	BeforeCommit func()
}

// Open opens the database named by dsn: a postgres:// or postgresql:// URL or a libpq key=value
// string ("host=… dbname=…") selects PostgreSQL, anything else is a SQLite file path (created
// with its directory if missing). migrations holds the sqlite/ and postgres/ folders of
// numbered SQL files.
func Open(ctx context.Context, dsn string, migrations fs.FS) (*DB, error) {
	db := &DB{DSN: dsn, migrations: migrations, Now: func() time.Time { return time.Now().UTC() }}
	var dial gorm.Dialector
	if isURLDSN(dsn) || looksKeyValue(dsn) {
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
	gcfg := &gorm.Config{
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return db.Now() },
		SkipDefaultTransaction: true,
		TranslateError:         true,
	}
	g, err := gorm.Open(dial, gcfg)
	// Two processes opening a new SQLite file at once race for the switch to WAL, which the busy
	// timeout does not cover; the loser retries for a few seconds.
	for i := 0; err != nil && db.Dialect == SQLite && strings.Contains(err.Error(), "database is locked") && i < 50; i++ {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		g, err = gorm.Open(dial, gcfg)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database %s: %w", db.Dialect, db.Redacted(), scrubDSN(err, dsn))
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
		return nil, fmt.Errorf("connect to %s database %s: %w", db.Dialect, db.Redacted(), scrubDSN(err, dsn))
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

// RedactDSN hides every password in a DSN, for logs, errors and status lines: the user-info
// password and password-like query parameters of a postgres:// URL (url.URL.Redacted and
// more), and password=… in a key=value DSN (quoted values included). Anything else is left as
// it is: a SQLite path holds no secret.
func RedactDSN(dsn string) string {
	if isURLDSN(dsn) {
		scheme, rest, _ := strings.Cut(dsn, "://")
		u, err := url.Parse(dsn)
		if err != nil || u.Fragment != "" || (u.User == nil && strings.Contains(rest, "@")) {
			// Not a clean URL: a password with a raw '/', '?', '#' or '@' fools the parser.
			// Keep only what follows the last '@', with password parameters masked.
			if at := strings.LastIndex(rest, "@"); at >= 0 {
				return scheme + "://xxxxx@" + queryPassword.ReplaceAllString(rest[at+1:], "${1}xxxxx")
			}
			return scheme + "://(unparseable address hidden)"
		}
		q := u.Query()
		for k := range q {
			if secretKey(k) {
				q.Set(k, "xxxxx")
			}
		}
		u.RawQuery = q.Encode()
		return u.Redacted()
	}
	if looksKeyValue(dsn) {
		return kvPassword.ReplaceAllString(dsn, "${1}xxxxx")
	}
	return dsn
}

// kvPassword matches the value of a password-like key in a key=value DSN: quoted (with \'
// escapes) or up to the next space.
var kvPassword = regexp.MustCompile(`(?i)(\b(?:password|sslpassword)\s*=\s*)(?:'(?:[^'\\]|\\.)*'|\S*)`)

// queryPassword matches a password-like parameter of a URL query, for URLs url.Parse mistakes.
var queryPassword = regexp.MustCompile(`(?i)([?&](?:password|sslpassword)=)[^&#]*`)

func secretKey(k string) bool {
	k = strings.ToLower(k)
	return k == "password" || k == "sslpassword" || strings.Contains(k, "secret")
}

func isURLDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// looksKeyValue reports whether dsn is a libpq key=value connection string such as
// "host=db user=rw password=… dbname=rw" rather than a file path.
func looksKeyValue(dsn string) bool {
	for _, k := range []string{"host=", "dbname=", "user=", "password="} {
		if strings.HasPrefix(dsn, k) || strings.Contains(dsn, " "+k) {
			return true
		}
	}
	return false
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

// scrubDSN hides in a driver's error message any password that dsn holds, in case the driver
// quoted the connection string. The original error is returned when nothing had to be hidden.
func scrubDSN(err error, dsn string) error {
	msg := err.Error()
	redacted := RedactDSN(dsn)
	if redacted == dsn {
		return err
	}
	msg = strings.ReplaceAll(msg, dsn, redacted)
	for _, pw := range dsnPasswords(dsn) {
		if len(pw) >= 3 {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	if msg == err.Error() {
		return err
	}
	return errors.New(msg)
}

// dsnPasswords returns the passwords dsn carries, raw and as written.
func dsnPasswords(dsn string) []string {
	var out []string
	if isURLDSN(dsn) {
		if u, err := url.Parse(dsn); err == nil {
			if pw, ok := u.User.Password(); ok {
				out = append(out, pw, url.PathEscape(pw), url.QueryEscape(pw))
			}
			for k, vs := range u.Query() {
				if secretKey(k) {
					for _, v := range vs {
						out = append(out, v, url.QueryEscape(v))
					}
				}
			}
		}
		return out
	}
	for _, m := range kvPassword.FindAllStringSubmatch(dsn, -1) {
		v := strings.TrimPrefix(m[0], m[1])
		out = append(out, v, strings.Trim(v, "'"))
	}
	return out
}
