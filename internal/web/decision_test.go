package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
)

// resolveAll settles the open discrepancies of the assessment as procurement, through the API.
func (e *env) resolveAll(id int64) {
	e.t.Helper()
	_, res := e.api("GET", fmt.Sprintf("/api/v1/assessments/%d", id), rw.RoleAuditor, "")
	for _, d := range res["result"].(map[string]any)["discrepancies"].([]any) {
		if m := d.(map[string]any); m["resolved"] != true {
			code, _ := e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/discrepancies", id), rw.RoleProcurement,
				fmt.Sprintf(`{"key":%q,"outcome":"measurement","reason":"Measured figure is authoritative."}`, m["key"]))
			if code != 200 {
				e.t.Fatalf("resolve %v: %d", m["key"], code)
			}
		}
	}
}

// TestAssessmentPageLeadsWithVerdict: the verdict card comes before the evidence, the
// formulas and the audit trail are collapsed, and the page links to its own sections.
func TestAssessmentPageLeadsWithVerdict(t *testing.T) {
	e := newAssessEnv(t)
	b, _ := e.login("auditor@demo.example", demo.Password)
	ap := e.byState(rw.StateApproved)
	_, page := b.get(fmt.Sprintf("/assessments/%d", ap.ID))
	v := strings.Index(page, `id="verdict"`)
	if v < 0 || v > strings.Index(page, `id="rating"`) || v > strings.Index(page, `id="measurements"`) {
		t.Fatal("the verdict card is missing or comes after the evidence")
	}
	card := section(page, "verdict", "</section>")
	for _, want := range []string{"Residual rating", "Readiness", "netops-1", "Open discrepancies", "Findings", "Waivers"} {
		if !strings.Contains(card, want) {
			t.Errorf("verdict card lacks %q", want)
		}
	}
	if !strings.Contains(section(page, "rating", "</section>"), "<summary>How was this reached</summary>") ||
		!strings.Contains(section(page, "audit", "</section>"), `<details id="audit-details">`) {
		t.Error("formulas or audit trail are not collapsed")
	}
	for _, anchor := range []string{"#verdict", "#discrepancies", "#controls", "#audit"} {
		if !strings.Contains(page, `href="`+anchor+`"`) {
			t.Errorf("no in-page link to %s", anchor)
		}
	}
	if strings.Contains(card, "verdict-readiness-provisional") {
		t.Error("a decided assessment's readiness is marked provisional")
	}
	// Before the vendor submits, readiness is provisional and says why it reads low.
	sent := e.byState(rw.StateSent)
	_, page = b.get(fmt.Sprintf("/assessments/%d", sent.ID))
	if !strings.Contains(section(page, "verdict", "</section>"), `id="verdict-readiness-provisional"`) {
		t.Error("an assessment not yet submitted shows readiness without saying it is provisional")
	}
}

// TestApproveAndRejectConfirm: approve and reject go through a confirmation page that
// summarises what is signed off; the POST is there, with CSRF; a blocked approval is
// explained, not offered.
func TestApproveAndRejectConfirm(t *testing.T) {
	e := newAssessEnv(t)
	risk, _ := e.login("risk@demo.example", demo.Password)
	rev := e.byState(rw.StateInReview)
	path := fmt.Sprintf("/assessments/%d", rev.ID)
	if _, page := risk.get(path); !strings.Contains(page, `href="`+path+`/reject"`) || strings.Contains(page, `action="`+path+`/approve"`) {
		t.Error("the assessment page posts the decision itself instead of linking to the confirmation")
	}
	code, page := risk.get(path + "/approve")
	if code != 200 || !strings.Contains(page, `id="confirm-blocked"`) || strings.Contains(page, `id="confirm-form"`) {
		t.Fatalf("approval with open discrepancies: %d, blocked reason shown / form withheld expected", code)
	}
	e.resolveAll(rev.ID)
	code, page = risk.get(path + "/approve")
	form := section(page, "confirm-form", "</form>")
	if code != 200 || !strings.Contains(form, `action="`+path+`/approve"`) || !strings.Contains(form, `name="_csrf"`) {
		t.Fatalf("approval confirmation: %d, form %q", code, form)
	}
	for _, id := range []string{"verdict-rating", "verdict-readiness", "verdict-findings", "verdict-waivers", "confirm-who", "confirm-validity"} {
		if !strings.Contains(page, `id="`+id+`"`) {
			t.Errorf("confirmation lacks %s", id)
		}
	}
	if !strings.Contains(section(page, "confirm-who", "</dd>"), "risk@demo.example") || !strings.Contains(section(page, "confirm-validity", "</dd>"), "until ") {
		t.Error("confirmation does not say who signs off or until when")
	}
	if !regexp.MustCompile(`\d+ answer\(s\) still await a reviewer(?:'|&#39;)s decision; the verdict above takes them as the vendor gave them \(declared, not reviewed\)`).MatchString(page) {
		t.Error("approving over undecided answers: the confirmation does not say how the verdict counts them")
	}
	// Reject without a reason: the confirmation comes back with the error; nothing changes.
	code, page = risk.post(path+"/reject", risk.form(url.Values{"note": {"  "}}))
	if code != http.StatusBadRequest || !strings.Contains(page, `id="confirm-error"`) || !strings.Contains(page, `id="confirm-form"`) {
		t.Errorf("reject without reason: %d", code)
	}
	if a, _ := e.db.FindAssessmentByID(context.Background(), rev.ID); a.State != rw.StateInReview {
		t.Fatalf("state %s after a refused rejection", a.State)
	}
	if code, _ := risk.post(path+"/approve", risk.form(url.Values{"note": {"Fine."}})); code != http.StatusSeeOther {
		t.Fatalf("approve: %d", code)
	}
	if a, _ := e.db.FindAssessmentByID(context.Background(), rev.ID); a.State != rw.StateApproved {
		t.Fatalf("state %s after approval", a.State)
	}
	// Once decided, the confirmation explains instead of offering the form again.
	if _, page := risk.get(path + "/reject"); !strings.Contains(page, `id="confirm-blocked"`) || strings.Contains(page, `id="confirm-form"`) {
		t.Error("rejecting an approved assessment is offered")
	}
}

