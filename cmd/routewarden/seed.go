package main

import (
	"context"
	"fmt"
	"io"
)

func cmdSeed(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("seed", &cfg, getenv, stderr)
	demoFlag := fs.Bool("demo", false, "seed the labelled demo portfolio")
	if pos, err := parseArgs(fs, args); err != nil {
		return usageErr(stderr, err)
	} else if len(pos) > 0 || !*demoFlag {
		return usageErr(stderr, fmt.Errorf("usage: routewarden seed --demo [--db DSN] [--data-dir DIR]"))
	}
	if err := cfg.validate(); err != nil {
		return usageErr(stderr, err)
	}
	log := cfg.logger(stderr)
	db, err := openDB(ctx, &cfg, true, log)
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	if err := seedDemo(ctx, db, log); err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintln(stdout, "demo data present; demo users: admin@demo.example, procurement@demo.example, risk@demo.example, auditor@demo.example (password: demo)")
	return exitOK
}
