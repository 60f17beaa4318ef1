package score

import (
	"context"
	"time"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// Gather reads, through the domain's store interfaces, everything Evaluate needs about one
// assessment. The scoring itself stays pure; this is the one place that collects its input.
func Gather(ctx context.Context, as rw.AssessmentStore, vs rw.VendorStore, lib *control.Library, a *rw.Assessment, now time.Time) (Input, error) {
	in := Input{Library: lib, Scope: a.ScopeStrings(), Answers: map[string]*rw.Answer{}, Evidence: map[string]int{},
		Resolutions: map[string]*rw.Resolution{}, Submitted: a.SubmittedAt != nil, Now: now}
	answers, err := as.FindAnswers(ctx, a.ID)
	if err != nil {
		return in, err
	}
	for _, x := range answers {
		in.Answers[x.QuestionID] = x
	}
	files, err := as.FindEvidence(ctx, a.ID)
	if err != nil {
		return in, err
	}
	for _, f := range files {
		in.Evidence[f.QuestionID]++
	}
	if in.Measurements, err = as.FindMeasurements(ctx, a.ID); err != nil {
		return in, err
	}
	if in.Findings, err = as.FindFindings(ctx, a.ID); err != nil {
		return in, err
	}
	if in.Waivers, err = as.FindWaivers(ctx, a.ID); err != nil {
		return in, err
	}
	res, err := as.FindResolutions(ctx, a.ID)
	if err != nil {
		return in, err
	}
	for _, r := range res {
		in.Resolutions[r.Key] = r
	}
	v, err := vs.FindVendorByID(ctx, a.VendorID)
	if err != nil {
		return in, err
	}
	in.Services = v.Services
	return in, nil
}

// Refresh evaluates the assessment and stores its summary, so that lists show current scores.
func Refresh(ctx context.Context, as rw.AssessmentStore, vs rw.VendorStore, lib *control.Library, a *rw.Assessment, now time.Time) (Report, Input, error) {
	in, err := Gather(ctx, as, vs, lib, a, now)
	if err != nil {
		return Report{}, in, err
	}
	r := Evaluate(in)
	sum := r.Summary(now)
	if _, err := as.UpdateAssessment(ctx, a.ID, rw.AssessmentUpdate{Summary: &sum, Outcomes: r.Outcomes()}, nil); err != nil {
		return r, in, err
	}
	a.Summary = sum
	return r, in, nil
}

// Measurements turns the evidence engine's check results for a vendor's ASNs into the
// measurements an assessment captures.
func Measurements(results []rw.CheckResult) []rw.Measurement {
	out := make([]rw.Measurement, 0, len(results))
	for _, r := range results {
		out = append(out, rw.Measurement{ASN: r.ASN, Check: r.Check, Status: r.Status, Figure: r.Figure, Summary: r.Summary, Details: r.Details, Snapshots: r.Snapshots, ComputedAt: r.ComputedAt})
	}
	return out
}

// KeepOutcomes scores the assessment and keeps only its per-control results, leaving the
// summary (the scores as decided) alone: for assessments scored before results were kept.
func KeepOutcomes(ctx context.Context, as rw.AssessmentStore, vs rw.VendorStore, lib *control.Library, a *rw.Assessment, now time.Time) (map[string]rw.ControlOutcome, error) {
	in, err := Gather(ctx, as, vs, lib, a, now)
	if err != nil {
		return nil, err
	}
	out := Evaluate(in).Outcomes()
	if _, err := as.UpdateAssessment(ctx, a.ID, rw.AssessmentUpdate{Outcomes: out}, nil); err != nil {
		return nil, err
	}
	return out, nil
}
