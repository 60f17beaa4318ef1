package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"routewarden/internal/store"
)

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("migrate", &cfg, getenv, stderr)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) != 1 || (pos[0] != "up" && pos[0] != "status") {
		return usageErr(stderr, fmt.Errorf("usage: routewarden migrate up|status [--db DSN] [--data-dir DIR]"))
	}
	if err := cfg.validate(); err != nil {
		return usageErr(stderr, err)
	}
	log := cfg.logger(stderr)
	var db *store.DB
	if pos[0] == "up" {
		db, err = openDB(ctx, &cfg, true, log)
	} else {
		db, err = openStatusDB(ctx, &cfg)
	}
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	list, err := db.MigrationStatus(ctx)
	if err != nil {
		return fail(stderr, err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "VERSION\tNAME\tAPPLIED\n")
	pending := 0
	for _, m := range list {
		at := "pending"
		if m.AppliedAt != nil {
			at = m.AppliedAt.Format("2006-01-02 15:04:05 UTC")
		} else {
			pending++
		}
		fmt.Fprintf(tw, "%04d\t%s\t%s\n", m.Version, m.Name, at)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "%s database %s: %d migration(s), %d pending\n", db.Dialect, db.Redacted(), len(list), pending)
	return exitOK
}
