package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"

	"routewarden/internal/auditkey"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
)

// cmdAudit verifies the append-only audit log: IDs, links, hashes and HMACs (with the audit
// key), and the heads anchored by attestations. It prints what it proved and what it cannot
// prove. Exit 0 when everything it could check holds — also without the key, when it says so
// (with --require-key a missing key exits 1) — and 1 when something is broken or altered.
func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("audit", &cfg, getenv, stderr)
	requireKey := fs.Bool("require-key", false, "exit 1 when the HMACs cannot be checked for want of the audit key")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) != 1 || pos[0] != "verify" {
		return usageErr(stderr, fmt.Errorf("usage: routewarden audit verify [--require-key] [--db DSN] [--data-dir DIR]"))
	}
	if err := cfg.validate(); err != nil {
		return usageErr(stderr, err)
	}
	cfg.auditReadOnly = true // verifying neither creates a key nor keys the chain
	db, err := openDB(ctx, &cfg, false, cfg.logger(stderr))
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	rep, err := db.VerifyAudit(ctx)
	if err != nil {
		return fail(stderr, err)
	}
	printAuditReport(stdout, rep)
	if !rep.Intact() || (*requireKey && rep.Chain != nil && !rep.KeyChecked) {
		return exitFailure
	}
	return exitOK
}

func printAuditReport(w io.Writer, rep *rw.AuditReport) {
	if rep.Intact() {
		fmt.Fprintf(w, "audit log intact as far as it can be checked: %d events, head %d\n", rep.Events, rep.LastID)
	} else {
		fmt.Fprintf(w, "audit log NOT intact (%d good events read):\n", rep.Events)
		for _, p := range rep.Problems {
			fmt.Fprintln(w, "  BROKEN:", p)
		}
	}
	fmt.Fprintln(w, "verified:")
	for _, p := range rep.Proven() {
		fmt.Fprintln(w, "  -", p)
	}
	fmt.Fprintln(w, "cannot prove:")
	for _, p := range rep.Limits() {
		fmt.Fprintln(w, "  -", p)
	}
}

// setupAuditKey gives the store the audit chain's HMAC key: ROUTEWARDEN_AUDIT_KEY, else
// <data-dir>/audit.key. Without either, the first write that records an audit event creates
// the file (when the database has no keyed chain yet) — never a read-only command, and never a
// database nobody writes to, such as a restore target. A database keyed with a key this instance
// lacks, or with another key, still opens — reading works — but appending to the audit log
// fails; the error is logged here, naming what to set. A malformed key or an unreadable key file
// is an error.
func setupAuditKey(ctx context.Context, cfg *config, db *store.DB, log *slog.Logger) error {
	path := auditkey.Path(cfg.DataDir)
	key, source, err := readAuditKey(cfg, log)
	switch {
	case err != nil:
		return err
	case key != nil:
		db.SetAuditKey(key, source)
	case cfg.auditReadOnly:
		db.SetAuditKey(nil, path)
	default:
		db.SetAuditKeyCreator(path, func() ([]byte, string, error) {
			key, err := auditkey.Create(cfg.DataDir)
			if errors.Is(err, fs.ErrExist) {
				key, _, err = auditkey.Read(cfg.DataDir) // another process created it just now
			}
			if err == nil {
				log.Info("audit key created: back it up with the database; without it the audit log cannot be appended to", "file", path)
			}
			return key, path, err
		})
	}
	if cfg.auditReadOnly {
		return nil
	}
	if err := db.CheckAuditKey(ctx); errors.Is(err, store.ErrAuditKey) {
		log.Error("audit log is read-only: every change that records an audit event will fail", "reason", err.Error())
	} else if err != nil {
		return err
	}
	return nil
}

// readAuditKey returns the key from the environment or the data directory, with its source;
// nil when neither has one.
func readAuditKey(cfg *config, log *slog.Logger) ([]byte, string, error) {
	if cfg.AuditKey != "" {
		key, err := auditkey.Parse(cfg.AuditKey)
		return key, auditkey.EnvVar, err
	}
	key, insecure, err := auditkey.Read(cfg.DataDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "", nil
	} else if err != nil {
		return nil, "", err
	}
	if insecure {
		log.Warn("the audit key file is readable by other users; chmod 600 it", "file", auditkey.Path(cfg.DataDir))
	}
	return key, auditkey.Path(cfg.DataDir), nil
}
