package report_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"routewarden/controls"
	"routewarden/internal/control"
	"routewarden/internal/demo"
	"routewarden/internal/report"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
	"routewarden/internal/secret"
	"routewarden/internal/store"
	"routewarden/internal/store/storetest"
)

func coverageSources(t *testing.T, db *store.DB, rescore bool) report.CoverageSources {
	t.Helper()
	set, err := controls.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	src := report.CoverageSources{Vendors: db, Assessments: db, Libraries: set, Catalogue: set.Catalogue, Current: set.Latest()[0]}
	if rescore {
		src.Rescore = func(ctx context.Context, a *rw.Assessment, l *control.Library) (map[string]rw.ControlOutcome, error) {
			return score.KeepOutcomes(ctx, db, db, l, a, db.Now())
		}
	}
	return src
}

// TestLoadCoverageDemo reads the demo portfolio from a real SQLite database: the approved
// assessments' results were kept when they were scored, and the heatmap has met, partly met
// and failed cells as well as suppliers without an approved assessment (unknown).
func TestLoadCoverageDemo(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	hash := func(p string) (string, error) { return secret.HashPassword(p, secret.Fast) }
	if _, err := demo.Seed(ctx, demo.Stores{Users: db, Vendors: db, Snapshots: db, Now: db.Now}, hash); err != nil {
		t.Fatal(err)
	}
	cov, err := report.LoadCoverage(ctx, coverageSources(t, db, false), db.Now(), report.CoverageFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cov.Obligations) < 10 || len(cov.Suppliers) < 3 {
		t.Fatalf("%d obligations × %d suppliers", len(cov.Obligations), len(cov.Suppliers))
	}
	for _, st := range []string{report.CoverMet, report.CoverPartly, report.CoverFailed, report.CoverUnknown} {
		if cov.Counts[st] == 0 {
			t.Errorf("the demo has no %s cell: %v", st, cov.Counts)
		}
	}
	assessed := 0
	for _, s := range cov.Suppliers {
		if s.AssessmentID != 0 {
			assessed++
			for _, c := range s.Cells {
				if c.Reason == "The results of its decided assessment were not kept; open the assessment to score it again." {
					t.Errorf("%s: results of the approved assessment %d not kept", s.Vendor, s.AssessmentID)
				}
			}
		}
	}
	if assessed == 0 {
		t.Fatal("no demo supplier has an approved assessment")
	}
}

