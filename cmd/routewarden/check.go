package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"text/tabwriter"

	"routewarden/controls"
	"routewarden/internal/evidence"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
)

func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("check", &cfg, getenv, stderr)
	format := fs.String("format", "table", "output format: table or json")
	noSave := fs.Bool("no-save", false, "do not store the results for the web pages")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) == 0 || (*format != "table" && *format != "json") {
		return usageErr(stderr, fmt.Errorf("usage: routewarden check [--format table|json] ASN [ASN ...]"))
	}
	asns := make([]uint32, len(pos))
	for i, a := range pos {
		if asns[i], err = rw.ParseASN(a); err != nil || asns[i] == 0 {
			return usageErr(stderr, fmt.Errorf("%q is not an AS number (1–4294967295)", a))
		}
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
	if err == nil {
		data.Bands, err = checkBands()
	}
	if err != nil {
		return fail(stderr, err)
	}
	var all []rw.CheckResult
	for _, asn := range asns {
		t, err := target(ctx, db, asn)
		if err != nil {
			return fail(stderr, err)
		}
		all = append(all, evidence.Run(data, t, db.Now())...)
	}
	if !*noSave {
		if err := db.SaveCheckResults(ctx, all); err != nil {
			return fail(stderr, err)
		}
	}
	if *format == "json" {
		return writeCheckJSON(stdout, stderr, data, all)
	}
	writeCheckTable(stdout, data, all)
	return exitOK
}

// target merges what the vendor records say about an ASN: expected prefixes, the as-set and
// the vendors' other ASNs.
func target(ctx context.Context, db *store.DB, asn uint32) (evidence.Target, error) {
	t := evidence.Target{ASN: asn}
	nets, err := db.FindNetworksByASN(ctx, asn)
	if err != nil {
		return t, err
	}
	for _, n := range nets {
		v, err := db.FindVendorByID(ctx, n.VendorID)
		if err != nil {
			return t, err
		}
		vt := evidence.TargetOf(v, n)
		t.Expected = append(t.Expected, vt.Expected...)
		t.Siblings = append(t.Siblings, vt.Siblings...)
		if t.ASSet == "" {
			t.ASSet = vt.ASSet
		}
	}
	t.Expected = uniquePrefixes(t.Expected)
	return t, nil
}

func uniquePrefixes(ps []netip.Prefix) []netip.Prefix {
	seen := map[netip.Prefix]bool{}
	out := ps[:0]
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

type checkJSON struct {
	ASN       uint32      `json:"asn"`
	Check     string      `json:"check"`
	Title     string      `json:"title"`
	Status    string      `json:"status"`
	Figure    *float64    `json:"figure"`
	Summary   string      `json:"summary"`
	Details   []rw.Detail `json:"details"`
	Snapshots []int64     `json:"snapshots"`
}

type snapshotJSON struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	Source   string `json:"source"`
	Format   string `json:"format"`
	DataTime string `json:"data_time,omitempty"`
	Imported string `json:"imported_at"`
	Records  int64  `json:"records"`
	Digest   string `json:"digest"`
}

func writeCheckJSON(stdout, stderr io.Writer, data *evidence.Data, all []rw.CheckResult) int {
	out := struct {
		Results   []checkJSON    `json:"results"`
		Snapshots []snapshotJSON `json:"snapshots"`
	}{Results: []checkJSON{}, Snapshots: []snapshotJSON{}}
	for _, r := range all {
		def, _ := rw.FindCheck(r.Check)
		d := r.Details
		if d == nil {
			d = []rw.Detail{}
		}
		out.Results = append(out.Results, checkJSON{r.ASN, r.Check, def.Title, string(r.Status), r.Figure, r.Summary, d, r.Snapshots})
	}
	for _, k := range rw.SnapshotKinds {
		if s := data.Snapshots[k]; s != nil {
			sj := snapshotJSON{ID: s.ID, Kind: s.Kind, Source: s.Source, Format: s.Format, Imported: s.ImportedAt.Format("2006-01-02T15:04:05Z"), Records: s.Records, Digest: s.Digest}
			if s.DataTime != nil {
				sj.DataTime = s.DataTime.UTC().Format("2006-01-02T15:04:05Z")
			}
			out.Snapshots = append(out.Snapshots, sj)
		}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fail(stderr, err)
	}
	return exitOK
}

func writeCheckTable(w io.Writer, data *evidence.Data, all []rw.CheckResult) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ASN\tCHECK\tSTATUS\tFIGURE\tSUMMARY")
	for _, r := range all {
		fig := "—"
		if r.Figure != nil {
			fig = strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", *r.Figure), "0"), ".")
		}
		fmt.Fprintf(tw, "AS%d\t%s\t%s\t%s\t%s\n", r.ASN, r.Check, strings.ToUpper(string(r.Status)), fig, r.Summary)
	}
	tw.Flush()
	fmt.Fprintln(w)
	for _, k := range rw.SnapshotKinds {
		if s := data.Snapshots[k]; s != nil {
			fmt.Fprintf(w, "%-9s snapshot %d: %s (%s, %d records, imported %s)\n", k, s.ID, s.Source, s.Format, s.Records, s.ImportedAt.Format("2006-01-02 15:04 UTC"))
		} else {
			fmt.Fprintf(w, "%-9s no data imported\n", k)
		}
	}
}

// checkBands returns the embedded control library's thresholds, which grade the checks'
// figures (one source of thresholds for pages, the CLI and the assessments).
func checkBands() (evidence.Bands, error) {
	set, err := controls.Shipped()
	if err != nil {
		return nil, fmt.Errorf("control library: %w", err)
	}
	return evidence.LibraryBands(set), nil
}
