package web

import (
	"context"
	"fmt"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
)

// handoff is what the assessment and review pages say about who acts next, and why the
// decision buttons that would fail are disabled.
type handoff struct {
	Next rw.NextStep
	// ApproveBlocked says why approval would fail now ("" when it would not).
	ApproveBlocked string
	// OpenDiscrepancies and AwaitingReview are the counts behind the step, for links.
	OpenDiscrepancies int
	AwaitingReview    int
}

// workloadOf returns the counts of the assessment's next step from a fresh report.
func workloadOf(r score.Report, attested bool) rw.Workload {
	return rw.Workload{OpenQuestions: len(r.Progress.Missing) + len(r.Progress.MissingEvidence), AwaitingReview: r.Progress.AwaitingReview,
		ChangesRequested: r.Progress.ChangesRequested, OpenDiscrepancies: len(r.OpenDiscrepancies()), Attested: attested}
}

// handoffOf says who acts next on the assessment and what blocks its approval.
func (s *Server) handoffOf(a *rw.Assessment, r score.Report, attested bool) handoff {
	w := workloadOf(r, attested)
	h := handoff{Next: a.Next(w, s.now()), OpenDiscrepancies: w.OpenDiscrepancies, AwaitingReview: w.AwaitingReview}
	if w.OpenDiscrepancies > 0 {
		h.ApproveBlocked = fmt.Sprintf("%s open: procurement resolves them before approval.", discrepancyCount(w.OpenDiscrepancies))
	}
	return h
}

func discrepancyCount(n int) string {
	if n == 1 {
		return "1 discrepancy is"
	}
	return fmt.Sprintf("%d discrepancies are", n)
}

// nextSteps returns the next step of each listed assessment from its stored summary; an
// approved one is attested when it has an attestation in force.
func (s *Server) nextSteps(ctx context.Context, list []*rw.Assessment) (map[int64]rw.NextStep, error) {
	out := make(map[int64]rw.NextStep, len(list))
	now := s.now()
	var approved []int64
	for _, a := range list {
		if a.State == rw.StateApproved {
			approved = append(approved, a.ID)
		}
	}
	attested := map[int64]bool{}
	if len(approved) > 0 && s.deps.Attestations != nil {
		var err error
		if attested, err = s.deps.Attestations.AttestedAssessments(ctx, approved); err != nil {
			return nil, err
		}
	}
	for _, a := range list {
		w := a.Summary.Workload()
		w.Attested = attested[a.ID]
		out[a.ID] = a.Next(w, now)
	}
	return out, nil
}

// assessmentTable is one table of an assessment list page (the review queue shows two).
type assessmentTable struct {
	P    assessmentListView
	List []*rw.Assessment
	ID   string
}

// Table returns the rows list as a table with the HTML id id.
func (v assessmentListView) Table(list []*rw.Assessment, id string) assessmentTable {
	return assessmentTable{P: v, List: list, ID: id}
}
