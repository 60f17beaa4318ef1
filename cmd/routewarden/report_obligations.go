package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"routewarden/internal/control"
	"routewarden/internal/report"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
	"routewarden/internal/store"
)

// cmdReportObligations prints the obligations coverage across suppliers: per obligation the
// suppliers that meet, partly meet or fail it (table), or every cell with its evidence (json,
// csv).
func cmdReportObligations(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("report obligations", &cfg, getenv, stderr)
	format := fs.String("format", "table", "output format: table, json or csv")
	regulation := fs.String("regulation", "", "only this framework (DORA, NIS2, CER) or act of the catalogue (e.g. RTS1773)")
	tier := fs.String("tier", "", "only suppliers whose latest decided assessment has this inherent tier (Critical, Elevated, Moderate, Low)")
	critical := fs.String("critical", "", "yes: only suppliers with a critical service; no: only those without")
	const usage = "usage: routewarden report obligations [--format table|json|csv] [--regulation R] [--tier T] [--critical yes|no]"
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) > 0 || (*format != "table" && *format != "json" && *format != "csv") {
		return usageErr(stderr, fmt.Errorf("%s", usage))
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
	set, err := loadLibrary(ctx, db, log)
	if err != nil {
		return fail(stderr, err)
	}
	f, err := report.ParseCoverageFilter(set.Catalogue, *regulation, *tier, *critical)
	if err != nil {
		return usageErr(stderr, fmt.Errorf("--%s: %s", rw.ErrorField(err), rw.ErrorMessage(err)))
	}
	cov, err := report.LoadCoverage(ctx, coverageSources(db, set), db.Now(), f)
	if err != nil {
		return fail(stderr, err)
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(cov); err != nil {
			return fail(stderr, err)
		}
	case "csv":
		if err := report.WriteCSV(stdout, report.CoverageRows(cov)); err != nil {
			return fail(stderr, err)
		}
	default:
		writeCoverageTable(stdout, cov)
	}
	return exitOK
}

// writeCoverageTable prints one line per obligation with its counts and the suppliers that
// fail it or partly meet it.
func writeCoverageTable(w io.Writer, cov *report.Coverage) {
	fmt.Fprintf(w, "%d suppliers × %d obligations mapped to controls: %d met, %d partly met, %d failed, %d unknown, %d not applicable, %d not in scope\n\n",
		len(cov.Suppliers), len(cov.Obligations), cov.Counts[report.CoverMet], cov.Counts[report.CoverPartly], cov.Counts[report.CoverFailed],
		cov.Counts[report.CoverUnknown], cov.Counts[report.CoverNotApplicable], cov.Counts[report.CoverOutOfScope])
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "OBLIGATION\tREFERENCE\tMET\tPARTLY\tFAILED\tUNKNOWN\tIN SCOPE\tFAILED BY")
	for j, o := range cov.Obligations {
		var failed []string
		for _, s := range cov.Suppliers {
			if s.Cells[j].State == report.CoverFailed {
				failed = append(failed, s.Vendor)
			}
		}
		by := strings.Join(failed, ", ")
		if by == "" {
			by = "–"
		}
		fmt.Fprintf(tw, "%s\t%s %s\t%d\t%d\t%d\t%d\t%d\t%s\n", o.ID, o.Regulation, o.Reference, o.Counts[report.CoverMet], o.Counts[report.CoverPartly],
			o.Counts[report.CoverFailed], o.Counts[report.CoverUnknown], o.InScope, by)
	}
	tw.Flush()
	if len(cov.Unmapped) > 0 {
		fmt.Fprintf(w, "\nMapped to no control (no supplier measured against them): %s\n", strings.Join(cov.Unmapped, ", "))
	}
}

// coverageSources wires the obligations coverage to the store and the loaded library set:
// decided assessments scored before per-control results were kept are scored once and kept.
func coverageSources(db *store.DB, set *control.Set) report.CoverageSources {
	lib, _ := set.Library("routewarden-manrs", "")
	return report.CoverageSources{Vendors: db, Assessments: db, Libraries: set, Catalogue: set.Catalogue, Current: lib,
		Rescore: func(ctx context.Context, a *rw.Assessment, l *control.Library) (map[string]rw.ControlOutcome, error) {
			return score.KeepOutcomes(ctx, db, db, l, a, db.Now())
		}}
}
