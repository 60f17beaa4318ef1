package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"routewarden/internal/backup"
	"routewarden/internal/store"
	"routewarden/migrations"
)

// cmdRestore loads a backup into an empty SQLite or PostgreSQL database and puts the backed-up
// secrets into the data directory where they are missing. It is also the way from the embedded
// SQLite database to PostgreSQL.
func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("restore", &cfg, getenv, stderr)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) != 1 {
		return usageErr(stderr, errors.New("usage: routewarden restore [--db DSN] [--data-dir DIR] FILE"))
	}
	if err := cfg.validate(); err != nil {
		return usageErr(stderr, err)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fail(stderr, fmt.Errorf("data directory: %w", err))
	}
	a, err := backup.Open(pos[0], cfg.DataDir, cfg.DataDir)
	if err != nil {
		return fail(stderr, fmt.Errorf("restore %s: %s", pos[0], errText(err)))
	}
	defer a.Close()
	if err := a.CheckSecrets(cfg.DataDir); err != nil {
		return fail(stderr, fmt.Errorf("restore %s: %s", pos[0], errText(err)))
	}
	db, err := store.Open(ctx, cfg.DB, migrations.FS)
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	if err := a.Restore(ctx, db, stderr); err != nil {
		return fail(stderr, fmt.Errorf("restore %s into %s: %s", pos[0], db.Redacted(), errText(err)))
	}
	wrote, err := a.InstallSecrets(cfg.DataDir)
	if err != nil {
		return fail(stderr, fmt.Errorf("the database is restored, but the secrets could not be written to %s: %w", cfg.DataDir, err))
	}
	var rows int64
	for _, t := range a.Manifest.Tables {
		rows += t.Rows
	}
	fmt.Fprintf(stdout, "restored %s into %s: %d tables, %d rows, every table's count and content digest verified\n",
		pos[0], db.Redacted(), len(a.Manifest.Tables), rows)
	if len(wrote) > 0 {
		fmt.Fprintf(stdout, "wrote %s into %s\n", strings.Join(wrote, ", "), cfg.DataDir)
	}
	if !a.Authenticated {
		fmt.Fprintf(stdout, "note: the manifest signature was checked with the %s the archive carries: that proves the archive is intact, not who made it\n",
			a.Manifest.SignedWith)
	}
	return exitOK
}
