package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
)

// TestAssessmentRoutesEveryRole sends every assessment route as every role (and anonymously)
// against a server with the assessment stores wired in: the role's permission decides. Portal
// routes are public in the role sense but need a portal session: without one they answer 404.
func TestAssessmentRoutesEveryRole(t *testing.T) {
	e := newAssessEnv(t)
	ctx := context.Background()
	a := e.byState(rw.StateInReview)
	files, _ := e.db.FindEvidence(ctx, a.ID)
	invs, _ := e.db.FindInvitations(ctx, a.ID)
	if len(files) == 0 || len(invs) == 0 {
		t.Fatal("demo assessment lacks evidence or invitations")
	}
	ids := strings.NewReplacer(":id", strconv.FormatInt(a.ID, 10), ":eid", strconv.FormatInt(files[0].ID, 10),
		":iid", strconv.FormatInt(invs[0].ID, 10), ":token", "rwi_unknown", ":fid", "1")
	browsers := map[rw.Role]*browser{}
	for _, u := range demo.Users {
		b, code := e.login(u.Email, demo.Password)
		if code != http.StatusSeeOther || b.csrf == "" {
			t.Fatalf("login %s: %d", u.Email, code)
		}
		browsers[u.Role] = b
	}
	n := 0
	for _, r := range e.srv.Routes() {
		if !strings.Contains(r.Path, "assessments") && !strings.HasPrefix(r.Path, "/portal/") || strings.Contains(r.Path, "attestations") {
			continue
		}
		n++
		for _, role := range append([]rw.Role{""}, rw.Roles...) {
			status := e.send(browsers, r.API, r.Method, ids.Replace(r.Path), role)
			checkStatus(t, r.Method+" "+r.Path, role, r.Perm, status)
			if strings.HasPrefix(r.Path, "/portal/a/") && status != http.StatusNotFound {
				t.Errorf("%s %s as %q without a portal session: %d, want 404", r.Method, r.Path, role, status)
			}
			if status >= 500 {
				t.Errorf("%s %s as %q: %d", r.Method, r.Path, role, status)
			}
		}
	}
	if n < 40 {
		t.Errorf("only %d assessment routes", n)
	}
}
