package job

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/webhook"
)

// SyncArgs asks for a sync of every configured routing-data source.
type SyncArgs struct{}

// Kind implements river.JobArgs.
func (SyncArgs) Kind() string { return "source.sync" }

// RecheckArgs asks for one monitor pass over the whole portfolio.
type RecheckArgs struct{}

// Kind implements river.JobArgs.
func (RecheckArgs) Kind() string { return "monitor.recheck" }

// MailArgs asks for one pass of the e-mail outbox.
type MailArgs struct{}

// Kind implements river.JobArgs.
func (MailArgs) Kind() string { return "mail.deliver" }

// RemindArgs asks for the invitation reminders that are due.
type RemindArgs struct{}

// Kind implements river.JobArgs.
func (RemindArgs) Kind() string { return "invitation.remind" }

// DeliverArgs asks for one webhook delivery.
type DeliverArgs struct {
	DeliveryID int64 `json:"delivery_id"`
}

// Kind implements river.JobArgs.
func (DeliverArgs) Kind() string { return "webhook.deliver" }

// DeliveryStore is what the delivery worker reads and records.
type DeliveryStore interface {
	FindDeliveryByID(ctx context.Context, id int64) (*rw.Delivery, error)
	FindWebhookByID(ctx context.Context, id int64) (*rw.Webhook, error)
	RecordDeliveryAttempt(ctx context.Context, id int64, code int, errText string, delivered bool) error
	GiveUpDelivery(ctx context.Context, id int64) error
}

// Deps are the functions the workers call. A nil function leaves its job kind without a worker
// here (an instance that only enqueues).
type Deps struct {
	Sync       func(ctx context.Context) error
	Recheck    func(ctx context.Context) error
	Mail       func(ctx context.Context) error // e-mail outbox pass
	Remind     func(ctx context.Context) error // invitation reminders
	Deliveries DeliveryStore
	Webhooks   *webhook.Client
	Now        func() time.Time
}

// Workers is the set of job kinds this process can work.
type Workers struct {
	river *river.Workers
	kinds map[string]bool
}

func (w *Workers) has(kind string) bool { return w.kinds[kind] }

// NewWorkers registers a worker for each job kind whose dependency is given. Delivery jobs are
// always registered (so that they can be inserted); without a store they fail.
func NewWorkers(d Deps) *Workers {
	w := &Workers{river: river.NewWorkers(), kinds: map[string]bool{}}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Sync != nil {
		river.AddWorker(w.river, river.WorkFunc(func(ctx context.Context, j *river.Job[SyncArgs]) error { return d.Sync(ctx) }))
		w.kinds[SyncArgs{}.Kind()] = true
	}
	if d.Recheck != nil {
		river.AddWorker(w.river, river.WorkFunc(func(ctx context.Context, j *river.Job[RecheckArgs]) error { return d.Recheck(ctx) }))
		w.kinds[RecheckArgs{}.Kind()] = true
	}
	if d.Mail != nil {
		river.AddWorker(w.river, river.WorkFunc(func(ctx context.Context, j *river.Job[MailArgs]) error { return d.Mail(ctx) }))
		w.kinds[MailArgs{}.Kind()] = true
	}
	if d.Remind != nil {
		river.AddWorker(w.river, river.WorkFunc(func(ctx context.Context, j *river.Job[RemindArgs]) error { return d.Remind(ctx) }))
		w.kinds[RemindArgs{}.Kind()] = true
	}
	river.AddWorker(w.river, river.WorkFunc(func(ctx context.Context, j *river.Job[DeliverArgs]) error {
		return deliver(ctx, d, j.Args.DeliveryID, j.Attempt >= j.MaxAttempts)
	}))
	w.kinds[DeliverArgs{}.Kind()] = true
	return w
}

// deliver makes one attempt of a webhook delivery and records it. An error makes River retry
// with backoff; the last failed attempt marks the delivery failed.
func deliver(ctx context.Context, d Deps, id int64, last bool) error {
	if d.Deliveries == nil || d.Webhooks == nil {
		return fmt.Errorf("delivery %d: %w", id, errNoWorker)
	}
	dl, err := d.Deliveries.FindDeliveryByID(ctx, id)
	if err != nil {
		if rw.ErrorCode(err) == rw.ENOTFOUND {
			return nil // the webhook was deleted with its log
		}
		return err
	}
	if dl.State != "pending" {
		return nil
	}
	hook, err := d.Deliveries.FindWebhookByID(ctx, dl.WebhookID)
	if err != nil {
		return err
	}
	if !hook.Enabled {
		return d.Deliveries.GiveUpDelivery(ctx, id)
	}
	res := d.Webhooks.Deliver(ctx, hook.URL, hook.Secret, dl.Event, []byte(dl.Payload), d.Now())
	errText := ""
	if res.Err != nil {
		errText = res.Err.Error()
	}
	if err := d.Deliveries.RecordDeliveryAttempt(ctx, id, res.StatusCode, errText, res.OK()); err != nil {
		return err
	}
	if res.OK() {
		return nil
	}
	if last {
		if err := d.Deliveries.GiveUpDelivery(ctx, id); err != nil {
			return err
		}
	}
	return fmt.Errorf("delivery %d to webhook %d: %s", id, hook.ID, errText)
}
