package mail_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"routewarden/internal/mail"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/store/storetest"
)

// TestMailNeedsPublicURL: with SMTP configured, neither the mail work nor the reminders start
// without a public URL to build links from.
func TestMailNeedsPublicURL(t *testing.T) {
	db := storetest.SQLite(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	on := mail.Config{Host: "smtp.example.org", From: "rw@example.org"}
	for _, tt := range []struct {
		name string
		cfg  mail.Config
		base string
		want error
	}{
		{"smtp without public URL", on, "", mail.ErrNoPublicURL},
		{"smtp with public URL", on, "https://rw.example", nil},
		{"no smtp", mail.Config{}, "", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			deliver, remind, err := mail.Jobs(tt.cfg, db, tt.base, db.Now, log)
			if !errors.Is(err, tt.want) {
				t.Errorf("Jobs: %v, want %v", err, tt.want)
			}
			if on := tt.want == nil && tt.cfg.Enabled(); on != (deliver != nil && remind != nil) {
				t.Errorf("mail jobs given = %v, want %v", deliver != nil, on)
			}
		})
	}
	rem := &mail.Reminders{Store: db, Now: db.Now}
	if _, err := rem.RunOnce(ctx); !errors.Is(err, mail.ErrNoPublicURL) {
		t.Errorf("reminders without a public URL: %v", err)
	}
}

// TestNoRawTokenAfterDelivery: a reminder's link travels to the SMTP server, and afterwards no
// outbox row holds the token.
func TestNoRawTokenAfterDelivery(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			db := b.Open(t)
			ctx := context.Background()
			clock := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
			db.Now = func() time.Time { return clock }
			v := &rw.Vendor{LegalName: "Outbox Test", Country: "DE", Services: []*rw.Service{{Name: "t", Type: "S10", ProviderType: rw.ProviderTransit}}}
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
			rem := &mail.Reminders{Store: db, BaseURL: "https://rw.example", Now: db.Now}
			if n, err := rem.RunOnce(ctx); err != nil || n != 1 {
				t.Fatalf("reminders: %d %v", n, err)
			}
			var sent []string
			w := &mail.Worker{Store: db, Now: db.Now, Sender: mail.SenderFunc(func(m *rw.Mail, _ time.Time) error {
				sent = append(sent, m.Body)
				return nil
			})}
			if s, _, err := w.RunOnce(ctx); err != nil || s != 1 {
				t.Fatalf("worker: %d %v", s, err)
			}
			tok := regexp.MustCompile(`rwi_[A-Za-z0-9_-]+`).FindString(strings.Join(sent, ""))
			if tok == "" {
				t.Fatalf("the sent mail carried no link: %q", sent)
			}
			mails, err := db.FindMail(ctx, 10)
			if err != nil || len(mails) != 1 || mails[0].SentAt == nil {
				t.Fatalf("outbox: %+v %v", mails, err)
			}
			for _, m := range mails {
				if all := m.To + m.Subject + m.Body + m.LastError; strings.Contains(all, tok) || strings.Contains(all, tok[4:]) {
					t.Errorf("raw token still in the outbox after delivery: %+v", m)
				}
			}
		})
	}
}
