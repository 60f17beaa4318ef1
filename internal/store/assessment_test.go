package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
)

func newAssessment(t *testing.T, db *store.DB) *rw.Assessment {
	t.Helper()
	ctx := context.Background()
	v := sampleVendor()
	v.LEI = ""
	if err := db.CreateVendor(ctx, v); err != nil {
		t.Fatal(err)
	}
	fig := 0.62
	a := &rw.Assessment{VendorID: v.ID, Title: "Annual 2026", Library: "routewarden-manrs", LibraryVersion: "2026.1", LibraryDigest: "abc",
		Scope: []rw.ProviderType{rw.ProviderTransit}, DueDate: time.Date(2030, 1, 31, 0, 0, 0, 0, time.UTC), ContactEmail: "noc@example.net"}
	pre := []*rw.Answer{{QuestionID: "RS-ORIG-01.Q1", Values: []string{"62"}, Measured: true, UpdatedBy: "system"}}
	ms := []rw.Measurement{{ASN: 3333, Check: "rpki.roa-coverage", Status: rw.StatusFail, Figure: &fig, Summary: "62 %", ComputedAt: db.Now(),
		Details: []rw.Detail{{Kind: "route", Prefix: "193.0.0.0/21", Origin: 3333, Note: "no covering ROA"}}}}
	if err := db.CreateAssessment(ctx, a, pre, ms, "procurement@example.org"); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAssessmentLifecycle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAssessment(t, db)
		if ms, err := db.FindMeasurements(ctx, a.ID); err != nil || len(ms[0].Details) != 1 || ms[0].Details[0].Prefix != "193.0.0.0/21" {
			t.Fatalf("measurement details: %+v %v", ms, err)
		}
		got, err := db.FindAssessmentByID(ctx, a.ID)
		if err != nil || got.State != rw.StateDraft || got.VendorName == "" || got.DueDate.Format(time.DateOnly) != "2030-01-31" || len(got.Scope) != 1 {
			t.Fatalf("found %+v, %v", got, err)
		}
		if _, err := db.Transition(ctx, a.ID, rw.StateApproved, rw.AuditEvent{Actor: "x"}); rw.ErrorCode(err) != rw.ECONFLICT {
			t.Fatalf("draft → approved: %v, want conflict", err)
		}
		for _, st := range []rw.AssessmentState{rw.StateSent, rw.StateInProgress, rw.StateSubmitted, rw.StateInReview, rw.StateApproved} {
			if got, err = db.Transition(ctx, a.ID, st, rw.AuditEvent{Actor: "tester"}); err != nil || got.State != st {
				t.Fatalf("→ %s: %v", st, err)
			}
		}
		if got.SubmittedAt == nil || got.DecidedAt == nil {
			t.Errorf("timestamps not set: %+v", got)
		}
		list, n, err := db.FindAssessments(ctx, rw.AssessmentFilter{States: []rw.AssessmentState{rw.StateApproved}})
		if err != nil || n != 1 || list[0].ID != a.ID {
			t.Fatalf("list approved: %d %v", n, err)
		}
		evs, err := db.FindAuditEvents(ctx, a.ID)
		if err != nil || len(evs) != 6 || evs[0].Action != "assessment.created" || !strings.Contains(evs[5].Detail, "in_review → approved") {
			t.Fatalf("audit: %d events, %v", len(evs), err)
		}
		if rep, err := db.VerifyAudit(ctx); err != nil || !rep.Intact() || rep.Events != 6 {
			t.Fatalf("verify: %+v %v", rep, err)
		}
		if err := db.Exec(ctx, "UPDATE audit_events SET detail = 'forged' WHERE id = 2"); err == nil {
			t.Error("audit_events accepted an UPDATE")
		}
		if err := db.Exec(ctx, "DELETE FROM audit_events"); err == nil {
			t.Error("audit_events accepted a DELETE")
		}
	})
}

