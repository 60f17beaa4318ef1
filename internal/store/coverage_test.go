package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
)

// TestCoverageVendorsMatchesAllVendors: the lean read gives every vendor in AllVendors' order
// with the same id, name, demo flag and critical flag, and services with the same critical
// flags and regulations, on both databases: vendors with several services, none, a demo one,
// names that sort differently by case.
func TestCoverageVendorsMatchesAllVendors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, tc := range []struct {
			name string
			demo bool
			svcs []*rw.Service
		}{
			{"bravo Networks", false, []*rw.Service{
				{Name: "Transit", Type: "S10", ProviderType: rw.ProviderTransit, Regulations: []string{"DORA", "nis2"}},
				{Name: "IX", Type: "S10", ProviderType: rw.ProviderTransit, Critical: true, Regulations: []string{"CER"}}}},
			{"Alpha Transit", true, []*rw.Service{{Name: "Transit", Type: "S10", ProviderType: rw.ProviderTransit}}},
			{"Charlie Cloud", false, nil},
			{"alpha transit", false, []*rw.Service{{Name: "Transit", Type: "S10", ProviderType: rw.ProviderTransit, Critical: true, Regulations: []string{"DORA"}}}},
		} {
			v := &rw.Vendor{LegalName: tc.name, Country: "DE", Demo: tc.demo, Services: tc.svcs,
				Contacts: []*rw.Contact{{Name: "NOC", Email: "noc@example.net", Role: "technical"}}}
			if err := db.CreateVendor(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
		lean, err := db.CoverageVendors(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all, err := db.AllVendors(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(lean) != len(all) {
			t.Fatalf("%d vendors lean, %d in full", len(lean), len(all))
		}
		for i, v := range all {
			l := lean[i]
			if l.ID != v.ID || l.LegalName != v.LegalName || l.Demo != v.Demo || l.Critical != v.Critical || l.ServiceCount != v.ServiceCount {
				t.Errorf("position %d: lean %+v, in full %+v", i, l, v)
				continue
			}
			if len(l.Services) != len(v.Services) {
				t.Errorf("%s: %d services lean, %d in full", v.LegalName, len(l.Services), len(v.Services))
				continue
			}
			for j, s := range v.Services {
				if ls := l.Services[j]; ls.ID != s.ID || ls.VendorID != s.VendorID || ls.Critical != s.Critical || !slices.Equal(ls.Regulations, s.Regulations) {
					t.Errorf("%s service %d: lean %+v, in full %+v", v.LegalName, j, ls, s)
				}
			}
		}
	})
}

// TestDecidedAssessments: every approved or rejected assessment and nothing else, each with
// the fields the coverage reads as FindAssessments gives them, on both databases.
func TestDecidedAssessments(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		v := &rw.Vendor{LegalName: "Decided Networks", Country: "DE"}
		if err := db.CreateVendor(ctx, v); err != nil {
			t.Fatal(err)
		}
		path := map[rw.AssessmentState][]rw.AssessmentState{
			rw.StateDraft:     nil,
			rw.StateInReview:  {rw.StateSent, rw.StateInProgress, rw.StateSubmitted, rw.StateInReview},
			rw.StateApproved:  {rw.StateSent, rw.StateInProgress, rw.StateSubmitted, rw.StateInReview, rw.StateApproved},
			rw.StateRejected:  {rw.StateSent, rw.StateInProgress, rw.StateSubmitted, rw.StateInReview, rw.StateRejected},
			rw.StateCancelled: {rw.StateCancelled},
		}
		tiers := map[rw.AssessmentState]string{rw.StateApproved: "Critical", rw.StateRejected: ""}
		for _, end := range []rw.AssessmentState{rw.StateDraft, rw.StateInReview, rw.StateApproved, rw.StateRejected, rw.StateCancelled} {
			a := &rw.Assessment{VendorID: v.ID, Title: string(end), Library: "routewarden-manrs", LibraryVersion: "2026.1", LibraryDigest: "abc",
				Scope: []rw.ProviderType{rw.ProviderTransit}, DueDate: time.Date(2030, 1, 31, 0, 0, 0, 0, time.UTC),
				Summary: rw.Summary{Tier: tiers[end], Compliance: 0.5, Readiness: map[string]float64{"NetOps 1": 1}}}
			if err := db.CreateAssessment(ctx, a, nil, nil, "test"); err != nil {
				t.Fatal(err)
			}
			for _, st := range path[end] {
				if _, err := db.Transition(ctx, a.ID, st, rw.AuditEvent{Actor: "test"}); err != nil {
					t.Fatalf("%s → %s: %v", a.Title, st, err)
				}
			}
		}
		want, _, err := db.FindAssessments(ctx, rw.AssessmentFilter{States: []rw.AssessmentState{rw.StateApproved, rw.StateRejected}, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.DecidedAssessments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || len(want) != 2 {
			t.Fatalf("%d decided assessments, FindAssessments gives %d; want 2", len(got), len(want))
		}
		byID := map[int64]*rw.Assessment{}
		for _, a := range got {
			byID[a.ID] = a
		}
		for _, w := range want {
			g := byID[w.ID]
			if g == nil {
				t.Errorf("assessment %d (%s) missing", w.ID, w.State)
				continue
			}
			if g.VendorID != w.VendorID || g.Library != w.Library || g.LibraryVersion != w.LibraryVersion || g.State != w.State ||
				g.Summary.Tier != w.Summary.Tier || !g.UpdatedAt.Equal(w.UpdatedAt) || g.DecidedAt == nil || w.DecidedAt == nil || !g.DecidedAt.Equal(*w.DecidedAt) {
				t.Errorf("assessment %d: lean %+v, FindAssessments %+v", w.ID, g, w)
			}
			if g.Summary.Tier != tiers[w.State] {
				t.Errorf("assessment %d (%s): tier %q, want %q", w.ID, w.State, g.Summary.Tier, tiers[w.State])
			}
		}
	})
}

// TestFindOutcomeLists: the kept results as lists are FindOutcomes' maps sorted by control ID,
// with the same assessments present (kept, kept empty) and absent (never kept, unreadable), on
// both databases.
func TestFindOutcomeLists(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		v := &rw.Vendor{LegalName: "Kept Networks", Country: "DE"}
		if err := db.CreateVendor(ctx, v); err != nil {
			t.Fatal(err)
		}
		kept := []map[string]rw.ControlOutcome{
			{"RS-ROV-01": {Status: "met", Basis: "measured"}, "RS-FILT-02": {Status: "not_met", Basis: "declared", Waived: true}, "RS-GOV-08": {Status: "unknown"}},
			{},                             // kept, no control
			nil,                            // never kept
			{"RS-ROV-01": {Status: "met"}}, // made unreadable below
		}
		var ids []int64
		for i, out := range kept {
			a := &rw.Assessment{VendorID: v.ID, Title: "Kept", Library: "routewarden-manrs", LibraryVersion: "2026.1", LibraryDigest: "abc",
				Scope: []rw.ProviderType{rw.ProviderTransit}, DueDate: time.Date(2030, 1, 31, 0, 0, 0, 0, time.UTC)}
			if err := db.CreateAssessment(ctx, a, nil, nil, "test"); err != nil {
				t.Fatal(err)
			}
			if out != nil {
				if _, err := db.UpdateAssessment(ctx, a.ID, rw.AssessmentUpdate{Outcomes: out}, nil); err != nil {
					t.Fatalf("keep results %d: %v", i, err)
				}
			}
			ids = append(ids, a.ID)
		}
		if err := db.Exec(ctx, "UPDATE assessment_outcomes SET outcomes = '{\"RS-ROV-01\":{\"s\":\"met\"}}' WHERE assessment_id = "+fmt.Sprint(ids[3])); err != nil {
			t.Fatal(err)
		}
		maps, err := db.FindOutcomes(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		lists, err := db.FindOutcomeLists(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		if len(maps) != 2 || len(lists) != len(maps) {
			t.Fatalf("%d maps, %d lists; want 2 (kept, kept empty)", len(maps), len(lists))
		}
		for id, m := range maps {
			l, ok := lists[id]
			if !ok || l == nil || len(l) != len(m) {
				t.Errorf("assessment %d: list %v, map %v", id, l, m)
				continue
			}
			for i, x := range l {
				if i > 0 && l[i-1].Control >= x.Control || m[x.Control] != x.ControlOutcome {
					t.Errorf("assessment %d: list %v, map %v", id, l, m)
				}
			}
		}
	})
}
