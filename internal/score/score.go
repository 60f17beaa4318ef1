// Package score turns an assessment's answers, evidence, reviews and measurements into results:
// a status and basis per control, readiness per MANRS action, discrepancies between answers and
// measurements, the inherent risk tier from the services bought and the residual rating. It is
// pure: every function reads its input only, and each result says how it was reached.
package score

import (
	"time"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// Status is a control's result.
type Status string

// Control statuses.
const (
	Met           Status = "met"
	PartiallyMet  Status = "partially_met"
	NotMet        Status = "not_met"
	NotApplicable Status = "not_applicable"
	Unknown       Status = "unknown"
)

// Statuses lists every status, best first.
var Statuses = []Status{Met, PartiallyMet, NotMet, NotApplicable, Unknown}

// Label returns the status's human name.
func (s Status) Label() string {
	switch s {
	case Met:
		return "Met"
	case PartiallyMet:
		return "Partially met"
	case NotMet:
		return "Not met"
	case NotApplicable:
		return "Not applicable"
	}
	return "Unknown"
}

// credit is a status's share in weighted scores; not applicable is excluded before.
func (s Status) credit() float64 {
	switch s {
	case Met:
		return 1
	case PartiallyMet:
		return 0.5
	}
	return 0
}

// Input is everything the scores rest on.
type Input struct {
	Library      *control.Library
	Scope        []string // provider types of the assessment
	Answers      map[string]*rw.Answer
	Evidence     map[string]int // evidence files per question ID
	Measurements []rw.Measurement
	Findings     []*rw.Finding
	Waivers      []*rw.Waiver
	Resolutions  map[string]*rw.Resolution // by discrepancy key
	Services     []*rw.Service
	// SharedUpstreams are upstream ASNs this vendor shares with other critical vendors
	// (concentration); empty when none or not measured.
	SharedUpstreams []uint32
	// Submitted is set once the vendor has submitted its answers. Before, the rating is
	// provisional and rests on the measured controls only.
	Submitted bool
	Now       time.Time
}

// Report is the complete result of an assessment.
type Report struct {
	Controls      []ControlResult
	Readiness     []Readiness
	Discrepancies []Discrepancy
	Progress      Progress
	Inherent      Inherent
	Residual      Residual
	Card          Card
}

// Evaluate computes the report.
func Evaluate(in Input) Report {
	if in.Answers == nil {
		in.Answers = map[string]*rw.Answer{}
	}
	in.Measurements = allowDeclaredOrigins(in)
	m := aggregate(in.Library, in.Measurements)
	var r Report
	r.Discrepancies = discrepancies(in, m)
	r.Progress = progress(in)
	for i := range in.Library.Controls {
		r.Controls = append(r.Controls, evalControl(in, m, &in.Library.Controls[i]))
	}
	r.Readiness = readiness(in.Library, r.Controls)
	r.Inherent = inherent(in.Services, in.SharedUpstreams)
	r.Residual = residual(in, m, r.Controls, r.Inherent)
	r.Card = card(r.Controls)
	return r
}

// Summary condenses the report into the figures an assessment list shows.
func (r Report) Summary(now time.Time) rw.Summary {
	s := rw.Summary{Rating: r.Residual.Rating, Provisional: r.Residual.Provisional, Tier: r.Inherent.Tier, Compliance: r.Residual.Compliance,
		Progress: r.Progress.Share(), Readiness: map[string]float64{}, Levels: map[string]string{}, ComputedAt: &now,
		OpenQuestions: len(r.Progress.Missing) + len(r.Progress.MissingEvidence), AwaitingReview: r.Progress.AwaitingReview,
		ChangesRequested: r.Progress.ChangesRequested}
	for _, c := range r.Controls {
		if c.Status == NotApplicable {
			continue
		}
		s.Controls++
		if c.Status == Met {
			s.Met++
		}
	}
	for _, a := range r.Readiness {
		s.Readiness[a.Action] = a.Score
		s.Levels[a.Action] = a.Level
	}
	for _, d := range r.Discrepancies {
		if !d.Resolved {
			s.Discrepancies++
		}
	}
	return s
}

// Outcomes returns every control's status, basis and waiver, as kept with the summary.
func (r Report) Outcomes() map[string]rw.ControlOutcome {
	out := make(map[string]rw.ControlOutcome, len(r.Controls))
	for _, c := range r.Controls {
		out[c.ID] = rw.ControlOutcome{Status: string(c.Status), Basis: string(c.Basis), Waived: c.Waived}
	}
	return out
}

// Combine is the status of an obligation (or any group of controls) from the statuses of the
// controls mapped to it, the rule the attestation and the portfolio's obligations coverage
// share. Controls not applicable are left out; then:
//
//   - none left: not applicable;
//   - every control met: met;
//   - some control met or partially met (and not all met): partially met;
//   - otherwise some control not met: not met (the rest are unknown, so nothing is met);
//   - otherwise (every control unknown): unknown.
func Combine(sts []Status) Status {
	var n, met, some, notMet int
	for _, s := range sts {
		switch s {
		case NotApplicable:
			continue
		case Met:
			met++
			some++
		case PartiallyMet:
			some++
		case NotMet:
			notMet++
		}
		n++
	}
	switch {
	case n == 0:
		return NotApplicable
	case met == n:
		return Met
	case some > 0:
		return PartiallyMet
	case notMet > 0:
		return NotMet
	}
	return Unknown
}

// Control returns the result of one control.
func (r Report) Control(id string) (ControlResult, bool) {
	for _, c := range r.Controls {
		if c.ID == id {
			return c, true
		}
	}
	return ControlResult{}, false
}

// OpenDiscrepancies returns the discrepancies not yet resolved.
func (r Report) OpenDiscrepancies() []Discrepancy {
	var out []Discrepancy
	for _, d := range r.Discrepancies {
		if !d.Resolved {
			out = append(out, d)
		}
	}
	return out
}
