package web

import (
	"bytes"
	"html/template"
	"strings"
	"testing"

	rw "routewarden/internal/routewarden"
	"routewarden/templates"
)

// TestAttestationIssuePartial renders the "Issue attestation" partial that the assessment page
// includes: only an approved assessment and a role that may attest get the button, which leads
// to the confirmation page.
func TestAttestationIssuePartial(t *testing.T) {
	tpl, err := template.New("t").Funcs(funcs).ParseFS(templates.FS, "partials/*.html")
	if err == nil {
		tpl, err = tpl.Parse(`{{template "attestation_issue" .}}`)
	}
	if err != nil {
		t.Fatal(err)
	}
	type page struct {
		A       *rw.Assessment
		Current *rw.Attestation
	}
	cur := &rw.Attestation{ID: 7, DocumentID: "RW-2026-0123456789AB"}
	tests := []struct {
		name    string
		state   rw.AssessmentState
		role    rw.Role
		current *rw.Attestation
		button  bool
		reissue bool
	}{
		{"approved, risk officer", rw.StateApproved, rw.RoleRiskOfficer, nil, true, false},
		{"approved, admin", rw.StateApproved, rw.RoleAdmin, nil, true, false},
		{"approved, auditor", rw.StateApproved, rw.RoleAuditor, nil, false, false},
		{"approved, procurement", rw.StateApproved, rw.RoleProcurement, nil, false, false},
		{"in review, risk officer", rw.StateInReview, rw.RoleRiskOfficer, nil, false, false},
		// With an attestation in force a click must not issue another: a re-issue goes through
		// the confirmation page.
		{"approved, already attested", rw.StateApproved, rw.RoleRiskOfficer, cur, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			lv := layoutView{User: &rw.User{Role: tc.role}, CSRF: "tok", Page: page{&rw.Assessment{ID: 42, State: tc.state}, tc.current}}
			if err := tpl.Execute(&buf, lv); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if got := strings.Contains(out, `href="/assessments/42/attestations/issue"`); got != tc.button {
				t.Errorf("button shown = %v, want %v:\n%s", got, tc.button, out)
			}
			if got := strings.Contains(out, `href="/assessments/42/attestations/reissue"`); got != tc.reissue {
				t.Errorf("re-issue link shown = %v, want %v:\n%s", got, tc.reissue, out)
			}
			if strings.Contains(out, `action="/assessments/42/attestations"`) {
				t.Error("the page issues without the confirmation page")
			}
		})
	}
}
