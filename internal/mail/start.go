package mail

import (
	"context"
	"errors"
	"log/slog"
	"time"

	rw "routewarden/internal/routewarden"
)

// Start runs the background mail work until ctx ends: the reminder job every hour (a reminder
// is issued once per assessment and purpose, so several instances do no harm) and, when SMTP is
// configured, the outbox worker. Without SMTP, reminders are not issued either: the analyst
// chases by hand with "Send a new link".
//
// Start refuses mail without a public URL (ROUTEWARDEN_PUBLIC_URL): links in e-mails are built
// from it and never from a request's Host header, which a client chooses.
func Start(ctx context.Context, cfg Config, st rw.InvitationStore, baseURL string, now func() time.Time, log *slog.Logger) error {
	if !cfg.Enabled() {
		log.Info("mail off: invitation links are shown to the analyst to send by hand (set ROUTEWARDEN_SMTP_HOST to enable)")
		return nil
	}
	if baseURL == "" {
		return ErrNoPublicURL
	}
	if cfg.TLS == "" {
		cfg.TLS = "starttls"
	}
	w := &Worker{Store: st, Sender: SMTPSender{Config: cfg}, Log: log, Now: now}
	go w.Run(ctx)
	r := &Reminders{Store: st, BaseURL: baseURL, Now: now}
	go func() {
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			if n, err := r.RunOnce(ctx); err != nil && ctx.Err() == nil {
				log.Error("reminders", "err", err)
			} else if n > 0 {
				log.Info("reminders queued", "count", n)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return nil
}

// ErrNoPublicURL is returned when mail is configured but the public URL that links in e-mails
// are built from is not.
var ErrNoPublicURL = errors.New("e-mail is configured (ROUTEWARDEN_SMTP_HOST) but ROUTEWARDEN_PUBLIC_URL is not: " +
	"set it to the address vendors use to reach this server (e.g. https://routewarden.example.org); links are never built from a request's Host header")
