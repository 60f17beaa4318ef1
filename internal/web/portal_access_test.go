package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"routewarden/internal/control"
	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
)

// accessSlot is one question pair of the matrix: a file question (upload, download, delete) and
// a yes/no question (view, answer, comment), both in the delegate's section or not, both sent
// back for changes or not.
type accessSlot struct {
	inSection, sentBack bool
	section             string
	file, answer        string
}

func (s accessSlot) name() string {
	n := "out-of-section"
	if s.inSection {
		n = "in-section"
	}
	if s.sentBack {
		return n + "/sent-back"
	}
	return n + "/not-sent-back"
}

// accessSlots picks two sections of the assessment with two plain file and two plain yes/no
// questions each, and marks one question of each kind per section as sent back (the other
// accepted). The delegate gets the first section.
func accessSlots(t *testing.T, e *env, a *rw.Assessment) []accessSlot {
	t.Helper()
	lib, err := demo.Library()
	if err != nil {
		t.Fatal(err)
	}
	files, yesno, order := map[string][]string{}, map[string][]string{}, []string{}
	for _, c := range lib.ForProviders(a.ScopeStrings()) {
		for i := range c.Questions {
			q := &c.Questions[i]
			if q.When != nil || q.Prefill != "" {
				continue
			}
			if len(files[c.Family])+len(yesno[c.Family]) == 0 {
				order = append(order, c.Family)
			}
			switch q.Type {
			case control.TypeFile:
				files[c.Family] = append(files[c.Family], q.ID)
			case control.TypeYesNo:
				yesno[c.Family] = append(yesno[c.Family], q.ID)
			}
		}
	}
	var sections []string
	for _, f := range order {
		if len(files[f]) >= 2 && len(yesno[f]) >= 2 {
			sections = append(sections, f)
		}
	}
	if len(sections) < 2 {
		t.Fatalf("need two sections with two file and two yes/no questions, have %v", sections)
	}
	var slots []accessSlot
	for si, sec := range sections[:2] {
		for i, back := range []bool{true, false} {
			slots = append(slots, accessSlot{inSection: si == 0, sentBack: back, section: sec, file: files[sec][i], answer: yesno[sec][i]})
		}
	}
	ctx := context.Background()
	for _, s := range slots {
		verdict := rw.ReviewAccepted
		if s.sentBack {
			verdict = rw.ReviewChanges
		}
		for _, q := range []string{s.file, s.answer} {
			if err := e.db.ReviewAnswer(ctx, a.ID, q, verdict, "test verdict", "procurement@demo.example"); err != nil {
				t.Fatal(err)
			}
		}
	}
	return slots
}

