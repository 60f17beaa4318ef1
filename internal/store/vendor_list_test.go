package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
)

// TestFindVendorsSortByLatestAssessment sorts by the columns of each vendor's latest
// assessment that is not cancelled; vendors without one come last in both directions.
func TestFindVendorsSortByLatestAssessment(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		day := func(d int) time.Time { return time.Date(2027, 1, d, 0, 0, 0, 0, time.UTC) }
		add := func(name string, sums ...rw.Summary) *rw.Vendor {
			v := &rw.Vendor{LegalName: name, Country: "DE"}
			if err := db.CreateVendor(ctx, v); err != nil {
				t.Fatal(err)
			}
			for i, s := range sums {
				a := &rw.Assessment{VendorID: v.ID, Title: "Routing", Library: "routewarden-manrs", LibraryVersion: "2026.1", LibraryDigest: "x",
					Scope: []rw.ProviderType{rw.ProviderTransit}, DueDate: day(len(name) + i), Summary: s}
				if err := db.CreateAssessment(ctx, a, nil, nil, "test"); err != nil {
					t.Fatal(err)
				}
			}
			return v
		}
		a := add("Alpha", rw.Summary{Rating: "high", Tier: "Low"})                                                  // due day 5
		add("Bravo", rw.Summary{Rating: "severe", Tier: "Critical"})                                                // due day 5
		add("Charlie", rw.Summary{Rating: "low", Tier: "Moderate"}, rw.Summary{Rating: "medium", Tier: "Elevated"}) // latest: medium, due day 8
		add("Delta")                                                                                                // no assessment
		e := add("Echo", rw.Summary{Rating: "low", Tier: "Critical"}, rw.Summary{Rating: "severe"})
		// Echo's newest assessment is cancelled: its earlier one (low, due day 4) counts.
		list, _, err := db.FindAssessments(ctx, rw.AssessmentFilter{VendorID: e.ID})
		if err != nil {
			t.Fatal(err)
		}
		newest := list[0]
		for _, a := range list {
			if a.ID > newest.ID {
				newest = a
			}
		}
		if _, err := db.Transition(ctx, newest.ID, rw.StateCancelled, rw.AuditEvent{Actor: "test"}); err != nil {
			t.Fatal(err)
		}
		alpha, _, err := db.FindAssessments(ctx, rw.AssessmentFilter{VendorID: a.ID})
		if err != nil || len(alpha) != 1 {
			t.Fatal(alpha, err)
		}
		if _, err := db.Transition(ctx, alpha[0].ID, rw.StateSent, rw.AuditEvent{Actor: "test"}); err != nil {
			t.Fatal(err)
		}
		cases := []struct{ sort, want string }{
			{"", "Alpha Bravo Charlie Delta Echo"},
			{"-name", "Echo Delta Charlie Bravo Alpha"},
			{"rating", "Echo Charlie Alpha Bravo Delta"},
			{"-rating", "Bravo Alpha Charlie Echo Delta"},
			{"tier", "Alpha Charlie Bravo Echo Delta"},
			{"-tier", "Bravo Echo Charlie Alpha Delta"},
			{"due", "Echo Alpha Bravo Charlie Delta"},
			{"-due", "Charlie Alpha Bravo Echo Delta"},
			{"state", "Bravo Charlie Echo Alpha Delta"},
			{"-state", "Alpha Bravo Charlie Echo Delta"},
			{"bogus", "Alpha Bravo Charlie Delta Echo"},
		}
		for _, tc := range cases {
			got, total, err := db.FindVendors(ctx, rw.VendorFilter{Sort: tc.sort})
			if err != nil {
				t.Fatal(tc.sort, err)
			}
			var names []string
			for _, v := range got {
				names = append(names, v.LegalName)
			}
			if strings.Join(names, " ") != tc.want || total != 5 {
				t.Errorf("sort %q: got %v (total %d), want %s", tc.sort, names, total, tc.want)
			}
		}
		got, _, err := db.FindVendors(ctx, rw.VendorFilter{Sort: "-rating", Limit: 2, Offset: 1})
		if err != nil || len(got) != 2 || got[0].LegalName != "Alpha" || got[0].Latest == nil || got[0].Latest.Rating != "high" ||
			got[0].Latest.Tier != "Low" || !got[0].Latest.DueDate.Equal(day(5)) || got[0].Latest.State != rw.StateSent {
			t.Fatalf("page 2 of -rating: %+v %v", got, err)
		}
		if d, _, _ := db.FindVendors(ctx, rw.VendorFilter{Query: "Delta"}); len(d) != 1 || d[0].Latest != nil {
			t.Fatalf("a vendor without assessments has a latest one: %+v", d)
		}
		if ec, _, _ := db.FindVendors(ctx, rw.VendorFilter{Query: "Echo"}); len(ec) != 1 || ec[0].Latest == nil || ec[0].Latest.Rating != "low" {
			t.Fatalf("the cancelled assessment counts as Echo's latest: %+v", ec[0].Latest)
		}
	})
}
