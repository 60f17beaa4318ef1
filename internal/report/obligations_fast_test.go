package report

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"routewarden/controls"
	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// mixedSuppliers are suppliers in every situation the rule distinguishes: each framework
// declared or not (in any case, several services), no decided assessment, a library version
// not loaded, results not kept, results missing or not applicable for some controls, waived
// shortfalls, two library versions that map differently, names equal but for case, and tiers.
func mixedSuppliers(t *testing.T) (*control.Catalogue, *control.Library, []CoverageSource) {
	t.Helper()
	set, err := controls.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	lib := set.Latest()[0]
	// An older version: fewer controls, one mapping more, one less.
	old := &control.Library{Name: lib.Name, Version: "old", Controls: cloneControls(lib.Controls[:len(lib.Controls)*2/3])}
	old.Controls[0].Obligations = append(append([]string{}, old.Controls[0].Obligations...), old.Controls[1].Obligations...)
	old.Controls[2].Obligations = nil
	statuses := []string{"met", "met", "partially_met", "not_met", "unknown", "not_applicable"}
	regSets := [][]string{{"DORA", "NIS2"}, {"nis2"}, {"CER"}, {"RTS1773"}, nil, {"DORA", "NIS2", "CER"}}
	tiers := []string{"Critical", "High", "", "critical"}
	decided := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var out []CoverageSource
	for i := range 240 {
		v := &rw.Vendor{ID: int64(i + 1), LegalName: fmt.Sprintf("Supplier %03d", i%200), Demo: i%9 == 0, Critical: i%11 == 0}
		if i%2 == 0 {
			v.LegalName = fmt.Sprintf("supplier %03d", i%200)
		}
		v.Services = []*rw.Service{{Critical: i%4 == 0, Regulations: regSets[i%len(regSets)]}}
		if i%5 == 0 {
			v.Services = append(v.Services, &rw.Service{Critical: i%3 == 0, Regulations: regSets[(i+1)%len(regSets)]})
		}
		s := CoverageSource{Vendor: v}
		l := lib
		if i%3 == 1 {
			l = old
		}
		switch i % 13 {
		case 0: // never assessed
		case 1: // library version not loaded
			s.Assessment = &rw.Assessment{ID: int64(i + 1), Library: lib.Name, LibraryVersion: "gone", State: rw.StateApproved, DecidedAt: &decided}
		case 2: // results not kept
			s.Assessment = &rw.Assessment{ID: int64(i + 1), Library: l.Name, LibraryVersion: l.Version, State: rw.StateRejected, DecidedAt: &decided}
			s.Library = l
		case 4: // results kept, but none for any control
			s.Assessment = &rw.Assessment{ID: int64(i + 1), Library: l.Name, LibraryVersion: l.Version, State: rw.StateApproved, DecidedAt: &decided}
			s.Library, s.Outcomes = l, map[string]rw.ControlOutcome{}
		default:
			s.Assessment = &rw.Assessment{ID: int64(i + 1), Library: l.Name, LibraryVersion: l.Version, State: rw.StateApproved, DecidedAt: &decided,
				Summary: rw.Summary{Tier: tiers[i%len(tiers)]}}
			s.Library = l
			s.Outcomes = map[string]rw.ControlOutcome{}
			for j, c := range l.Controls {
				if (i+j)%7 == 0 {
					continue // no result kept for this control
				}
				st := statuses[(i+j)%len(statuses)]
				if i%13 == 3 {
					st = "not_applicable"
				}
				s.Outcomes[c.ID] = rw.ControlOutcome{Status: st, Basis: c.Basis, Waived: (i+j)%17 == 0}
			}
		}
		out = append(out, s)
	}
	return set.Catalogue, lib, out
}

func cloneControls(cs []control.Control) []control.Control {
	out := make([]control.Control, len(cs))
	copy(out, cs)
	return out
}

