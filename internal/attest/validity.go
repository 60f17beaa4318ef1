package attest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// ValidityMonths is how long an attestation stays valid after the decision it attests: supplier
// assessments are repeated yearly (the dashboard lists attestations due for renewal on the same
// rhythm). A waiver that expires earlier ends the validity earlier.
const ValidityMonths = 12

// decision returns who approved the assessment and when: the approval recorded with the frozen
// scope, else the assessment's decision time with the approver unknown.
func decision(src Source) Decision {
	if src.Approved != nil && !src.Approved.ApprovedAt.IsZero() {
		return Decision{By: src.Approved.ApprovedBy, At: src.Approved.ApprovedAt.UTC()}
	}
	if a := src.Assessment; a.DecidedAt != nil {
		return Decision{At: a.DecidedAt.UTC()}
	}
	return Decision{}
}

// period is the assessment's window: it ends with the decision and starts with the oldest
// routing data the measurements rest on or the first evidence file uploaded, whichever is
// earlier. Data dated after the decision (snapshots named through current check results for
// measurements captured before snapshots were recorded) cannot have informed it and is left
// out. Without dated data the window starts when the assessment was created. The note says
// what the bounds rest on.
func period(src Source, end time.Time) (time.Time, string) {
	var start time.Time
	var what string
	consider := func(t time.Time, label string) {
		t = t.UTC()
		if t.IsZero() || (!end.IsZero() && t.After(end)) {
			return
		}
		if start.IsZero() || t.Before(start) {
			start, what = t, label
		}
	}
	for _, s := range src.Snapshots {
		at := s.ImportedAt
		if s.DataTime != nil {
			at = *s.DataTime
		}
		consider(at, fmt.Sprintf("the oldest routing data the results rest on (%s snapshot of %s)", s.Kind, stamp(at)))
	}
	for _, e := range src.Evidence {
		consider(e.UploadedAt, fmt.Sprintf("the first evidence file uploaded (%s, %s)", e.Name, stamp(e.UploadedAt)))
	}
	if start.IsZero() {
		start = src.Assessment.CreatedAt.UTC()
		what = fmt.Sprintf("the creation of the assessment (%s; no dated routing data or evidence)", stamp(start))
	}
	if end.IsZero() {
		return start, "From " + what + "; the decision time was not recorded."
	}
	return start, "From " + what + " to the decision (" + stamp(end) + ")."
}

// validity is the window in which the document may be relied on: from the decision until
// ValidityMonths later, or until the earliest expiry of a waiver the result counts on, if that
// comes first.
func validity(d *Document) (from, until time.Time, note string) {
	from = d.Decision.At
	if from.IsZero() {
		return time.Time{}, time.Time{}, "No decision time is recorded, so no validity can be stated; re-assess the supplier."
	}
	until = from.AddDate(0, ValidityMonths, 0)
	note = fmt.Sprintf("%d months after the decision; the supplier is re-assessed yearly.", ValidityMonths)
	for _, w := range d.Waivers {
		if !w.Expires.IsZero() && w.Expires.Before(until) {
			until = w.Expires.UTC()
			note = fmt.Sprintf("Ends when the waiver on %s expires: the result counts that control as met until then.", w.ControlID)
		}
	}
	return from, until, note
}

// framework returns the framework (DORA, NIS2, CER) of a catalogue act (control.Framework).
func framework(regulation string) string { return control.Framework(regulation) }

// declaredFrameworks returns the frameworks the services in scope declare, in rw.Regulations
// order.
func declaredFrameworks(services []Service) []string {
	var out []string
	for _, f := range rw.Regulations {
		if slices.ContainsFunc(services, func(s Service) bool {
			return slices.ContainsFunc(s.Regulations, func(r string) bool { return strings.EqualFold(r, f) })
		}) {
			out = append(out, f)
		}
	}
	return out
}
