package store_test

import (
	"context"
	"testing"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
)

// TestAssessmentAssignee: the owner is stored, filtered on, audited and cleared, on both
// databases.
func TestAssessmentAssignee(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := newAssessment(t, db), newAssessment(t, db)
		who := "procurement@example.org"
		ev := rw.Event(a.ID, "lead@example.org", "assessment.assigned", "Owner: nobody → %s.", who)
		got, err := db.UpdateAssessment(ctx, a.ID, rw.AssessmentUpdate{Assignee: &who}, &ev)
		if err != nil || got.Assignee != who || got.Version != a.Version+1 {
			t.Fatalf("assign: %+v %v", got, err)
		}
		list, n, err := db.FindAssessments(ctx, rw.AssessmentFilter{Assignee: who})
		if err != nil || n != 1 || list[0].ID != a.ID || list[0].Assignee != who {
			t.Fatalf("filter by assignee: %d %v", n, err)
		}
		if _, n, _ := db.FindAssessments(ctx, rw.AssessmentFilter{}); n != 2 {
			t.Errorf("unfiltered: %d", n)
		}
		if got, _ := db.FindAssessmentByID(ctx, b.ID); got.Assignee != "" {
			t.Errorf("new assessment owned by %q", got.Assignee)
		}
		nobody := ""
		if got, err := db.UpdateAssessment(ctx, a.ID, rw.AssessmentUpdate{Assignee: &nobody}, nil); err != nil || got.Assignee != "" {
			t.Fatalf("unassign: %+v %v", got, err)
		}
		evs, _ := db.FindAuditEvents(ctx, a.ID)
		if last := evs[len(evs)-1]; last.Action != "assessment.assigned" {
			t.Errorf("last event %s", last.Action)
		}
	})
}
