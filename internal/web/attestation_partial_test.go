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
// includes: only an approved assessment and a role that may attest get the button.
func TestAttestationIssuePartial(t *testing.T) {
	tpl, err := template.New("t").Funcs(funcs).ParseFS(templates.FS, "partials/*.html")
	if err == nil {
		tpl, err = tpl.Parse(`{{template "attestation_issue" .}}`)
	}
	if err != nil {
		t.Fatal(err)
	}
	type page struct{ A *rw.Assessment }
	tests := []struct {
		name   string
		state  rw.AssessmentState
		role   rw.Role
		button bool
	}{
		{"approved, risk officer", rw.StateApproved, rw.RoleRiskOfficer, true},
		{"approved, admin", rw.StateApproved, rw.RoleAdmin, true},
		{"approved, auditor", rw.StateApproved, rw.RoleAuditor, false},
		{"approved, procurement", rw.StateApproved, rw.RoleProcurement, false},
		{"in review, risk officer", rw.StateInReview, rw.RoleRiskOfficer, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			lv := layoutView{User: &rw.User{Role: tc.role}, CSRF: "tok", Page: page{&rw.Assessment{ID: 42, State: tc.state}}}
			if err := tpl.Execute(&buf, lv); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if got := strings.Contains(out, `action="/assessments/42/attestations"`); got != tc.button {
				t.Errorf("button shown = %v, want %v:\n%s", got, tc.button, out)
			}
			if tc.button && !strings.Contains(out, `value="tok"`) {
				t.Error("form lacks the CSRF token")
			}
		})
	}
}
