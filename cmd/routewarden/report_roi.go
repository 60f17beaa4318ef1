package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"routewarden/internal/evidence"
	"routewarden/internal/report"
)

// cmdReportROI writes the DORA register of information: `routewarden report roi --out FILE
// [--format xbrl-csv|xlsx] [--force]`. The lint runs first; when it finds missing or invalid
// mandatory fields the export is refused with the list, unless --force.
func cmdReportROI(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("report roi", &cfg, getenv, stderr)
	out := fs.String("out", "", "file to write (a .zip for xbrl-csv, .xlsx for xlsx)")
	format := fs.String("format", "xbrl-csv", "xbrl-csv (EBA report package) or xlsx")
	force := fs.Bool("force", false, "write the file even when the lint finds problems")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) != 0 || *out == "" || (*format != "xbrl-csv" && *format != "xlsx") {
		return usageErr(stderr, errors.New("usage: routewarden report roi --out FILE.zip [--format xbrl-csv|xlsx] [--force]"))
	}
	if err := cfg.validate(); err != nil {
		return usageErr(stderr, err)
	}
	db, err := openDB(ctx, &cfg, true, cfg.logger(stderr))
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	data, err := evidence.Load(ctx, db)
	if err != nil {
		return fail(stderr, err)
	}
	reg, err := report.LoadRegister(ctx, db, data, time.Now())
	if err != nil {
		return fail(stderr, err)
	}
	if n := len(reg.Problems); n > 0 {
		fmt.Fprintf(stderr, "register lint: %d problem(s):\n%s", n, reg.ProblemsText())
		if !*force {
			return fail(stderr, fmt.Errorf("export refused: fix the %d problem(s) above or pass --force", n))
		}
	}
	tmp := *out + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o640)
	if err != nil {
		return fail(stderr, err)
	}
	if *format == "xlsx" {
		err = reg.WriteXLSX(f)
	} else {
		err = reg.WriteXBRLCSV(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, *out)
	}
	if err != nil {
		os.Remove(tmp)
		return fail(stderr, fmt.Errorf("writing %s: %w", *out, err))
	}
	fmt.Fprintf(stdout, "wrote %s (%s, reference date %s, %d providers)\n", *out, *format, reg.RefDate.Format("2006-01-02"), len(reg.Table("B_05.01").Rows))
	return exitOK
}
