package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

var delegateLink = regexp.MustCompile(`id="delegate-link">[^<]*(/portal/open\?token=rwi_[A-Za-z0-9_-]+)<`)

// TestPortalDelegation: the contact delegates one section to a colleague by e-mail; the
// colleague's link opens that section only, saves only its questions and cannot submit.
func TestPortalDelegation(t *testing.T) {
	e := newAssessEnv(t)
	ctx := context.Background()
	a := e.byState(rw.StateSent)
	owner, _, _ := e.vendor(e.invite(a, ""))
	q, c := firstQuestion(t, a, control.TypeText)
	code, page := owner.post(fmt.Sprintf("/portal/a/%d/delegate", a.ID), owner.form(url.Values{"section": {c.Family}, "email": {"colleague@example.net"}}))
	m := delegateLink.FindStringSubmatch(page)
	if code != 200 || m == nil {
		t.Fatalf("delegate: %d, link shown: %v", code, m != nil)
	}
	colleague, code, page := e.vendor(m[1])
	if code != 200 || !strings.Contains(page, "for section "+c.Family+" only") {
		t.Fatalf("colleague's link: %d", code)
	}
	if n := strings.Count(page, `<nav class="sections"`); n != 1 || strings.Count(page, `?section=`) != 1 {
		t.Errorf("the colleague sees other sections")
	}
	// A question of another section is ignored; the delegated one is saved.
	other, _ := firstQuestion(t, a, control.TypeYesNo)
	form := colleague.form(url.Values{"section": {c.Family}, "q": {q.ID, other.ID}, "v:" + q.ID: {"0"}, "a:" + q.ID: {"from the colleague"},
		"v:" + other.ID: {"0"}, "a:" + other.ID: {"yes"}})
	if code, _ := colleague.post(fmt.Sprintf("/portal/a/%d/answers", a.ID), form); code != http.StatusSeeOther {
		t.Fatalf("colleague saves: %d", code)
	}
	answers, _ := e.db.FindAnswers(ctx, a.ID)
	got := map[string]*rw.Answer{}
	for _, x := range answers {
		got[x.QuestionID] = x
	}
	if got[q.ID] == nil || got[q.ID].UpdatedBy != "vendor:colleague@example.net" {
		t.Errorf("delegated answer = %+v", got[q.ID])
	}
	if other.ID != q.ID && strings.Split(other.ID, "-")[1] != c.Family && got[other.ID] != nil {
		t.Errorf("the colleague changed %s outside the section", other.ID)
	}
	if code, _ := colleague.post(fmt.Sprintf("/portal/a/%d/submit", a.ID), colleague.form(nil)); code != http.StatusForbidden {
		t.Errorf("colleague submitting: %d, want 403", code)
	}
	if code, _ := colleague.post(fmt.Sprintf("/portal/a/%d/delegate", a.ID), colleague.form(url.Values{"section": {c.Family}, "email": {"x@example.net"}})); code != http.StatusForbidden {
		t.Errorf("colleague delegating further: %d, want 403", code)
	}
}

// TestAssessmentPages: the list filters by state, the queue shows what waits for review, the
// detail page shows scores with how they were reached.

// TestPortalMeasurementsAndDispute: the vendor sees the figures about its own networks with the
// objects behind them, and disputes one; the analyst sees the dispute.
func TestPortalMeasurementsAndDispute(t *testing.T) {
	e := newAssessEnv(t)
	ctx := context.Background()
	a := e.byState(rw.StateSent)
	ms, _ := e.db.FindMeasurements(ctx, a.ID)
	if len(ms) == 0 {
		t.Fatal("the sent demo captured no measurements")
	}
	b, _, _ := e.vendor(e.invite(a, ""))
	code, page := b.get(fmt.Sprintf("/portal/a/%d/measurements", a.ID))
	if code != 200 || !strings.Contains(page, ms[0].Check) || !strings.Contains(page, fmt.Sprintf("AS%d", ms[0].ASN)) {
		t.Fatalf("measurements page: %d", code)
	}
	form := b.form(url.Values{"asn": {fmt.Sprint(ms[0].ASN)}, "check": {ms[0].Check}, "explanation": {"Our ROAs were published yesterday."}})
	if code, _ := b.post(fmt.Sprintf("/portal/a/%d/disputes", a.ID), form); code != http.StatusSeeOther {
		t.Fatalf("dispute: %d", code)
	}
	bad := b.form(url.Values{"asn": {"64511"}, "check": {ms[0].Check}, "explanation": {"Not our network, but still disputed."}})
	if code, _ := b.post(fmt.Sprintf("/portal/a/%d/disputes", a.ID), bad); code != http.StatusBadRequest {
		t.Errorf("dispute of a measurement not in the questionnaire: %d", code)
	}
	analyst, _ := e.login("procurement@demo.example", "demo")
	if _, page := analyst.get(fmt.Sprintf("/assessments/%d", a.ID)); !strings.Contains(page, "Our ROAs were published yesterday.") {
		t.Error("the analyst does not see the dispute")
	}
}