// TestLoadCoverageRescores: an approved assessment whose results were never kept (approved
// before they were) is scored once and its results kept; without Rescore its cells say why
// they are unknown.
func TestLoadCoverageRescores(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	hash := func(p string) (string, error) { return secret.HashPassword(p, secret.Fast) }
	if _, err := demo.Seed(ctx, demo.Stores{Users: db, Vendors: db, Snapshots: db, Now: db.Now}, hash); err != nil {
		t.Fatal(err)
	}
	if err := db.SQL().QueryRowContext(ctx, "SELECT 1").Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, "DELETE FROM assessment_outcomes"); err != nil {
		t.Fatal(err)
	}
	cov, err := report.LoadCoverage(ctx, coverageSources(t, db, false), db.Now(), report.CoverageFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if cov.Counts[report.CoverMet]+cov.Counts[report.CoverFailed]+cov.Counts[report.CoverPartly] != 0 {
		t.Errorf("without kept results and without Rescore: %v", cov.Counts)
	}
	before := cov.Counts[report.CoverUnknown]
	cov, err = report.LoadCoverage(ctx, coverageSources(t, db, true), db.Now(), report.CoverageFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if cov.Counts[report.CoverMet] == 0 || cov.Counts[report.CoverUnknown] >= before {
		t.Errorf("after rescoring: %v (unknown before: %d)", cov.Counts, before)
	}
	var n int
	if err := db.SQL().QueryRowContext(ctx, "SELECT COUNT(*) FROM assessment_outcomes").Scan(&n); err != nil || n == 0 {
		t.Errorf("results kept after rescoring: %d (%v)", n, err)
	}
}

// plainStores hides store.DB's lean reads (CoverageVendors, DecidedAssessments, AllVendors):
// LoadCoverage then reads as it would from any VendorStore and assessment store.
type plainStores struct {
	rw.VendorStore
	assessments interface {
		FindAssessments(context.Context, rw.AssessmentFilter) ([]*rw.Assessment, int, error)
		FindOutcomes(context.Context, []int64) (map[int64]map[string]rw.ControlOutcome, error)
	}
}

func (p plainStores) FindAssessments(ctx context.Context, f rw.AssessmentFilter) ([]*rw.Assessment, int, error) {
	return p.assessments.FindAssessments(ctx, f)
}

func (p plainStores) FindOutcomes(ctx context.Context, ids []int64) (map[int64]map[string]rw.ControlOutcome, error) {
	return p.assessments.FindOutcomes(ctx, ids)
}

// TestLoadCoverageLeanReadsMatch: the lean reads of store.DB give the same coverage as paging
// through any store, for every filter, with kept results and when results are scored again
// (the rescore reads the whole assessment), on both databases.
func TestLoadCoverageLeanReadsMatch(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			db := b.Open(t)
			hash := func(p string) (string, error) { return secret.HashPassword(p, secret.Fast) }
			if _, err := demo.Seed(ctx, demo.Stores{Users: db, Vendors: db, Snapshots: db, Now: db.Now}, hash); err != nil {
				t.Fatal(err)
			}
			now := db.Now()
			yes, no := true, false
			filters := []report.CoverageFilter{{}, {Regulation: "NIS2"}, {Regulation: "DORA"}, {Critical: &yes}, {Critical: &no}, {Tier: "Critical"}}
			load := func(lean, rescore bool, f report.CoverageFilter) *report.Coverage {
				t.Helper()
				src := coverageSources(t, db, rescore)
				if !lean {
					p := plainStores{VendorStore: db, assessments: db}
					src.Vendors, src.Assessments = p, p
				}
				cov, err := report.LoadCoverage(ctx, src, now, f)
				if err != nil {
					t.Fatal(err)
				}
				return cov
			}
			for _, f := range filters {
				if want, got := load(false, false, f), load(true, false, f); !reflect.DeepEqual(want, got) {
					t.Errorf("filter %+v: lean reads differ: %s", f, firstDiff(want, got))
				}
			}
			forget := func() {
				if err := db.Exec(ctx, "DELETE FROM assessment_outcomes"); err != nil {
					t.Fatal(err)
				}
			}
			forget()
			want := load(false, true, report.CoverageFilter{})
			forget()
			got := load(true, true, report.CoverageFilter{})
			if got.Counts[report.CoverMet] == 0 || !reflect.DeepEqual(want, got) {
				t.Errorf("rescored: lean reads differ: %s", firstDiff(want, got))
			}
		})
	}
}

// firstDiff names the first supplier or column where two coverages differ.
func firstDiff(want, got *report.Coverage) string {
	if len(want.Suppliers) != len(got.Suppliers) {
		return fmt.Sprintf("%d suppliers, want %d", len(got.Suppliers), len(want.Suppliers))
	}
	for i := range want.Suppliers {
		if w, g := want.Suppliers[i], got.Suppliers[i]; !reflect.DeepEqual(w, g) {
			w.Cells, g.Cells = nil, nil
			return fmt.Sprintf("supplier %d:\n got  %+v\n want %+v", i, g, w)
		}
	}
	if !reflect.DeepEqual(want.Obligations, got.Obligations) {
		return fmt.Sprintf("columns:\n got  %+v\n want %+v", got.Obligations, want.Obligations)
	}
	return fmt.Sprintf("counts, unmapped or header:\n got  %v %v %v %+v\n want %v %v %v %+v", got.Counts, got.Unmapped, got.GeneratedAt, got.Filter,
		want.Counts, want.Unmapped, want.GeneratedAt, want.Filter)
}
