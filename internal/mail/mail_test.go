package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"routewarden/internal/mail"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
	"routewarden/internal/store/storetest"
)

func TestMessage(t *testing.T) {
	m := &rw.Mail{ID: 7, To: "noc@example.net", Subject: "Fragebogen für Zürich", Body: "line 1\n.\nline 3", CreatedAt: time.Unix(0, 0)}
	got := string(mail.Message("rw@example.org", m, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
	for _, want := range []string{"To: noc@example.net\r\n", "Subject: =?utf-8?q?Fragebogen_f=C3=BCr_Z=C3=BCrich?=\r\n",
		"Content-Type: text/plain; charset=utf-8", "\r\n\r\nline 1\r\n..\r\nline 3"} {
		if !strings.Contains(got, want) {
			t.Errorf("message lacks %q:\n%s", want, got)
		}
	}
}

func TestBackoff(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want time.Duration
	}{{1, time.Minute}, {2, 2 * time.Minute}, {4, 8 * time.Minute}, {20, 6 * time.Hour}} {
		if got := mail.Backoff(tt.n); got != tt.want {
			t.Errorf("Backoff(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

func TestConfigFromEnv(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		ok   bool
	}{
		{"off", map[string]string{}, true},
		{"complete", map[string]string{"ROUTEWARDEN_SMTP_HOST": "smtp.example.org", "ROUTEWARDEN_SMTP_FROM": "rw@example.org"}, true},
		{"no sender", map[string]string{"ROUTEWARDEN_SMTP_HOST": "smtp.example.org"}, false},
		{"bad port", map[string]string{"ROUTEWARDEN_SMTP_HOST": "h", "ROUTEWARDEN_SMTP_FROM": "a@b.c", "ROUTEWARDEN_SMTP_PORT": "x"}, false},
		{"bad tls", map[string]string{"ROUTEWARDEN_SMTP_HOST": "h", "ROUTEWARDEN_SMTP_FROM": "a@b.c", "ROUTEWARDEN_SMTP_TLS": "maybe"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mail.ConfigFromEnv(func(k string) string { return tt.env[k] })
			if (err == nil) != tt.ok {
				t.Errorf("err = %v", err)
			}
		})
	}
}

// TestWorkerRetriesAndReminders runs the outbox worker against a real database with a sender
// that fails once, and the reminder job around a due date.
func TestWorkerRetriesAndReminders(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	clock := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return clock }
	v := &rw.Vendor{LegalName: "Mail Test", Country: "DE", Services: []*rw.Service{{Name: "t", Type: "S10", ProviderType: rw.ProviderTransit}}}
	if err := db.CreateVendor(ctx, v); err != nil {
		t.Fatal(err)
	}
	a := &rw.Assessment{VendorID: v.ID, Library: "l", LibraryVersion: "1", LibraryDigest: "d", Scope: []rw.ProviderType{rw.ProviderTransit},
		DueDate: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), ContactEmail: "noc@example.net"}
	if err := db.CreateAssessment(ctx, a, nil, nil, "p"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Transition(ctx, a.ID, rw.StateSent, rw.AuditEvent{Actor: "p"}); err != nil {
		t.Fatal(err)
	}
	first := &rw.Invitation{AssessmentID: a.ID, Email: a.ContactEmail, TokenHash: secret.HashToken("first"), Purpose: "invitation", ExpiresAt: clock.AddDate(0, 1, 0)}
	if err := db.CreateInvitation(ctx, first, true); err != nil {
		t.Fatal(err)
	}
	rem := &mail.Reminders{Store: db, BaseURL: "https://rw.example", Now: func() time.Time { return clock }}
	if n, err := rem.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("7 days before: %d reminders, %v", n, err)
	}
	if n, _ := rem.RunOnce(ctx); n != 0 {
		t.Fatalf("the 7-day reminder went out twice")
	}
	if inv, _ := db.FindInvitationByToken(ctx, secret.HashToken("first")); inv.Usable(clock) != "revoked" {
		t.Error("the reminder did not replace the old link")
	}
	var sent []*rw.Mail
	fails := 1
	w := &mail.Worker{Store: db, Now: func() time.Time { return clock }, Sender: mail.SenderFunc(func(m *rw.Mail, _ time.Time) error {
		if fails > 0 {
			fails--
			return errors.New("421 try later")
		}
		sent = append(sent, m)
		return nil
	})}
	if s, f, err := w.RunOnce(ctx); err != nil || s != 0 || f != 1 {
		t.Fatalf("first run: sent %d failed %d %v", s, f, err)
	}
	if s, _, _ := w.RunOnce(ctx); s != 0 {
		t.Fatal("retried before the back-off")
	}
	clock = clock.Add(2 * time.Minute)
	if s, _, err := w.RunOnce(ctx); err != nil || s != 1 || len(sent) != 1 {
		t.Fatalf("retry: sent %d %v", s, err)
	}
	if !strings.Contains(sent[0].Body, "https://rw.example/portal/open?token=rwi_") || !strings.HasPrefix(sent[0].Subject, "Reminder:") {
		t.Errorf("reminder mail: %q\n%s", sent[0].Subject, sent[0].Body)
	}
	clock = time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	if n, err := rem.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("overdue: %d reminders, %v", n, err)
	}
}
