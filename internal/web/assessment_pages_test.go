package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	rw "routewarden/internal/routewarden"
)

// listed returns the table of an assessment list page ("" when the list is empty).
func listed(page string) string {
	i := strings.Index(page, `id="assessment-table"`)
	if i < 0 {
		return ""
	}
	return page[i : i+strings.Index(page[i:], "</table>")]
}

// queued returns both tables of the review queue ("waiting for you" and "waiting for others").
func queued(page string) string {
	var out string
	for _, id := range []string{`id="queue-mine-table"`, `id="queue-others-table"`} {
		if i := strings.Index(page, id); i >= 0 {
			out += page[i : i+strings.Index(page[i:], "</table>")]
		}
	}
	return out
}

func TestAssessmentPages(t *testing.T) {
	e := newAssessEnv(t)
	b, _ := e.login("auditor@demo.example", "demo")
	ap, draft := e.byState(rw.StateApproved), e.byState(rw.StateDraft)
	_, page := b.get("/assessments?state=approved")
	if l := listed(page); !strings.Contains(l, ap.VendorName) || strings.Contains(l, draft.VendorName) {
		t.Error("state filter")
	}
	_, page = b.get(fmt.Sprintf("/assessments?vendor=%d", ap.VendorID))
	if l := listed(page); !strings.Contains(l, ap.VendorName) || strings.Count(l, "<tr>") != 2 {
		t.Errorf("vendor filter: %d rows", strings.Count(l, "<tr>")-1)
	}
	_, page = b.get("/assessments/queue")
	if l := queued(page); !strings.Contains(l, e.byState(rw.StateSubmitted).VendorName) || !strings.Contains(l, e.byState(rw.StateInReview).VendorName) ||
		strings.Contains(l, ap.VendorName) {
		t.Error("review queue")
	}
	code, page := b.get(fmt.Sprintf("/assessments/%d", ap.ID))
	for _, want := range []string{"Readiness per MANRS action", "netops-1", "Weighted compliance", "resolved", "Audit trail", "measured"} {
		if !strings.Contains(page, want) {
			t.Errorf("detail page lacks %q", want)
		}
	}
	if code != 200 || strings.Contains(page, `action="/assessments/`+fmt.Sprint(ap.ID)+`/approve"`) {
		t.Errorf("auditor's detail page: %d, or offers approval", code)
	}
	if code, _ := b.get(fmt.Sprintf("/assessments/%d/review", e.byState(rw.StateInReview).ID)); code != 200 {
		t.Errorf("review page: %d", code)
	}
	// Figures older than the staleness limit are flagged.
	fig := 0.5
	old := []rw.Measurement{{ASN: 65536, Check: "rpki.roa-coverage", Status: rw.StatusFail, Figure: &fig, ComputedAt: e.db.Now().AddDate(0, 0, -30)}}
	if err := e.db.ReplaceMeasurements(context.Background(), draft.ID, old, nil, "test"); err != nil {
		t.Fatal(err)
	}
	if _, page := b.get(fmt.Sprintf("/assessments/%d", draft.ID)); !strings.Contains(page, `id="stale"`) {
		t.Error("30-day-old measurements are not flagged as stale")
	}
	if _, page := b.get(fmt.Sprintf("/assessments/%d", ap.ID)); strings.Contains(page, `id="stale"`) {
		t.Error("fresh measurements flagged as stale")
	}
}

// TestFindingLifecycle: a finding raised in review makes its control not met until the analyst
// resolves it.
func TestFindingLifecycle(t *testing.T) {
	e := newAssessEnv(t)
	ctx := context.Background()
	sub := e.byState(rw.StateSubmitted)
	answers, _ := e.db.FindAnswers(ctx, sub.ID)
	var q string
	for _, x := range answers {
		if !x.Measured {
			q = x.QuestionID
			break
		}
	}
	body := fmt.Sprintf(`{"decisions":[{"question":%q,"decision":"finding","comment":"No evidence of this practice.","severity":"high"}]}`, q)
	if code, out := e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/review", sub.ID), rw.RoleProcurement, body); code != 200 {
		t.Fatalf("raise finding: %d %v", code, out)
	}
	control := strings.Join(strings.Split(q, ".")[:1], "")
	status := func() string {
		_, out := e.api("GET", fmt.Sprintf("/api/v1/assessments/%d", sub.ID), rw.RoleAuditor, "")
		for _, c := range out["result"].(map[string]any)["controls"].([]any) {
			if m := c.(map[string]any); m["id"] == control {
				return m["status"].(string) + " " + m["how_reached"].(string)
			}
		}
		return ""
	}
	if st := status(); !strings.HasPrefix(st, "not_met") || !strings.Contains(st, "No evidence of this practice.") {
		t.Errorf("control with a finding: %s", st)
	}
	fs, _ := e.db.FindFindings(ctx, sub.ID)
	b, _ := e.login("procurement@demo.example", "demo")
	if code, _ := b.post(fmt.Sprintf("/assessments/%d/findings/%d/resolve", sub.ID, fs[0].ID), b.form(url.Values{"note": {"Procedure supplied."}})); code != http.StatusSeeOther {
		t.Fatalf("resolve finding: %d", code)
	}
	if fs, _ := e.db.FindFindings(ctx, sub.ID); fs[0].Status != "resolved" {
		t.Errorf("finding status = %s", fs[0].Status)
	}
	if st := status(); strings.HasPrefix(st, "not_met") && strings.Contains(st, "finding") {
		t.Errorf("control after the finding was resolved: %s", st)
	}
}

// TestReviewAcceptPending: one action accepts every answer awaiting a decision, and keeps the
// questions sent back.
func TestReviewAcceptPending(t *testing.T) {
	e := newAssessEnv(t)
	ctx := context.Background()
	a := e.byState(rw.StateInReview)
	b, _ := e.login("procurement@demo.example", "demo")
	answers, _ := e.db.FindAnswers(ctx, a.ID)
	back := ""
	for _, x := range answers {
		if x.Review == rw.ReviewPending && !x.Empty() {
			back = x.QuestionID
			break
		}
	}
	form := b.form(url.Values{"question": {back}, "decision": {"request_changes"}, "comment": {"Be precise."}})
	if code, _ := b.post(fmt.Sprintf("/assessments/%d/review/decide", a.ID), form); code != http.StatusSeeOther {
		t.Fatalf("request changes: %d", code)
	}
	if code, _ := b.post(fmt.Sprintf("/assessments/%d/review/accept-pending", a.ID), b.form(nil)); code != http.StatusSeeOther {
		t.Fatalf("accept pending: %d", code)
	}
	answers, _ = e.db.FindAnswers(ctx, a.ID)
	for _, x := range answers {
		switch {
		case x.QuestionID == back && x.Review != rw.ReviewChanges:
			t.Errorf("%s lost its request for changes: %q", back, x.Review)
		case x.QuestionID != back && !x.Empty() && (x.Review == rw.ReviewPending || x.Review == rw.ReviewResubmitted):
			t.Errorf("%s still pending", x.QuestionID)
		}
	}
}
