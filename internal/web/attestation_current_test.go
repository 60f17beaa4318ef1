package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
)

// TestIssueOnceAndReissue: the approved page carries one issue form; two clicks at once issue
// one attestation; afterwards the page offers a re-issue behind a confirmation page, and the
// confirmed re-issue supersedes the earlier attestation, which the list and /verify show.
func TestIssueOnceAndReissue(t *testing.T) {
	e := newAttestEnv(t)
	ctx := context.Background()
	approved := e.assessmentIn(rw.StateApproved)
	risk, _ := e.login("risk@demo.example", demo.Password)
	issueAction := fmt.Sprintf(`href="/assessments/%d/attestations/issue"`, approved)
	if _, page := risk.get(fmt.Sprintf("/assessments/%d", approved)); strings.Count(page, issueAction) != 1 {
		t.Fatalf("approved page has %d issue buttons, want 1", strings.Count(page, issueAction))
	}

	// Two clicks at once (a double click, or two tabs).
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range codes {
		wg.Go(func() {
			resp, err := risk.c.PostForm(e.ts.URL+fmt.Sprintf("/assessments/%d/attestations", approved), risk.form(nil))
			if err == nil {
				codes[i] = resp.StatusCode
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	list, n, err := e.db.FindAttestations(ctx, rw.AttestationFilter{AssessmentID: approved})
	if err != nil || n != 1 || codes[0] != http.StatusSeeOther || codes[1] != http.StatusSeeOther {
		t.Fatalf("two concurrent issues: %d registered (%v), statuses %v; want 1", n, err, codes)
	}
	first := list[0]

	_, page := risk.get(fmt.Sprintf("/assessments/%d", approved))
	if strings.Contains(page, issueAction) || !strings.Contains(page, first.DocumentID) ||
		!strings.Contains(page, fmt.Sprintf(`href="/assessments/%d/attestations/reissue"`, approved)) {
		t.Error("after issuing, the page still offers a plain issue form or lacks the re-issue link")
	}
	_, page = risk.get(fmt.Sprintf("/assessments/%d/attestations/reissue", approved))
	if !strings.Contains(page, first.DocumentID) || !strings.Contains(page, fmt.Sprintf(`name="supersede" value="%d"`, first.ID)) {
		t.Fatalf("confirmation page lacks the current attestation or the confirmation form:\n%s", page)
	}
	if code, _ := risk.post(fmt.Sprintf("/assessments/%d/attestations", approved), risk.form(nil)); code != http.StatusSeeOther {
		t.Errorf("unconfirmed re-issue: %d", code)
	}
	if _, n, _ := e.db.FindAttestations(ctx, rw.AttestationFilter{AssessmentID: approved}); n != 1 {
		t.Fatalf("an unconfirmed click issued another attestation (%d registered)", n)
	}
	if code, _ := risk.post(fmt.Sprintf("/assessments/%d/attestations", approved), risk.form(url.Values{"supersede": {fmt.Sprint(first.ID)}})); code != http.StatusSeeOther {
		t.Fatalf("confirmed re-issue: %d", code)
	}
	old, err := e.db.FindAttestationByID(ctx, first.ID)
	if err != nil || !old.Superseded() {
		t.Fatalf("earlier attestation after re-issue: %+v %v", old, err)
	}
	_, page = risk.get(fmt.Sprintf("/attestations?assessment_id=%d", approved))
	if !strings.Contains(page, fmt.Sprintf("superseded by #%d (%s) on ", old.SupersededBy, old.SupersededByDocumentID)) {
		t.Error("the list does not show the earlier attestation as superseded")
	}
	_, _, pdf := e.raw("GET", fmt.Sprintf("/api/v1/attestations/%d/pdf", first.ID), rw.RoleAuditor, "")
	if _, page := upload(t, e, "old.pdf", pdf); !strings.Contains(page, "Not valid — superseded") || !strings.Contains(page, old.SupersededByDocumentID) {
		t.Error("/verify does not report the earlier file as superseded")
	}

	// The API: 409 without the confirmation, and with a stale one.
	issue := fmt.Sprintf("/api/v1/assessments/%d/attestations", approved)
	if code, body := e.api("POST", issue, rw.RoleRiskOfficer, "{}"); code != http.StatusConflict {
		t.Errorf("API issue while one is current: %d %v", code, body)
	}
	if code, body := e.api("POST", issue+fmt.Sprintf("?supersede=%d", first.ID), rw.RoleRiskOfficer, "{}"); code != http.StatusConflict {
		t.Errorf("API re-issue superseding a superseded one: %d %v", code, body)
	}
}

// TestChangedSinceApprovalOnPage: vendor edits after approval show on the assessment page.
func TestChangedSinceApprovalOnPage(t *testing.T) {
	e := newAttestEnv(t)
	ctx := context.Background()
	approved := e.assessmentIn(rw.StateApproved)
	a, _ := e.db.FindAssessmentByID(ctx, approved)
	risk, _ := e.login("risk@demo.example", demo.Password)
	if _, page := risk.get(fmt.Sprintf("/assessments/%d", approved)); strings.Contains(page, "Changed since approval") {
		t.Fatal("an unedited vendor shows changes since approval")
	}
	v, _ := e.db.FindVendorByID(ctx, a.VendorID)
	name := v.LegalName + " (renamed)"
	if _, err := e.db.UpdateVendor(ctx, v.ID, rw.VendorUpdate{LegalName: &name, Version: v.Version}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateNetwork(ctx, &rw.Network{VendorID: v.ID, ASN: 64511}); err != nil {
		t.Fatal(err)
	}
	_, page := risk.get(fmt.Sprintf("/assessments/%d", approved))
	for _, w := range []string{"Changed since approval", "AS64511 added", "(renamed)"} {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}
