package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
)

// TestAssignOwner: procurement assigns an owner on the assessment page (recorded in the audit
// trail), "assigned to me" lists it; an auditor cannot own one, a risk officer cannot assign.
func TestAssignOwner(t *testing.T) {
	e := newAssessEnv(t)
	ctx := context.Background()
	proc, _ := e.login("procurement@demo.example", demo.Password)
	risk, _ := e.login("risk@demo.example", demo.Password)
	sub, sent := e.byState(rw.StateSubmitted), e.byState(rw.StateSent)
	path := fmt.Sprintf("/assessments/%d", sub.ID)
	// The demo gives its open rounds an owner; this test starts from none.
	if sent.Assignee != "procurement@demo.example" {
		t.Errorf("the demo's sent assessment has owner %q, want the analyst", sent.Assignee)
	}
	all, _, _ := e.db.FindAssessments(ctx, rw.AssessmentFilter{})
	for _, a := range all {
		none := ""
		if _, err := e.db.UpdateAssessment(ctx, a.ID, rw.AssessmentUpdate{Assignee: &none}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, page := proc.get(path); !strings.Contains(page, `id="assign-form"`) || !strings.Contains(page, `<label for="assignee">`) {
		t.Fatal("procurement's assessment page has no labelled owner form")
	}
	if _, page := risk.get(path); strings.Contains(page, `id="assign-form"`) {
		t.Error("the risk officer is offered the owner form")
	}
	if code, _ := risk.post(path+"/assignee", risk.form(url.Values{"assignee": {"risk@demo.example"}})); code != http.StatusForbidden {
		t.Errorf("risk officer assigns: %d, want 403", code)
	}
	code, page := proc.post(path+"/assignee", proc.form(url.Values{"assignee": {"auditor@demo.example"}}))
	if code != http.StatusBadRequest || !strings.Contains(page, "auditor@demo.example cannot own assessments") {
		t.Errorf("assign to the auditor: %d", code)
	}
	if code, _ := proc.post(path+"/assignee", proc.form(url.Values{"me": {"1"}})); code != http.StatusSeeOther {
		t.Fatalf("assign to me: %d", code)
	}
	a, _ := e.db.FindAssessmentByID(ctx, sub.ID)
	if a.Assignee != "procurement@demo.example" {
		t.Fatalf("assignee %q", a.Assignee)
	}
	if _, res := e.api("GET", fmt.Sprintf("/api/v1/assessments/%d", sub.ID), rw.RoleAuditor, ""); res["assignee"] != "procurement@demo.example" {
		t.Errorf("API assignee %v", res["assignee"])
	}
	events, _ := e.db.FindAuditEvents(ctx, sub.ID)
	if last := events[len(events)-1]; last.Action != "assessment.assigned" || !strings.Contains(last.Detail, "nobody → procurement@demo.example") {
		t.Errorf("audit: %s %s", last.Action, last.Detail)
	}
	_, page = proc.get(path)
	if !strings.Contains(section(page, "owner", "</dd>"), "procurement@demo.example (you)") {
		t.Error("the page does not show the owner")
	}
	_, page = proc.get("/assessments?work=assigned")
	if l := listed(page); !strings.Contains(l, sub.VendorName) || strings.Contains(l, sent.VendorName) {
		t.Error("?work=assigned does not list exactly the assigned assessment")
	}
	if code, page := proc.get("/assessments?work=everything"); code != http.StatusBadRequest || !strings.Contains(page, "work must be") {
		t.Errorf("unknown work filter: %d", code)
	}
	// Unassigning.
	if code, _ := proc.post(path+"/assignee", proc.form(url.Values{"assignee": {""}})); code != http.StatusSeeOther {
		t.Fatalf("unassign: %d", code)
	}
	if a, _ := e.db.FindAssessmentByID(ctx, sub.ID); a.Assignee != "" {
		t.Errorf("still assigned to %q", a.Assignee)
	}
}

// TestWorkWaitingForMyRole: ?work=role lists what waits for the user's role, nothing else.
func TestWorkWaitingForMyRole(t *testing.T) {
	e := newAssessEnv(t)
	proc, _ := e.login("procurement@demo.example", demo.Password)
	risk, _ := e.login("risk@demo.example", demo.Password)
	aud, _ := e.login("auditor@demo.example", demo.Password)
	sub, draft, sent := e.byState(rw.StateSubmitted), e.byState(rw.StateDraft), e.byState(rw.StateSent)
	_, page := proc.get("/assessments?work=role")
	l := listed(page)
	if !strings.Contains(l, sub.VendorName) || !strings.Contains(l, draft.VendorName) || strings.Contains(l, sent.VendorName) {
		t.Error("procurement's work: want the submitted and the draft, not the one waiting for the vendor")
	}
	if strings.Contains(l, "Waiting for the risk officer") || strings.Contains(l, "Waiting for the vendor") {
		t.Error("procurement's work lists other parties' steps")
	}
	if _, csv := proc.get("/assessments?work=role&format=csv"); !strings.Contains(csv, sub.VendorName) || strings.Contains(csv, sent.VendorName) {
		t.Error("the CSV of procurement's work lists other parties' assessments")
	}
	_, page = risk.get("/assessments?work=role")
	if l := listed(page); strings.Contains(l, "Waiting for procurement") || strings.Contains(l, sub.VendorName) {
		t.Error("the risk officer's work lists procurement's steps")
	}
	if _, page := aud.get("/assessments?work=role"); listed(page) != "" {
		t.Error("nothing waits for an auditor")
	}
}
