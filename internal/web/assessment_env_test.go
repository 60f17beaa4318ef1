package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"testing"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
)

// newAssessEnv is the full demo server, whose demo assessments are in every state.
func newAssessEnv(t *testing.T) *env { return newEnv(t, true) }

// byState returns the demo assessment in the given state.
func (e *env) byState(st rw.AssessmentState) *rw.Assessment {
	e.t.Helper()
	list, _, err := e.db.FindAssessments(context.Background(), rw.AssessmentFilter{States: []rw.AssessmentState{st}})
	if err != nil || len(list) == 0 {
		e.t.Fatalf("no demo assessment is %s (%v)", st, err)
	}
	return list[0]
}

// invite issues a fresh link for the assessment the way the analyst's send does, and returns
// its path.
func (e *env) invite(a *rw.Assessment, section string) string {
	e.t.Helper()
	raw := secret.NewToken("rwi_")
	inv := &rw.Invitation{AssessmentID: a.ID, Email: "vendor@example.net", Section: section, TokenHash: secret.HashToken(raw),
		Purpose: "invitation", CreatedBy: "test", ExpiresAt: e.db.Now().AddDate(0, 0, 7)}
	if err := e.db.CreateInvitation(context.Background(), inv, false); err != nil {
		e.t.Fatal(err)
	}
	return "/portal/open?token=" + raw
}

var portalCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// vendor opens an invitation link in a fresh cookie jar and returns the portal browser.
func (e *env) vendor(link string) (*browser, int, string) {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	resp, err := b.c.Get(e.ts.URL + link)
	if err != nil {
		e.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return b, resp.StatusCode, string(body)
	}
	loc := resp.Header.Get("Location")
	code, page := b.get(loc)
	if m := portalCSRF.FindStringSubmatch(page); m != nil {
		b.csrf = m[1]
	}
	return b, code, page
}
