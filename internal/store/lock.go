package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
)

// WithLock runs fn while holding the lock called name, which excludes every other holder of
// that name on this database, whether in this process or another instance: a PostgreSQL
// advisory lock, or on SQLite an exclusive lock on a file next to the database. A crashed
// holder's lock is released by the database server or the kernel.
func (db *DB) WithLock(ctx context.Context, name string, fn func() error) error {
	if db.Dialect == Postgres {
		return db.advisoryLock(ctx, advisoryKey(name), func(*sql.Conn) error { return fn() })
	}
	return db.fileLock(ctx, name, fn)
}

// advisoryKey maps a lock name to a PostgreSQL advisory-lock key.
func advisoryKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("routewarden:" + name))
	return int64(h.Sum64())
}

// advisoryLock holds the session-level advisory lock key on one connection while fn runs.
func (db *DB) advisoryLock(ctx context.Context, key int64, fn func(conn *sql.Conn) error) error {
	// An advisory lock belongs to a session, so the whole run holds one connection.
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		return fmt.Errorf("take database lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, key)
	return fn(conn)
}
