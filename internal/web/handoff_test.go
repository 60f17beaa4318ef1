package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
)

// section returns the HTML of the element with the given id up to its closing tag name.
func section(page, id, closing string) string {
	i := strings.Index(page, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(page[i:], closing)
	if j < 0 {
		return page[i:]
	}
	return page[i : i+j]
}

// TestHandoffOnPages: every assessment page and list row says who acts next; the risk officer
// in review reaches the answers and the discrepancies.
func TestHandoffOnPages(t *testing.T) {
	e := newAssessEnv(t)
	risk, _ := e.login("risk@demo.example", demo.Password)
	proc, _ := e.login("procurement@demo.example", demo.Password)
	want := map[rw.AssessmentState]string{
		rw.StateDraft:            "Waiting for procurement: send the questionnaire",
		rw.StateSent:             "Waiting for the vendor:",
		rw.StateChangesRequested: "sent back for changes",
		rw.StateSubmitted:        "Waiting for procurement: start the review",
		rw.StateRejected:         "Closed: rejected.",
		rw.StateCancelled:        "Closed: cancelled.",
	}
	for st, text := range want {
		a := e.byState(st)
		code, page := risk.get(fmt.Sprintf("/assessments/%d", a.ID))
		if box := section(page, "next-step", "</div>"); code != 200 || !strings.Contains(box, text) {
			t.Errorf("%s: %d, next step %q lacks %q", st, code, box, text)
		}
	}
	rev := e.byState(rw.StateInReview)
	_, page := risk.get(fmt.Sprintf("/assessments/%d", rev.ID))
	box := section(page, "next-step", "</div>")
	for _, link := range []string{fmt.Sprintf(`href="/assessments/%d/review"`, rev.ID), `href="#discrepancies"`} {
		if !strings.Contains(box, link) {
			t.Errorf("risk officer's review page lacks the link %s in %q", link, box)
		}
	}
	// The list and the queue carry the step of each row.
	_, page = proc.get("/assessments")
	if l := listed(page); !strings.Contains(l, "Waiting for the vendor:") || !strings.Contains(l, "Closed: rejected.") {
		t.Error("assessment list lacks next steps")
	}
	// The queue: procurement starts the submitted review; for the risk officer it waits for others.
	sub := e.byState(rw.StateSubmitted)
	_, page = proc.get("/assessments/queue")
	if !strings.Contains(section(page, "queue-mine", "</section>"), sub.VendorName) {
		t.Error("procurement's queue: the submitted assessment is not waiting for procurement")
	}
	_, page = risk.get("/assessments/queue")
	if strings.Contains(section(page, "queue-mine", "</section>"), sub.VendorName) || !strings.Contains(section(page, "queue-others", "</section>"), sub.VendorName) {
		t.Error("risk officer's queue lists the submitted assessment as theirs")
	}
}

// TestApproveDisabledWithReason: with a discrepancy open the risk officer sees Approve
// disabled and why; once procurement resolved it the step and the button move on.
func TestApproveDisabledWithReason(t *testing.T) {
	e := newAssessEnv(t)
	ctx := context.Background()
	risk, _ := e.login("risk@demo.example", demo.Password)
	rev := e.byState(rw.StateInReview)
	answers, _ := e.db.FindAnswers(ctx, rev.ID)
	for _, x := range answers { // procurement's review is done: only the discrepancies decide
		if x.Review == rw.ReviewPending || x.Review == rw.ReviewResubmitted {
			if err := e.db.ReviewAnswer(ctx, rev.ID, x.QuestionID, rw.ReviewAccepted, "", "test"); err != nil {
				t.Fatal(err)
			}
		}
	}
	code, res := e.api("GET", fmt.Sprintf("/api/v1/assessments/%d", rev.ID), rw.RoleAuditor, "")
	if code != 200 {
		t.Fatalf("get: %d", code)
	}
	var open []string
	for _, d := range res["result"].(map[string]any)["discrepancies"].([]any) {
		if m := d.(map[string]any); m["resolved"] != true {
			open = append(open, m["key"].(string))
		}
	}
	if len(open) == 0 {
		t.Fatal("the demo assessment in review has no open discrepancy")
	}
	_, page := risk.get(fmt.Sprintf("/assessments/%d", rev.ID))
	if !strings.Contains(section(page, "next-step", "</div>"), "Waiting for procurement: "+fmt.Sprint(len(open))+" discrepanc") {
		t.Errorf("next step with %d open discrepancies: %q", len(open), section(page, "next-step", "</div>"))
	}
	if !strings.Contains(section(page, "approve", ">"), "disabled") || !strings.Contains(page, `id="approve-blocked"`) {
		t.Error("Approve is not disabled with its reason while discrepancies are open")
	}
	for _, key := range open {
		code, _ := e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/discrepancies", rev.ID), rw.RoleProcurement,
			fmt.Sprintf(`{"key":%q,"outcome":"measurement","reason":"Measured figure is authoritative."}`, key))
		if code != 200 {
			t.Fatalf("resolve %s: %d", key, code)
		}
	}
	_, page = risk.get(fmt.Sprintf("/assessments/%d", rev.ID))
	if !strings.Contains(section(page, "next-step", "</div>"), "Waiting for the risk officer: approve or reject") ||
		strings.Contains(section(page, "approve", ">"), "disabled") || strings.Contains(page, `id="approve-blocked"`) {
		t.Errorf("after resolving: next step %q, approve still blocked", section(page, "next-step", "</div>"))
	}
	_, page = risk.get("/assessments/queue")
	if !strings.Contains(section(page, "queue-mine", "</section>"), rev.VendorName) {
		t.Error("the decision is not in the risk officer's queue")
	}
}