// addEvidence stores a file for question q directly (the setup of download and delete cells).
func addEvidence(t *testing.T, e *env, a *rw.Assessment, q, name string) *rw.EvidenceFile {
	t.Helper()
	data := []byte("evidence for " + q + " named " + name)
	sum := sha256.Sum256(data)
	f := &rw.EvidenceFile{AssessmentID: a.ID, QuestionID: q, Name: name, MediaType: "text/plain; charset=utf-8", Size: int64(len(data)),
		SHA256: hex.EncodeToString(sum[:]), Data: data, UploadedBy: "vendor:setup@example.net"}
	if err := e.db.AddEvidence(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	return f
}

func evidenceOf(t *testing.T, e *env, a *rw.Assessment, q string) map[int64]bool {
	t.Helper()
	files, err := e.db.FindEvidence(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]bool{}
	for _, f := range files {
		if f.QuestionID == q {
			out[f.ID] = true
		}
	}
	return out
}

func answerOf(t *testing.T, e *env, a *rw.Assessment, q string) *rw.Answer {
	t.Helper()
	answers, err := e.db.FindAnswers(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range answers {
		if x.QuestionID == q {
			return x
		}
	}
	return &rw.Answer{}
}

// TestPortalAccessMatrix: while changes are requested, the person with the whole questionnaire
// and a section delegate try every portal action on questions in and out of the delegated
// section, sent back or not. Seeing (view, download, comment) needs the section; changing
// (answer, upload, delete) needs the section and the question sent back. Every cell is
// asserted on the status and on what the database holds afterwards.
func TestPortalAccessMatrix(t *testing.T) {
	e := newAssessEnv(t)
	ctx := context.Background()
	a := e.byState(rw.StateChangesRequested)
	slots := accessSlots(t, e, a)
	full, code, _ := e.vendor(e.invite(a, ""))
	delegate, code2, _ := e.vendor(e.invite(a, slots[0].section))
	if code != 200 || code2 != 200 || full.csrf == "" || delegate.csrf == "" {
		t.Fatalf("opening the links: %d, %d", code, code2)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	path := func(format string, args ...any) string {
		return fmt.Sprintf("/portal/a/%d", a.ID) + fmt.Sprintf(format, args...)
	}
	n := 0
	for _, role := range []struct {
		name     string
		b        *browser
		delegate bool
	}{{"full-vendor", full, false}, {"section-delegate", delegate, true}} {
		for _, s := range slots {
			maySee := !role.delegate || s.inSection
			mayChange := maySee && s.sentBack
			// refused is the status of a refused change: 403 outside the section, 409 when not sent back.
			refused := http.StatusConflict
			if !maySee {
				refused = http.StatusForbidden
			}
			cell := func(action string, check func(t *testing.T)) {
				n++
				t.Run(role.name+"/"+action+"/"+s.name(), check)
			}
			cell("view", func(t *testing.T) {
				code, page := role.b.get(path("?section=%s", s.section))
				if shown := strings.Contains(page, `id="q-`+s.answer+`"`); code != 200 || shown != maySee {
					t.Errorf("view: %d, question %s shown %v, want %v", code, s.answer, shown, maySee)
				}
			})
			cell("answer", func(t *testing.T) {
				old := answerOf(t, e, a, s.answer)
				val := "yes"
				if len(old.Values) == 1 && old.Values[0] == "yes" {
					val = "no"
				}
				code, _ := role.b.post(path("/answers"), role.b.form(url.Values{"section": {s.section}, "q": {s.answer},
					"v:" + s.answer: {strconv.Itoa(old.Version)}, "a:" + s.answer: {val}}))
				now := answerOf(t, e, a, s.answer)
				if saved := len(now.Values) == 1 && now.Values[0] == val; code != http.StatusSeeOther || saved != mayChange {
					t.Errorf("answer: %d, saved %v, want %v", code, saved, mayChange)
				}
			})
			cell("upload", func(t *testing.T) {
				before := len(evidenceOf(t, e, a, s.file))
				code, _ := portalUploadFile(t, role.b, a, s.file, "upload-"+role.name+".pdf", pdf)
				after := len(evidenceOf(t, e, a, s.file))
				want := refused
				if mayChange {
					want = http.StatusSeeOther
				}
				if code != want || (after == before+1) != mayChange {
					t.Errorf("upload: %d (want %d), files %d → %d", code, want, before, after)
				}
			})
			cell("download", func(t *testing.T) {
				f := addEvidence(t, e, a, s.file, "download-"+role.name+".txt")
				code, body := role.b.get(path("/evidence/%d", f.ID))
				if maySee && (code != 200 || body != string(f.Data)) || !maySee && (code != http.StatusForbidden || strings.Contains(body, string(f.Data))) {
					t.Errorf("download: %d, may see %v", code, maySee)
				}
			})
			cell("delete", func(t *testing.T) {
				f := addEvidence(t, e, a, s.file, "delete-"+role.name+".txt")
				code, _ := role.b.post(path("/evidence/%d/delete", f.ID), role.b.form(url.Values{"section": {s.section}}))
				want := refused
				if mayChange {
					want = http.StatusSeeOther
				}
				if gone := !evidenceOf(t, e, a, s.file)[f.ID]; code != want || gone != mayChange {
					t.Errorf("delete: %d (want %d), removed %v", code, want, gone)
				}
			})
			cell("comment", func(t *testing.T) {
				body := "comment by " + role.name + " on " + s.name()
				code, _ := role.b.post(path("/comments"), role.b.form(url.Values{"section": {s.section}, "question": {s.answer}, "body": {body}}))
				comments, _ := e.db.FindComments(ctx, a.ID)
				stored := false
				for _, c := range comments {
					stored = stored || c.Body == body && c.QuestionID == s.answer
				}
				want := http.StatusForbidden
				if maySee {
					want = http.StatusSeeOther
				}
				if code != want || stored != maySee {
					t.Errorf("comment: %d (want %d), stored %v", code, want, stored)
				}
			})
		}
	}
	if n != 2*6*4 {
		t.Fatalf("%d cells, want 48", n)
	}
}

// TestPortalCommentQuestion: a comment names a question of this questionnaire, or none; an
// unknown ID or a question outside the assessment's scope is refused and nothing is stored.
func TestPortalCommentQuestion(t *testing.T) {
	e := newAssessEnv(t)
	ctx := context.Background()
	a := e.byState(rw.StateInProgress)
	lib, _ := demo.Library()
	outOfScope := ""
	for _, c := range lib.Controls {
		if outOfScope == "" && len(c.Questions) > 0 && !scopeHas(a, c.AppliesTo) {
			outOfScope = c.Questions[0].ID
		}
	}
	if outOfScope == "" {
		t.Fatal("every control applies to this assessment's scope; pick another")
	}
	b, _, _ := e.vendor(e.invite(a, ""))
	before, _ := e.db.FindComments(ctx, a.ID)
	for _, tt := range []struct {
		name, question string
		status         int
	}{
		{"unknown question", "RS-NOPE-99.Q1", http.StatusBadRequest},
		{"markup as question", `<script>x</script>`, http.StatusBadRequest},
		{"question outside the scope", outOfScope, http.StatusBadRequest},
		{"whole questionnaire", "", http.StatusSeeOther},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _ := b.post(fmt.Sprintf("/portal/a/%d/comments", a.ID), b.form(url.Values{"question": {tt.question}, "body": {"about " + tt.name}}))
			if code != tt.status {
				t.Errorf("comment on %q: %d, want %d", tt.question, code, tt.status)
			}
		})
	}
	after, _ := e.db.FindComments(ctx, a.ID)
	if len(after) != len(before)+1 {
		t.Errorf("%d comments stored, want only the one on the whole questionnaire", len(after)-len(before))
	}
}

func scopeHas(a *rw.Assessment, appliesTo []string) bool {
	for _, p := range a.ScopeStrings() {
		for _, x := range appliesTo {
			if p == x {
				return true
			}
		}
	}
	return false
}

// TestPortalCancelledEndsAccess: cancelling an assessment ends its open portal sessions: they are
// deleted, and every portal request checks the assessment's state anyway.
func TestPortalCancelledEndsAccess(t *testing.T) {
	e := newAssessEnv(t)
	ctx := context.Background()
	a := e.byState(rw.StateInProgress)
	b, code, _ := e.vendor(e.invite(a, ""))
	if code != 200 {
		t.Fatalf("open: %d", code)
	}
	u, _ := url.Parse(e.ts.URL + "/portal/")
	var raw string
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "rw_portal" {
			raw = c.Value
		}
	}
	if _, err := e.db.FindPortalSession(ctx, secret.HashToken(raw), e.db.Now()); err != nil {
		t.Fatalf("session before cancelling: %v", err)
	}
	analyst, _ := e.login("procurement@demo.example", demo.Password)
	if code, _ := analyst.post(fmt.Sprintf("/assessments/%d/cancel", a.ID), analyst.form(url.Values{"note": {"Contract ended."}})); code != http.StatusSeeOther {
		t.Fatalf("cancel: %d", code)
	}
	if _, err := e.db.FindPortalSession(ctx, secret.HashToken(raw), e.db.Now()); rw.ErrorCode(err) != rw.EUNAUTHORIZED {
		t.Errorf("the portal session outlived the cancellation: %v", err)
	}
	q, _ := firstQuestion(t, a, control.TypeYesNo)
	for _, probe := range []struct{ method, path string }{
		{"GET", ""}, {"GET", "/measurements"}, {"POST", "/answers"}, {"POST", "/comments"}, {"POST", "/submit"},
	} {
		p := fmt.Sprintf("/portal/a/%d%s", a.ID, probe.path)
		var code int
		var body string
		if probe.method == "GET" {
			code, body = b.get(p)
		} else {
			code, body = b.post(p, b.form(url.Values{"q": {q.ID}, "a:" + q.ID: {"yes"}, "question": {q.ID}, "body": {"still here?"}}))
		}
		if code != http.StatusGone || strings.Contains(body, q.Text) {
			t.Errorf("%s %s after cancelling: %d, want 410 without the questionnaire", probe.method, p, code)
		}
	}
}

// TestPortalStateCheckedPerRequest: a session that still exists (cancelled behind the store's
// back, as a restore or a second instance might leave it) gets no access either.
func TestPortalStateCheckedPerRequest(t *testing.T) {
	e := newAssessEnv(t)
	cancelled := e.byState(rw.StateCancelled)
	ctx := context.Background()
	raw := secret.NewToken("")
	invs, _ := e.db.FindInvitations(ctx, cancelled.ID)
	if len(invs) == 0 {
		t.Fatal("the cancelled demo has no invitation")
	}
	sess := &rw.PortalSession{TokenHash: secret.HashToken(raw), InvitationID: invs[0].ID, AssessmentID: cancelled.ID, Email: invs[0].Email,
		CSRFToken: "csrf", ExpiresAt: e.db.Now().Add(time.Hour)}
	if err := e.db.CreatePortalSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/portal/a/%d", e.ts.URL, cancelled.ID), nil)
	req.AddCookie(&http.Cookie{Name: "rw_portal", Value: raw})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusGone {
		t.Errorf("portal of a cancelled assessment: %d, want 410", resp.StatusCode)
	}
}
