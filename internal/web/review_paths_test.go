package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	rw "routewarden/internal/routewarden"
)

// The reviewer sees, on the control concerned, where the vendor's declared upstreams differ from
// those observed in BGP paths: the demo's Société Générale, in review, names a backup transit
// (AS64496) that no path shows. A vendor whose declaration matches gets no such box.
func TestReviewShowsDeclaredUpstreamDifferences(t *testing.T) {
	e := newAssessEnv(t)
	b, _ := e.login("procurement@demo.example", "demo")
	rev := e.byState(rw.StateInReview)
	if !strings.HasPrefix(rev.VendorName, "Société Générale") {
		t.Fatalf("the demo's assessment in review is %s's; this test expects Société Générale's", rev.VendorName)
	}
	code, page := b.get(fmt.Sprintf("/assessments/%d/review", rev.ID))
	box := ""
	if i := strings.Index(page, `class="warnbox path-diff"`); i >= 0 {
		box = page[i : i+strings.Index(page[i:], "</div>")]
	}
	if code != 200 || !strings.Contains(box, "Declared upstream not observed as a provider in any BGP path: AS64496") ||
		!strings.Contains(box, "observed: AS64510") {
		t.Fatalf("review page %d; declared-vs-observed box %q", code, box)
	}
	// The box sits under RS-RES-01's heading, before its first question.
	if h, q := strings.Index(page, `id="c-RS-RES-01"`), strings.Index(page, `id="q-RS-RES-01.Q1"`); !(h >= 0 && h < strings.Index(page, "path-diff") && strings.Index(page, "path-diff") < q) {
		t.Error("the box is not under RS-RES-01's heading")
	}

	// Changes requested for Aegis, which names the upstreams that are observed.
	ch := e.byState(rw.StateChangesRequested)
	if _, page := b.get(fmt.Sprintf("/assessments/%d/review", ch.ID)); strings.Contains(page, "path-diff") {
		t.Errorf("%s declared its observed upstreams, yet the review shows a difference", ch.VendorName)
	}

	// The vendor corrects its answer: the difference is gone.
	ans, err := e.db.FindAnswers(context.Background(), rev.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range ans {
		if a.QuestionID == "RS-RES-01.Q2" {
			a.Values = []string{"AS64510 only."}
			if err := e.db.SaveAnswer(context.Background(), a, "vendor:test"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, page := b.get(fmt.Sprintf("/assessments/%d/review", rev.ID)); strings.Contains(page, "path-diff") {
		t.Error("the difference stays after the vendor named the observed upstream only")
	}
}
