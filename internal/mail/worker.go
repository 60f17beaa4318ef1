package mail

import (
	"context"
	"log/slog"
	"time"

	rw "routewarden/internal/routewarden"
)

// Sender delivers one message.
type Sender interface {
	Send(m *rw.Mail, now time.Time) error
}

// SenderFunc adapts a function to Sender (tests use it for a fake server).
type SenderFunc func(m *rw.Mail, now time.Time) error

// Send calls f.
func (f SenderFunc) Send(m *rw.Mail, now time.Time) error { return f(m, now) }

// Worker sends the outbox: it claims due messages (so several instances never send one twice),
// sends them and records the outcome; failures are retried with exponential back-off up to
// MaxAttempts.
type Worker struct {
	Store       rw.InvitationStore
	Sender      Sender
	Log         *slog.Logger
	Now         func() time.Time
	Interval    time.Duration // between polls; default 15 s
	MaxAttempts int           // default 8
	Batch       int           // default 20
}

// Backoff returns the wait before attempt n+1 after n failed attempts: 1 min, 2, 4, … capped at
// 6 hours.
func Backoff(n int) time.Duration {
	d := time.Minute << min(max(n-1, 0), 9)
	return min(d, 6*time.Hour)
}

// RunOnce sends the messages due now and returns how many were sent and how many failed.
func (w *Worker) RunOnce(ctx context.Context) (sent, failed int, err error) {
	now := w.Now()
	batch, maxAttempts := w.Batch, w.MaxAttempts
	if batch == 0 {
		batch = 20
	}
	if maxAttempts == 0 {
		maxAttempts = 8
	}
	msgs, err := w.Store.ClaimMail(ctx, now, batch, 10*time.Minute)
	if err != nil {
		return 0, 0, err
	}
	for _, m := range msgs {
		if m.Attempts >= maxAttempts {
			// Parked: kept for the administrator to see, without its body (and link).
			_ = w.Store.GiveUpMail(ctx, m.ID, "gave up after "+itoa(m.Attempts)+" attempts: "+m.LastError)
			failed++
			continue
		}
		if err := w.Sender.Send(m, now); err != nil {
			failed++
			w.logger().Warn("mail failed", "outbox_id", m.ID, "attempt", m.Attempts+1, "err", err)
			if err := w.Store.MarkMailFailed(ctx, m.ID, err.Error(), now.Add(Backoff(m.Attempts+1))); err != nil {
				return sent, failed, err
			}
			continue
		}
		sent++
		if err := w.Store.MarkMailSent(ctx, m.ID, now); err != nil {
			return sent, failed, err
		}
	}
	return sent, failed, nil
}

// Run polls the outbox until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	iv := w.Interval
	if iv == 0 {
		iv = 15 * time.Second
	}
	t := time.NewTicker(iv)
	defer t.Stop()
	for {
		if _, _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.logger().Error("outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (w *Worker) logger() *slog.Logger {
	if w.Log == nil {
		return slog.Default()
	}
	return w.Log
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