// TestComputeCoverageMatchesReference: the fast computation gives exactly what the reference
// (the computation before, obligations_reference_test.go) gives, for every filter; with
// CellRows, the rows in range are the same and the others differ only in having no cells.
func TestComputeCoverageMatchesReference(t *testing.T) {
	cat, lib, sups := mixedSuppliers(t)
	t.Run("maps", func(t *testing.T) { matchReference(t, cat, lib, sups, sups) })
	// The same results as lists sorted by control ID (store.FindOutcomeLists), against the
	// reference on the maps.
	lists := make([]CoverageSource, len(sups))
	for i, s := range sups {
		if s.Outcomes != nil {
			s.Kept = []rw.KeptOutcome{}
			for id, o := range s.Outcomes {
				s.Kept = append(s.Kept, rw.KeptOutcome{Control: id, ControlOutcome: o})
			}
			slices.SortFunc(s.Kept, func(a, b rw.KeptOutcome) int { return strings.Compare(a.Control, b.Control) })
			s.Outcomes = nil
		}
		lists[i] = s
	}
	t.Run("lists", func(t *testing.T) { matchReference(t, cat, lib, sups, lists) })
}

// matchReference compares ComputeCoverage over sups with the reference over ref, the same
// suppliers.
func matchReference(t *testing.T, cat *control.Catalogue, lib *control.Library, ref, sups []CoverageSource) {
	t.Helper()
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	yes, no := true, false
	for _, reg := range []string{"", "DORA", "nis2", "RTS1773", "CER"} {
		for _, tier := range []string{"", "Critical", "High"} {
			for _, crit := range []*bool{nil, &yes, &no} {
				in := CoverageInput{Now: now, Catalogue: cat, Current: lib, Suppliers: sups, Filter: CoverageFilter{Regulation: reg, Tier: tier, Critical: crit}}
				refIn := in
				refIn.Suppliers = ref
				name := fmt.Sprintf("regulation %q tier %q critical %v", reg, tier, crit)
				want, got := refComputeCoverage(refIn), ComputeCoverage(in)
				if !reflect.DeepEqual(want, got) {
					t.Fatalf("%s: differs from the reference: %s", name, coverageDiff(want, got))
				}
				for _, rows := range []RowRange{{0, 50}, {50, 100}, {230, 300}, {-5, 3}, {400, 450}, {7, 2}} {
					in.CellRows = &rows
					page := ComputeCoverage(in)
					lo, hi := min(max(rows.From, 0), len(want.Suppliers)), min(max(rows.To, 0), len(want.Suppliers))
					for i := range want.Suppliers {
						w := want.Suppliers[i]
						if i < lo || i >= hi {
							w.Cells = nil
						}
						if !reflect.DeepEqual(w, page.Suppliers[i]) {
							t.Fatalf("%s, rows %v: row %d differs:\n got  %+v\n want %+v", name, rows, i, page.Suppliers[i], w)
						}
					}
					page.Suppliers, want.Suppliers = nil, nil
					if !reflect.DeepEqual(want, page) {
						t.Fatalf("%s, rows %v: columns or counts differ: %s", name, rows, coverageDiff(want, page))
					}
					want = refComputeCoverage(refIn)
				}
			}
		}
	}
}

// coverageDiff names the first row or column where two coverages differ.
func coverageDiff(want, got *Coverage) string {
	if len(want.Suppliers) != len(got.Suppliers) {
		return fmt.Sprintf("%d rows, want %d", len(got.Suppliers), len(want.Suppliers))
	}
	for i := range want.Suppliers {
		if !reflect.DeepEqual(want.Suppliers[i], got.Suppliers[i]) {
			return fmt.Sprintf("row %d:\n got  %+v\n want %+v", i, got.Suppliers[i], want.Suppliers[i])
		}
	}
	for j := range want.Obligations {
		if j >= len(got.Obligations) || !reflect.DeepEqual(want.Obligations[j], got.Obligations[j]) {
			return fmt.Sprintf("column %d: got %+v, want %+v", j, got.Obligations[min(j, len(got.Obligations)-1)], want.Obligations[j])
		}
	}
	return fmt.Sprintf("counts %v, want %v; unmapped %v, want %v", got.Counts, want.Counts, got.Unmapped, want.Unmapped)
}
