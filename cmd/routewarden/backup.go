package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"routewarden/internal/attest"
	"routewarden/internal/backup"
)

// backupSecrets are the data-directory files a restored installation needs besides the
// database: the audit chain's key and the development signing certificate.
var backupSecrets = []string{backup.AuditKeyFile, attest.DevCertFile, attest.DevKeyFile}

// cmdBackup writes a consistent, portable backup of the database and the data-directory
// secrets to FILE while the server may keep running.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("backup", &cfg, getenv, stderr)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) != 1 {
		return usageErr(stderr, errors.New("usage: routewarden backup [--db DSN] [--data-dir DIR] FILE"))
	}
	if err := cfg.validate(); err != nil {
		return usageErr(stderr, err)
	}
	if !strings.Contains(cfg.DB, "://") {
		if _, err := os.Stat(cfg.DB); err != nil {
			return fail(stderr, fmt.Errorf("no database to back up at %s: %w", cfg.DB, err))
		}
	}
	db, err := openStatusDB(ctx, &cfg)
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	path := pos[0]
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fail(stderr, fmt.Errorf("backup: %w", err))
	}
	defer os.Remove(tmp.Name()) // after the rename this removes nothing
	m, err := backup.Create(ctx, db, tmp, dir, backup.Options{DataDir: cfg.DataDir, Secrets: backupSecrets,
		Version: versionString(), Progress: stderr})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fail(stderr, fmt.Errorf("backup of %s: %w", db.Redacted(), err))
	}
	var rows int64
	for _, t := range m.Tables {
		rows += t.Rows
	}
	var secrets []string
	for _, s := range m.Secrets {
		secrets = append(secrets, s.Name)
	}
	fmt.Fprintf(stdout, "backup %s: %d tables, %d rows, schema %04d, signed with %s; carries %s — keep it as safe as the data directory\n",
		path, len(m.Tables), rows, lastVersion(m.Schema), m.SignedWith, strings.Join(secrets, ", "))
	return exitOK
}

func lastVersion(s []backup.SchemaMigration) int {
	if len(s) == 0 {
		return 0
	}
	return s[len(s)-1].Version
}