func TestAnswerOptimisticLocking(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAssessment(t, db)
		first := &rw.Answer{AssessmentID: a.ID, QuestionID: "RS-ORIG-02.Q1", Values: []string{"yes"}}
		if err := db.SaveAnswer(ctx, first, "vendor:a@example.net"); err != nil || first.Version != 1 {
			t.Fatalf("first save: %v (version %d)", err, first.Version)
		}
		// Two contributors both edit version 1; exactly one wins, the other gets a conflict.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, v := range []string{"no", "yes"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.SaveAnswer(ctx, &rw.Answer{AssessmentID: a.ID, QuestionID: "RS-ORIG-02.Q1", Values: []string{v}, Version: 1}, "vendor:"+v+"@example.net")
			}()
		}
		wg.Wait()
		wins := 0
		for _, err := range errs {
			if err == nil {
				wins++
			} else if rw.ErrorCode(err) != rw.ECONFLICT || !strings.Contains(rw.ErrorMessage(err), "version") {
				t.Errorf("loser got %v", err)
			}
		}
		if wins != 1 {
			t.Fatalf("%d saves won, want 1 (%v)", wins, errs)
		}
		// The measured answer keeps its value; only the comment changes.
		m := &rw.Answer{AssessmentID: a.ID, QuestionID: "RS-ORIG-01.Q1", Values: []string{"100"}, Comment: "we disagree", Version: 1}
		if err := db.SaveAnswer(ctx, m, "vendor:a@example.net"); err != nil {
			t.Fatal(err)
		}
		answers, _ := db.FindAnswers(ctx, a.ID)
		for _, an := range answers {
			if an.QuestionID == "RS-ORIG-01.Q1" && (an.Values[0] != "62" || an.Comment != "we disagree" || !an.Measured) {
				t.Errorf("measured answer overwritten: %+v", an)
			}
		}
		if err := db.ReviewAnswer(ctx, a.ID, "RS-ORIG-02.Q1", rw.ReviewChanges, "attach proof", "analyst"); err != nil {
			t.Fatal(err)
		}
		answers, _ = db.FindAnswers(ctx, a.ID)
		var cur *rw.Answer
		for _, an := range answers {
			if an.QuestionID == "RS-ORIG-02.Q1" {
				cur = an
			}
		}
		cur.Values = []string{"yes"}
		if err := db.SaveAnswer(ctx, cur, "vendor:a@example.net"); err != nil || cur.Review != rw.ReviewResubmitted {
			t.Fatalf("resubmit: %v, review %q", err, cur.Review)
		}
		// Nothing is lost: every earlier version is in the history.
		hist, err := db.FindAnswerHistory(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var versions []int
		for _, h := range hist {
			if h.QuestionID == "RS-ORIG-02.Q1" {
				versions = append(versions, h.Version)
			}
		}
		if len(versions) != 2 || versions[0] != 1 || versions[1] != 2 {
			t.Errorf("history versions = %v, want [1 2]", versions)
		}
	})
}

func TestInvitationsAndOutbox(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAssessment(t, db)
		now := db.Now()
		old := &rw.Invitation{AssessmentID: a.ID, Email: "noc@example.net", TokenHash: "h1", Purpose: "invitation", CreatedBy: "p", ExpiresAt: now.Add(time.Hour)}
		if err := db.CreateInvitation(ctx, old, true); err != nil {
			t.Fatal(err)
		}
		sess := &rw.PortalSession{TokenHash: "s1", InvitationID: old.ID, AssessmentID: a.ID, Email: old.Email, CSRFToken: "c", ExpiresAt: now.Add(time.Hour)}
		if err := db.CreatePortalSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindPortalSession(ctx, "s1", now); err != nil {
			t.Fatal(err)
		}
		reminder := &rw.Invitation{AssessmentID: a.ID, Email: "noc@example.net", TokenHash: "h2", Purpose: "reminder-7", CreatedBy: "system", ExpiresAt: now.Add(time.Hour)}
		if err := db.CreateInvitation(ctx, reminder, true); err != nil {
			t.Fatal(err)
		}
		inv, err := db.FindInvitationByToken(ctx, "h1")
		if err != nil || inv.Usable(now) != "revoked" {
			t.Fatalf("old link after reminder: %+v %v", inv, err)
		}
		if _, err := db.FindPortalSession(ctx, "s1", now); rw.ErrorCode(err) != rw.EUNAUTHORIZED {
			t.Fatalf("session of a revoked link: %v", err)
		}
		if _, err := db.FindInvitationByToken(ctx, "nope"); rw.ErrorCode(err) != rw.ENOTFOUND {
			t.Fatalf("unknown token: %v", err)
		}
		m := &rw.Mail{To: "noc@example.net", Subject: "Questionnaire", Body: "link"}
		if err := db.EnqueueMail(ctx, m); err != nil {
			t.Fatal(err)
		}
		if err := db.EnqueueMail(ctx, &rw.Mail{To: "x@example.net", Subject: "a\r\nBcc: evil@example.net"}); rw.ErrorCode(err) != rw.EINVALID {
			t.Fatalf("header injection accepted: %v", err)
		}
		got, err := db.ClaimMail(ctx, now.Add(time.Second), 10, time.Minute)
		if err != nil || len(got) != 1 {
			t.Fatalf("claim: %d %v", len(got), err)
		}
		if again, _ := db.ClaimMail(ctx, now.Add(2*time.Second), 10, time.Minute); len(again) != 0 {
			t.Fatal("a claimed message was handed out twice")
		}
		if err := db.MarkMailFailed(ctx, m.ID, "connection refused", now.Add(3*time.Second)); err != nil {
			t.Fatal(err)
		}
		if retry, _ := db.ClaimMail(ctx, now.Add(4*time.Second), 10, time.Minute); len(retry) != 1 || retry[0].Attempts != 1 {
			t.Fatalf("retry: %+v", retry)
		}
	})
}

