package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	rw "routewarden/internal/routewarden"
)

func TestAssessmentAPIListAndDetail(t *testing.T) {
	e := newAssessEnv(t)
	code, body := e.api("GET", "/api/v1/assessments", rw.RoleAuditor, "")
	if code != 200 {
		t.Fatalf("list: %d %v", code, body)
	}
	rows, _ := body["assessments"].([]any)
	states := map[string]bool{}
	for _, r := range rows {
		m := r.(map[string]any)
		states[m["state"].(string)] = true
		if m["due_date"] == "" || m["scores"] == nil {
			t.Errorf("row lacks due date or scores: %v", m)
		}
		// Who acts next, as the list page says it: the party and the sentence.
		next, _ := m["next_step"].(map[string]any)
		switch m["state"] {
		case "in_review":
			if next["party"] != "procurement" && next["party"] != "risk_officer" || !strings.HasPrefix(next["text"].(string), "Waiting for ") {
				t.Errorf("in-review next step = %v", next)
			}
		case "sent", "in_progress", "changes_requested":
			if next["party"] != "vendor" {
				t.Errorf("%s next step = %v, want the vendor", m["state"], next)
			}
		case "approved":
			if next["party"] != "risk_officer" || next["why"] != "issue the attestation" {
				t.Errorf("approved, not attested: next step = %v", next)
			}
		case "cancelled", "rejected":
			if next["party"] != "" || next["text"] == "" {
				t.Errorf("%s next step = %v, want nobody with the reason", m["state"], next)
			}
		}
	}
	for _, st := range rw.AssessmentStates {
		if !states[string(st)] {
			t.Errorf("no %s assessment listed", st)
		}
	}
	code, body = e.api("GET", "/api/v1/assessments?state=approved", rw.RoleAuditor, "")
	if code != 200 || body["total"].(float64) != 1 {
		t.Fatalf("filter approved: %d %v", code, body["total"])
	}
	id := body["assessments"].([]any)[0].(map[string]any)["id"].(float64)
	code, body = e.api("GET", fmt.Sprintf("/api/v1/assessments/%d", int(id)), rw.RoleAuditor, "")
	if code != 200 {
		t.Fatalf("detail: %d %v", code, body)
	}
	res := body["result"].(map[string]any)
	ready := res["readiness"].(map[string]any)
	n1, ok := ready["netops-1"].(map[string]any)
	if !ok || n1["level"] == "" || !strings.Contains(n1["how_reached"].(string), "Σ weight") {
		t.Errorf("readiness netops-1 = %v", ready["netops-1"])
	}
	ctl := res["controls"].([]any)[0].(map[string]any)
	if ctl["basis"] == "" || ctl["status"] == "" || ctl["how_reached"] == "" {
		t.Errorf("control result = %v", ctl)
	}
	discs := res["discrepancies"].([]any)
	if len(discs) == 0 || discs[0].(map[string]any)["resolved"] != true {
		t.Errorf("approved discrepancies = %v", discs)
	}
	if res["residual_risk"].(map[string]any)["rating"] == "" {
		t.Error("no residual rating")
	}
	audit, _ := body["audit"].([]any)
	if len(audit) < 5 || audit[len(audit)-1].(map[string]any)["action"] != "assessment.approved" {
		t.Errorf("audit trail: %d entries", len(audit))
	}
	if next, _ := body["next_step"].(map[string]any); next["why"] != "issue the attestation" {
		t.Errorf("detail next step = %v", next)
	}
	// Once an attestation is in force, the list says the round is done.
	att := &rw.Attestation{DocumentID: rw.NewDocumentID(time.Now()), SHA256: strings.Repeat("ab", 32), AssessmentID: int64(id),
		VendorID: 1, VendorName: "x", IssuedBy: "risk@demo.example", PDF: []byte("%PDF-1.7")}
	if err := e.db.CreateAttestation(context.Background(), att); err != nil {
		t.Fatal(err)
	}
	_, body = e.api("GET", "/api/v1/assessments?state=approved", rw.RoleAuditor, "")
	if next, _ := body["assessments"].([]any)[0].(map[string]any)["next_step"].(map[string]any); next["text"] != "Done: approved and attested." || next["party"] != "" {
		t.Errorf("attested next step = %v", next)
	}
	if code, _ := e.api("GET", "/api/v1/assessments/999999", rw.RoleAuditor, ""); code != 404 {
		t.Errorf("missing assessment: %d", code)
	}
}

