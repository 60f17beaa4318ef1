package main

import (
	"context"
	"fmt"
	"io"

	rw "routewarden/internal/routewarden"
)

// cmdAudit verifies the append-only audit log: every event's hash and its link to the one
// before. Exit 0 intact, 1 broken or altered.
func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("audit", &cfg, getenv, stderr)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) != 1 || pos[0] != "verify" {
		return usageErr(stderr, fmt.Errorf("usage: routewarden audit verify [--db DSN] [--data-dir DIR]"))
	}
	if err := cfg.validate(); err != nil {
		return usageErr(stderr, err)
	}
	db, err := openDB(ctx, &cfg, false, cfg.logger(stderr))
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	n, err := db.VerifyAudit(ctx)
	if err != nil {
		fmt.Fprintf(stdout, "audit log NOT intact after %d good events: %s\n", n, rw.ErrorMessage(err))
		if rw.ErrorCode(err) == rw.EINTERNAL {
			fmt.Fprintln(stderr, "routewarden:", err)
		}
		return exitFailure
	}
	fmt.Fprintf(stdout, "audit log intact: %d events, every hash and link verified\n", n)
	return exitOK
}
