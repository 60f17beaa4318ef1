package demo_test

import (
	"context"
	"testing"

	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
	"routewarden/internal/secret"
	"routewarden/internal/store/storetest"
)

// TestSeedAssessments checks that the demo covers every lifecycle state and that the approved
// assessment carries readiness, bases and a resolved discrepancy.
func TestSeedAssessments(t *testing.T) {
	for _, world := range []bool{true, false} {
		t.Run(map[bool]string{true: "routing world", false: "synthetic measurements"}[world], func(t *testing.T) { seedAssessments(t, world) })
	}
}

func seedAssessments(t *testing.T, world bool) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	st := demo.Stores{Users: db, Vendors: db, Now: db.Now}
	if world {
		st.Snapshots = db
	}
	res, err := demo.Seed(ctx, st, func(p string) (string, error) { return secret.HashPassword(p, secret.Fast) })
	if err != nil {
		t.Fatal(err)
	}
	list, _, err := db.FindAssessments(ctx, rw.AssessmentFilter{})
	if err != nil || res.Assessments != len(list) {
		t.Fatalf("%d seeded, %d listed, %v", res.Assessments, len(list), err)
	}
	states := map[rw.AssessmentState]*rw.Assessment{}
	for _, a := range list {
		states[a.State] = a
	}
	for _, s := range rw.AssessmentStates {
		if states[s] == nil {
			t.Errorf("no demo assessment is %s", s)
		}
	}
	lib, _ := demo.Library()
	ap := states[rw.StateApproved]
	in, err := score.Gather(ctx, db, db, lib, ap, db.Now())
	if err != nil {
		t.Fatal(err)
	}
	r := score.Evaluate(in)
	if len(r.Discrepancies) == 0 || len(r.OpenDiscrepancies()) != 0 || len(r.Readiness) == 0 || !r.Progress.Complete() {
		t.Errorf("approved demo: %d discrepancies, %d readiness, progress %+v", len(r.Discrepancies), len(r.Readiness), r.Progress)
	}
	if ap.Summary.Rating == "" || ap.Summary.Readiness["netops-1"] == 0 {
		t.Errorf("approved summary = %+v", ap.Summary)
	}
	rej := states[rw.StateRejected]
	if rej.Summary.Rating != "severe" {
		t.Errorf("rejected demo rated %q, want severe", rej.Summary.Rating)
	}
	rev := states[rw.StateInReview]
	if rev.Summary.Discrepancies == 0 {
		t.Errorf("in-review demo has no open discrepancy: %+v", rev.Summary)
	}
	if rep, err := db.VerifyAudit(ctx); err != nil || !rep.Intact() || rep.Events < 50 {
		t.Errorf("audit chain: %+v, %v", rep, err)
	}
	// Seeding again adds nothing.
	if res, err := demo.Seed(ctx, st, func(p string) (string, error) { return "x", nil }); err != nil || res.Assessments != 0 {
		t.Errorf("second seed: %+v %v", res, err)
	}
}
