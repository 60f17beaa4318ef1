package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	rw "routewarden/internal/routewarden"
)

// TestReviewCountsAgree: the review page's "N awaiting a decision" and the next-step line above
// it count the same answers (answered, not yet decided), so a reader sees no contradiction.
func TestReviewCountsAgree(t *testing.T) {
	e := newAssessEnv(t)
	a := e.byState(rw.StateInReview)
	b, _ := e.login("risk@demo.example", "demo")
	code, html := b.get(fmt.Sprintf("/assessments/%d/review", a.ID))
	if code != http.StatusOK {
		t.Fatalf("review page: %d", code)
	}
	page := regexp.MustCompile(`questions · (\d+) awaiting a decision`).FindStringSubmatch(html)
	next := regexp.MustCompile(`(\d+) answers? awaiting a decision`).FindStringSubmatch(html)
	if page == nil || next == nil {
		t.Fatalf("counts not found (page %v, next step %v)", page, next)
	}
	if page[1] != next[1] {
		t.Errorf("review page says %s awaiting a decision, the next step %s", page[1], next[1])
	}
}
