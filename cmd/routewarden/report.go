package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"routewarden/internal/attest"
	"routewarden/internal/control"
	"routewarden/internal/evidence"
	"routewarden/internal/report"
	"routewarden/internal/store"
	"routewarden/static"
)

// cmdReport dispatches the portfolio reports.
func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		return usageErr(stderr, fmt.Errorf("usage: routewarden report concentration|obligations|board|roi [flags]"))
	}
	switch args[0] {
	case "roi":
		return cmdReportROI(ctx, args[1:], stdout, stderr, getenv)
	case "concentration":
		return cmdReportConcentration(ctx, args[1:], stdout, stderr, getenv)
	case "board":
		return cmdReportBoard(ctx, args[1:], stdout, stderr, getenv)
	case "obligations":
		return cmdReportObligations(ctx, args[1:], stdout, stderr, getenv)
	}
	return usageErr(stderr, fmt.Errorf("unknown report %q (want concentration, obligations, board or roi)", args[0]))
}

func cmdReportConcentration(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("report concentration", &cfg, getenv, stderr)
	format := fs.String("format", "table", "output format: table or json")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) > 0 || (*format != "table" && *format != "json") {
		return usageErr(stderr, fmt.Errorf("usage: routewarden report concentration [--format table|json]"))
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
	c, err := report.ConcentrationFrom(ctx, db, db, data)
	if err != nil {
		return fail(stderr, err)
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(c); err != nil {
			return fail(stderr, err)
		}
		return exitOK
	}
	writeConcentrationTable(stdout, c)
	return exitOK
}

func asList(a []uint32) string {
	parts := make([]string, len(a))
	for i, x := range a {
		parts[i] = "AS" + strconv.FormatUint(uint64(x), 10)
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, " ")
}

func writeConcentrationTable(w io.Writer, c *report.Concentration) {
	if c.Unknown != "" {
		fmt.Fprintf(w, "unknown: %s\n\n", c.Unknown)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "UPSTREAM\tNAME\tSERVICES\tCRITICAL\tSHARE\tLOSE ALL\tLOSE SOME")
	for _, u := range c.Upstreams {
		fmt.Fprintf(tw, "AS%d\t%s\t%d\t%d\t%.0f%%\t%d\t%d\n", u.ASN, u.Name, len(u.Services), u.CriticalServices, u.CriticalShare*100, len(u.LoseAll), len(u.LoseSome))
	}
	tw.Flush()
	if c.HHI != nil {
		fmt.Fprintf(w, "\nHerfindahl–Hirschman index over critical services' upstreams: %.0f (of 10,000)\n", *c.HHI)
	}
	fmt.Fprintf(w, "\nServices with a single observed upstream:\n")
	for _, s := range c.SingleUpstreamServices {
		fmt.Fprintf(w, "  %s — %s%s: %s\n", s.Vendor, s.Name, critMark(s.Critical), asList(s.Upstreams))
	}
	if len(c.NoUpstreamServices) > 0 {
		fmt.Fprintf(w, "\nServices without an observed upstream:\n")
		for _, s := range c.NoUpstreamServices {
			fmt.Fprintf(w, "  %s — %s%s: %s\n", s.Vendor, s.Name, critMark(s.Critical), s.Reason)
		}
	}
	if len(c.Discrepancies) > 0 {
		fmt.Fprintf(w, "\nDeclared vs observed:\n")
		for _, d := range c.Discrepancies {
			fmt.Fprintf(w, "  %s [%s, assessment %d]: %s (declared %s; observed %s)\n", d.Vendor, d.Control, d.AssessmentID, d.Message, d.Declared, d.Observed)
		}
	}
}

func critMark(c bool) string {
	if c {
		return " (critical)"
	}
	return ""
}

// cmdReportBoard issues a board / supervisor report: gathered, rendered, signed with the
// attestation signer and registered, so that `verify` and /verify accept it.
func cmdReportBoard(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("report board", &cfg, getenv, stderr)
	out := fs.String("out", "", "file to write the signed PDF to")
	by := fs.String("by", "cli", "who issues the report (recorded in the registry and the audit log)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) > 0 || *out == "" {
		return usageErr(stderr, fmt.Errorf("usage: routewarden report board --out FILE.pdf [--by WHO]"))
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
	signer, err := loadAttestSigner(&cfg, db, log)
	if err != nil {
		return fail(stderr, fmt.Errorf("signer: %w", err))
	}
	fonts, err := attestFonts(static.FS)
	if err != nil {
		return fail(stderr, err)
	}
	set, err := loadLibrary(ctx, db, log)
	if err != nil {
		return fail(stderr, err)
	}
	bi := newBoardIssuer(&cfg, db, set, signer, fonts, func(ctx context.Context) (*evidence.Data, error) { return evidence.Load(ctx, db) })
	r, err := bi.IssueBoardReport(ctx, *by)
	if err != nil {
		return fail(stderr, fmt.Errorf("board report: %s", errText(err)))
	}
	if err := os.WriteFile(*out, r.PDF, 0o644); err != nil {
		return fail(stderr, fmt.Errorf("board report %s is registered but could not be written: %w (download it again from /reports/board/%d/pdf)",
			r.DocumentID, err, r.ID))
	}
	fmt.Fprintf(stdout, "board report %s (id %d): %s, %d bytes, sha256 %s\n", r.DocumentID, r.ID, *out, r.Size, r.SHA256)
	return exitOK
}

// newBoardIssuer wires the board report issuer to the store, the signer and the routing data.
func newBoardIssuer(cfg *config, db *store.DB, set *control.Set, signer attest.Signer, fonts attest.Options, data func(context.Context) (*evidence.Data, error)) *report.BoardIssuer {
	cov := coverageSources(db, set)
	return &report.BoardIssuer{
		Sources: report.BoardSources{Dashboard: report.DashboardSources{Vendors: db, Assessments: db, Attestations: db, Snapshots: db, Monitor: db},
			Answers: db, Findings: db, Attestations: db, Evidence: data, Coverage: &cov},
		Registry: db, Signer: signer, Font: fonts.Font, BoldFont: fonts.BoldFont, VerifyURL: verifyURLOf(cfg), Now: db.Now,
	}
}
