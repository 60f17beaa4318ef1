package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"regexp"
	"testing"

	"routewarden/controls"
	"routewarden/internal/control"
	"routewarden/internal/demo"
	"routewarden/internal/evidence"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
	"routewarden/internal/store/storetest"
	"routewarden/internal/web"
	"routewarden/static"
	"routewarden/templates"
)

// newAssessEnv is newEnv with the assessment stores wired in: a server over a demo-seeded
// SQLite database whose demo assessments are in every state.
func newAssessEnv(t *testing.T) *env {
	t.Helper()
	db := storetest.SQLite(t)
	ctx := context.Background()
	hash := func(p string) (string, error) { return secret.HashPassword(p, secret.Fast) }
	if _, err := demo.Seed(ctx, demo.Stores{Users: db, Vendors: db, Snapshots: db, Now: db.Now}, hash); err != nil {
		t.Fatal(err)
	}
	lib, err := control.Load(controls.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{Demo: true, Version: "test"}, web.Deps{Users: db, Auth: db, Vendors: db, Ready: db.Ping, Snapshots: db,
		Evidence: evidence.NewService(db, db.Now), HashPassword: hash, CheckPassword: secret.CheckPassword,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Templates: templates.FS, Static: static.FS, Now: db.Now, Library: lib,
		Assessments: db, Invitations: db, Audit: db})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	e := &env{t: t, db: db, srv: srv, ts: ts, tokens: map[rw.Role]string{}}
	for _, u := range demo.Users {
		user, err := db.FindUserByEmail(ctx, u.Email)
		if err != nil {
			t.Fatal(err)
		}
		tok := secret.NewToken("rw_")
		if err := db.CreateAPIToken(ctx, &rw.APIToken{UserID: user.ID, Name: "test", TokenHash: secret.HashToken(tok)}); err != nil {
			t.Fatal(err)
		}
		e.tokens[u.Role] = tok
	}
	return e
}

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
