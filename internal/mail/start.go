package mail

import (
	"context"
	"errors"
	"log/slog"
	"time"

	rw "routewarden/internal/routewarden"
)

// Jobs returns the background mail work as two functions for the job queue: deliver sends
// what is due in the outbox (run every minute), remind queues the invitation reminders (run
// hourly; a reminder is issued once per assessment and purpose, so repeated runs do no harm).
// Without SMTP both are nil: links are shown to the analyst to send by hand, and reminders are
// not issued either.
//
// Jobs refuses mail without a public URL (ROUTEWARDEN_PUBLIC_URL): links in e-mails are built
// from it and never from a request's Host header, which a client chooses.
func Jobs(cfg Config, st rw.InvitationStore, baseURL string, now func() time.Time, log *slog.Logger) (deliver, remind func(context.Context) error, err error) {
	if !cfg.Enabled() {
		log.Info("mail off: invitation links are shown to the analyst to send by hand (set ROUTEWARDEN_SMTP_HOST to enable)")
		return nil, nil, nil
	}
	if baseURL == "" {
		return nil, nil, ErrNoPublicURL
	}
	if cfg.TLS == "" {
		cfg.TLS = "starttls"
	}
	w := &Worker{Store: st, Sender: SMTPSender{Config: cfg}, Log: log, Now: now}
	r := &Reminders{Store: st, BaseURL: baseURL, Now: now}
	deliver = func(ctx context.Context) error {
		sent, failed, err := w.RunOnce(ctx)
		if sent+failed > 0 {
			log.Info("outbox", "sent", sent, "failed", failed)
		}
		return err
	}
	remind = func(ctx context.Context) error {
		n, err := r.RunOnce(ctx)
		if n > 0 {
			log.Info("reminders queued", "count", n)
		}
		return err
	}
	return deliver, remind, nil
}

// ErrNoPublicURL is returned when mail is configured but the public URL that links in e-mails
// are built from is not.
var ErrNoPublicURL = errors.New("e-mail is configured (ROUTEWARDEN_SMTP_HOST) but ROUTEWARDEN_PUBLIC_URL is not: " +
	"set it to the address vendors use to reach this server (e.g. https://routewarden.example.org); links are never built from a request's Host header")