func TestAssessmentParts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAssessment(t, db)
		f := &rw.EvidenceFile{AssessmentID: a.ID, QuestionID: "RS-ORIG-04.Q3", Name: "roas.csv", MediaType: "text/plain", Size: 3, SHA256: "x", Data: []byte("a,b"), UploadedBy: "v"}
		if err := db.AddEvidence(ctx, f); err != nil {
			t.Fatal(err)
		}
		if got, err := db.OpenEvidence(ctx, a.ID, f.ID); err != nil || string(got.Data) != "a,b" {
			t.Fatalf("open: %v", err)
		}
		if _, err := db.OpenEvidence(ctx, a.ID+1, f.ID); rw.ErrorCode(err) != rw.ENOTFOUND {
			t.Fatalf("evidence of another assessment: %v", err)
		}
		res := &rw.Resolution{AssessmentID: a.ID, Key: "RS-ORIG-01.Q1/rpki.roa-coverage", Outcome: "measurement", Reason: "figures are current", ResolvedBy: "r"}
		if err := db.ResolveDiscrepancy(ctx, res); err != nil {
			t.Fatal(err)
		}
		if err := db.ResolveDiscrepancy(ctx, res); rw.ErrorCode(err) != rw.ECONFLICT {
			t.Fatalf("second resolution: %v", err)
		}
		w := &rw.Waiver{AssessmentID: a.ID, ControlID: "RS-ORIG-03", Justification: "legacy space returned in Q3", ExpiresAt: db.Now().AddDate(0, 6, 0), CreatedBy: "r"}
		if err := db.AddWaiver(ctx, w); err != nil {
			t.Fatal(err)
		}
		fnd := &rw.Finding{AssessmentID: a.ID, ControlID: "RS-ORIG-02", Severity: "high", Title: "invalids", CreatedBy: "p"}
		if err := db.AddFinding(ctx, fnd); err != nil {
			t.Fatal(err)
		}
		if err := db.ResolveFinding(ctx, a.ID, fnd.ID, "fixed", "p"); err != nil {
			t.Fatal(err)
		}
		if err := db.ResolveFinding(ctx, a.ID, fnd.ID, "again", "p"); rw.ErrorCode(err) != rw.ENOTFOUND {
			t.Fatalf("resolving twice: %v", err)
		}
		if err := db.AddDispute(ctx, &rw.Dispute{AssessmentID: a.ID, ASN: 3333, Check: "rpki.roa-coverage", Explanation: "ROAs published yesterday", Author: "v"}); err != nil {
			t.Fatal(err)
		}
		fig := 0.97
		re := []rw.Measurement{{ASN: 3333, Check: "rpki.roa-coverage", Status: rw.StatusPass, Figure: &fig, ComputedAt: db.Now()}}
		pre := []*rw.Answer{{QuestionID: "RS-ORIG-01.Q1", Values: []string{"97"}}}
		if err := db.ReplaceMeasurements(ctx, a.ID, re, pre, "analyst"); err != nil {
			t.Fatal(err)
		}
		answers, _ := db.FindAnswers(ctx, a.ID)
		if len(answers) != 1 || answers[0].Values[0] != "97" || answers[0].Version != 2 || !answers[0].Measured {
			t.Errorf("measured answer after re-measuring: %+v", answers[0])
		}
		ms, _ := db.FindMeasurements(ctx, a.ID)
		ws, _ := db.FindWaivers(ctx, a.ID)
		fs, _ := db.FindFindings(ctx, a.ID)
		ds, _ := db.FindDisputes(ctx, a.ID)
		rs, _ := db.FindResolutions(ctx, a.ID)
		if len(ms) != 1 || *ms[0].Figure != 0.97 || len(ws) != 1 || len(fs) != 1 || fs[0].Status != "resolved" || len(ds) != 1 || len(rs) != 1 {
			t.Fatalf("parts: %d measurements, %d waivers, %d findings, %d disputes, %d resolutions", len(ms), len(ws), len(fs), len(ds), len(rs))
		}
		if rep, err := db.VerifyAudit(ctx); err != nil || !rep.Intact() || rep.Events < 6 {
			t.Fatalf("audit chain: %+v %v", rep, err)
		}
	})
}