func TestAssessmentAPILifecycle(t *testing.T) {
	e := newAssessEnv(t)
	ctx := context.Background()
	vendors, _, _ := e.db.FindVendors(ctx, rw.VendorFilter{Query: "Hanseatic"})
	due := time.Now().AddDate(0, 0, 20).Format(time.DateOnly)
	code, body := e.api("POST", "/api/v1/assessments", rw.RoleProcurement, fmt.Sprintf(`{"vendor_id":%d,"due_date":%q,"contact_email":"noc@hanseatic-access.example"}`, vendors[0].ID, due))
	if code != 201 || body["state"] != "draft" || body["library_digest"] == "" {
		t.Fatalf("create: %d %v", code, body)
	}
	id := int(body["id"].(float64))
	if code, body := e.api("POST", "/api/v1/assessments", rw.RoleProcurement, `{"vendor_id":1,"due_date":"2001-01-01"}`); code != 400 || body["error"].(map[string]any)["field"] != "due_date" {
		t.Errorf("past due date: %d %v", code, body)
	}
	if code, _ := e.api("POST", "/api/v1/assessments", rw.RoleRiskOfficer, `{}`); code != 403 {
		t.Errorf("risk officer creating: %d", code)
	}
	code, body = e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/send", id), rw.RoleProcurement, "")
	link, _ := body["invitation_url"].(string)
	if code != 200 || !strings.Contains(link, "/portal/open?token=rwi_") {
		t.Fatalf("send: %d %v", code, body)
	}
	if code, body := e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/submit", id), rw.RoleProcurement, ""); code != 409 || !strings.Contains(body["error"].(map[string]any)["message"].(string), "missing") {
		t.Errorf("submit incomplete: %d %v", code, body)
	}
	if code, _ := e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/approve", id), rw.RoleRiskOfficer, ""); code != 409 {
		t.Errorf("approve a sent assessment: %d", code)
	}
	// The in-review demo has open discrepancies: approval waits for their resolution.
	rev := e.byState(rw.StateInReview)
	code, body = e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/approve", rev.ID), rw.RoleRiskOfficer, "")
	if code != 409 || !strings.Contains(fmt.Sprint(body), "discrepanc") {
		t.Fatalf("approve with open discrepancies: %d %v", code, body)
	}
	if code, _ := e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/approve", rev.ID), rw.RoleProcurement, ""); code != 403 {
		t.Errorf("analyst approving: %d", code)
	}
	_, body = e.api("GET", fmt.Sprintf("/api/v1/assessments/%d", rev.ID), rw.RoleProcurement, "")
	for _, d := range body["result"].(map[string]any)["discrepancies"].([]any) {
		key := d.(map[string]any)["key"].(string)
		in, _ := json.Marshal(map[string]string{"key": key, "outcome": "measurement", "reason": "Measured data is current."})
		if code, body := e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/discrepancies", rev.ID), rw.RoleProcurement, string(in)); code != 200 {
			t.Fatalf("resolve %s: %d %v", key, code, body)
		}
	}
	code, body = e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/approve", rev.ID), rw.RoleRiskOfficer, `{"note":"accepted"}`)
	if code != 200 || body["state"] != "approved" || body["scores"].(map[string]any)["rating"] == "" {
		t.Fatalf("approve: %d %v", code, body)
	}
	evs, _ := e.db.FindAuditEvents(ctx, rev.ID)
	if last := evs[len(evs)-1]; last.Actor != "risk@demo.example" || last.Action != "assessment.approved" {
		t.Errorf("last audit event = %+v", last)
	}
	if rep, err := e.db.VerifyAudit(ctx); err != nil || !rep.Intact() || rep.Events == 0 {
		t.Errorf("audit chain: %+v %v", rep, err)
	}
}

func TestAssessmentAPIReview(t *testing.T) {
	e := newAssessEnv(t)
	sub := e.byState(rw.StateSubmitted)
	answers, _ := e.db.FindAnswers(context.Background(), sub.ID)
	q := answers[0].QuestionID
	body := fmt.Sprintf(`{"decisions":[{"question":%q,"decision":"request_changes","comment":"Name the validator software."}],"return_to_vendor":true}`, q)
	code, out := e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/review", sub.ID), rw.RoleProcurement, body)
	if code != 200 || out["state"] != "changes_requested" {
		t.Fatalf("review: %d %v", code, out)
	}
	code, out = e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/review", sub.ID), rw.RoleProcurement, `{"decisions":[{"question":"X","decision":"accept"}]}`)
	if code != 400 {
		t.Errorf("unknown question: %d %v", code, out)
	}
	code, out = e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/due-date", sub.ID), rw.RoleProcurement, fmt.Sprintf(`{"due_date":%q}`, sub.DueDate.AddDate(0, 0, 7).Format(time.DateOnly)))
	if code != 200 || out["due_date"] != sub.DueDate.AddDate(0, 0, 7).Format(time.DateOnly) {
		t.Errorf("extend due date: %d %v", code, out)
	}
	code, out = e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/waivers", sub.ID), rw.RoleRiskOfficer, fmt.Sprintf(`{"control":"RS-ORIG-01","justification":"ROA plan agreed for Q2","expires_at":%q}`, time.Now().AddDate(0, 3, 0).Format(time.DateOnly)))
	if code != 201 {
		t.Errorf("waiver: %d %v", code, out)
	}
	if code, out := e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/remeasure", sub.ID), rw.RoleProcurement, ""); code != 200 || out["scores"] == nil {
		t.Errorf("remeasure: %d %v", code, out)
	}
	evs, _ := e.db.FindAuditEvents(context.Background(), sub.ID)
	if last := evs[len(evs)-1]; last.Action != "measurements.refreshed" {
		t.Errorf("last event after re-measuring: %+v", last)
	}
	if code, _ := e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/waivers", sub.ID), rw.RoleProcurement, `{}`); code != http.StatusForbidden {
		t.Errorf("analyst waiving: %d", code)
	}
}