// TestIssueConfirm: issuing goes through a confirmation page with the verdict and validity; a
// current attestation sends the user to the re-issue confirmation.
func TestIssueConfirm(t *testing.T) {
	e := newAttestEnv(t)
	approved := e.assessmentIn(rw.StateApproved)
	risk, _ := e.login("risk@demo.example", demo.Password)
	path := fmt.Sprintf("/assessments/%d/attestations/issue", approved)
	code, page := risk.get(path)
	form := section(page, "confirm-form", "</form>")
	if code != 200 || !strings.Contains(form, fmt.Sprintf(`action="/assessments/%d/attestations"`, approved)) || !strings.Contains(form, `name="_csrf"`) ||
		!strings.Contains(page, `id="verdict"`) || !strings.Contains(page, `id="confirm-validity"`) {
		t.Fatalf("issue confirmation: %d\n%s", code, form)
	}
	if code, _ := risk.post(fmt.Sprintf("/assessments/%d/attestations", approved), risk.form(nil)); code != http.StatusSeeOther {
		t.Fatalf("issue: %d", code)
	}
	resp, err := risk.c.Get(e.ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(loc, "/attestations/reissue") {
		t.Errorf("issue confirmation with a current attestation: %d → %q", resp.StatusCode, loc)
	}
	if _, page := risk.get(fmt.Sprintf("/assessments/%d/attestations/issue", e.assessmentIn(rw.StateDraft))); !strings.Contains(page, `id="confirm-blocked"`) {
		t.Error("issuing a draft is not explained as blocked")
	}
}

// TestConfirmPagesRoles: only the roles that may decide or attest reach the confirmations.
func TestConfirmPagesRoles(t *testing.T) {
	e := newAssessEnv(t)
	rev, ap := e.byState(rw.StateInReview), e.byState(rw.StateApproved)
	paths := map[string][]rw.Role{
		fmt.Sprintf("/assessments/%d/approve", rev.ID):           {rw.RoleAdmin, rw.RoleRiskOfficer},
		fmt.Sprintf("/assessments/%d/reject", rev.ID):            {rw.RoleAdmin, rw.RoleRiskOfficer},
		fmt.Sprintf("/assessments/%d/attestations/issue", ap.ID): {rw.RoleAdmin, rw.RoleRiskOfficer},
	}
	for _, u := range demo.Users {
		b, _ := e.login(u.Email, demo.Password)
		for p, allowed := range paths {
			code, _ := b.get(p)
			ok := false
			for _, r := range allowed {
				ok = ok || r == u.Role
			}
			if ok && code != http.StatusOK && code != http.StatusSeeOther || !ok && code != http.StatusForbidden {
				t.Errorf("GET %s as %s: %d", p, u.Role, code)
			}
		}
	}
}

// TestReviewErrorNextToQuestion: a decision that cannot be recorded comes back next to its
// question, with the decision, comment and severity the reviewer chose.
func TestReviewErrorNextToQuestion(t *testing.T) {
	e := newAssessEnv(t)
	proc, _ := e.login("procurement@demo.example", demo.Password)
	rev := e.byState(rw.StateInReview)
	answers, _ := e.db.FindAnswers(context.Background(), rev.ID)
	q := answers[len(answers)-1].QuestionID
	code, page := proc.post(fmt.Sprintf("/assessments/%d/review/decide", rev.ID),
		proc.form(url.Values{"question": {q}, "decision": {"request_changes"}, "comment": {""}, "severity": {"high"}}))
	if code != http.StatusBadRequest {
		t.Fatalf("request changes without a comment: %d", code)
	}
	item := section(page, "q-"+q, "</form>")
	if !strings.Contains(item, `id="err-`+q+`"`) || !strings.Contains(item, "Tell the vendor what to change.") {
		t.Errorf("the error is not next to question %s", q)
	}
	if !strings.Contains(item, `<option value="request_changes" selected>`) || !strings.Contains(item, `<option selected>high</option>`) ||
		!strings.Contains(item, `aria-invalid="true"`) {
		t.Errorf("the choice was not kept on %s:\n%s", q, item)
	}
	if !strings.Contains(section(page, "review-error", "</p>"), "#q-"+q) {
		t.Error("the page-level alert does not lead to the question")
	}
	// An unknown question has no place on the page: the error shows at the top.
	code, page = proc.post(fmt.Sprintf("/assessments/%d/review/decide", rev.ID), proc.form(url.Values{"question": {"NOPE-1"}, "decision": {"accept"}}))
	if code != http.StatusBadRequest || !strings.Contains(section(page, "review-error", "</p>"), "NOPE-1") {
		t.Errorf("unknown question: %d", code)
	}
}
