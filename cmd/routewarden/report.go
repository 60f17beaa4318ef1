package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"routewarden/internal/attest"
	"routewarden/internal/evidence"
	"routewarden/internal/report"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
	"routewarden/static"
)

// cmdReport dispatches the portfolio reports.
func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		return usageErr(stderr, fmt.Errorf("usage: routewarden report concentration|board|roi [flags]"))
	}
	switch args[0] {
	case "roi":
		return cmdReportROI(ctx, args[1:], stdout, stderr, getenv)
	case "concentration":
		return cmdReportConcentration(ctx, args[1:], stdout, stderr, getenv)
	case "board":
		return cmdReportBoard(ctx, args[1:], stdout, stderr, getenv)
	}
	return usageErr(stderr, fmt.Errorf("unknown report %q (want concentration, board or roi)", args[0]))
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

// cmdReportBoard writes the signed board / supervisor report PDF. It is signed with the
// attestation signer (PAdES detached signature) but not registered as an attestation.
func cmdReportBoard(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("report board", &cfg, getenv, stderr)
	out := fs.String("out", "", "file to write the signed PDF to")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) > 0 || *out == "" {
		return usageErr(stderr, fmt.Errorf("usage: routewarden report board --out FILE.pdf"))
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
	pdf, err := boardPDF(ctx, &cfg, db, log)
	if err != nil {
		return fail(stderr, err)
	}
	if err := os.WriteFile(*out, pdf, 0o644); err != nil {
		return fail(stderr, err)
	}
	sum := sha256.Sum256(pdf)
	fmt.Fprintf(stdout, "board report: %s, %d bytes, sha256 %x\n", *out, len(pdf), sum)
	return exitOK
}

// boardPDF gathers the report's content, renders and signs it.
func boardPDF(ctx context.Context, cfg *config, db *store.DB, log *slog.Logger) ([]byte, error) {
	now := db.Now()
	dash, err := report.LoadDashboard(ctx, report.DashboardSources{Vendors: db, Assessments: db, Attestations: db, Snapshots: db, Monitor: db}, now, 180*24*time.Hour)
	if err != nil {
		return nil, err
	}
	data, err := evidence.Load(ctx, db)
	if err != nil {
		return nil, err
	}
	conc, err := report.ConcentrationFrom(ctx, db, db, data)
	if err != nil {
		return nil, err
	}
	findings, waivers, err := report.LoadFindings(ctx, db, now)
	if err != nil {
		return nil, err
	}
	atts, _, err := db.FindAttestations(ctx, rw.AttestationFilter{Limit: 1000})
	if err != nil {
		return nil, err
	}
	var valid []*rw.Attestation
	demo := false
	for _, a := range atts {
		if !a.Revoked() {
			valid = append(valid, a)
		}
	}
	if vs, _, err := db.FindVendors(ctx, rw.VendorFilter{Limit: 1000}); err == nil {
		for _, v := range vs {
			demo = demo || v.Demo
		}
	}
	fonts, err := attestFonts(static.FS)
	if err != nil {
		return nil, err
	}
	raw, err := report.RenderBoard(&report.Board{Now: now, Dashboard: dash, Concentration: conc, Findings: findings, Waivers: waivers, Attestations: valid, Demo: demo}, fonts.Font, fonts.BoldFont)
	if err != nil {
		return nil, err
	}
	signer, err := loadAttestSigner(cfg, db, log)
	if err != nil {
		return nil, fmt.Errorf("signer: %w", err)
	}
	return attest.Sign(raw, signer)
}
