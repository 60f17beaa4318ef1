package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	rw "routewarden/internal/routewarden"
)

type webhookRow struct {
	ID        int64 `gorm:"primaryKey"`
	URL       string
	Secret    string
	Events    string
	Enabled   bool
	CreatedAt time.Time
	CreatedBy string
}

func (webhookRow) TableName() string { return "webhooks" }

func (r *webhookRow) domain() rw.Webhook {
	var evs []string
	if r.Events != "" {
		evs = strings.Split(r.Events, ",")
	}
	return rw.Webhook{ID: r.ID, URL: r.URL, Secret: r.Secret, Events: evs, Enabled: r.Enabled, CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy}
}

type deliveryRow struct {
	ID          int64 `gorm:"primaryKey"`
	WebhookID   int64
	Event       string
	Payload     string
	State       string
	Attempts    int
	StatusCode  int
	Error       string
	CreatedAt   time.Time
	DeliveredAt *time.Time
}

func (deliveryRow) TableName() string { return "webhook_deliveries" }

func (r *deliveryRow) domain() rw.Delivery {
	return rw.Delivery{ID: r.ID, WebhookID: r.WebhookID, Event: r.Event, Payload: r.Payload, State: r.State, Attempts: r.Attempts,
		StatusCode: r.StatusCode, Error: r.Error, CreatedAt: r.CreatedAt.UTC(), DeliveredAt: utcPtr(r.DeliveredAt)}
}

// FindWebhooks returns every webhook, oldest first.
func (db *DB) FindWebhooks(ctx context.Context) ([]rw.Webhook, error) {
	var rows []webhookRow
	if err := db.q(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]rw.Webhook, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// FindWebhookByID returns one webhook.
func (db *DB) FindWebhookByID(ctx context.Context, id int64) (*rw.Webhook, error) {
	var r webhookRow
	if err := db.q(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, translate(err, "webhook")
	}
	w := r.domain()
	return &w, nil
}

// CreateWebhook stores a webhook (validated by the caller) and records it in the audit log.
func (db *DB) CreateWebhook(ctx context.Context, w *rw.Webhook) error {
	r := webhookRow{URL: w.URL, Secret: w.Secret, Events: strings.Join(w.Events, ","), Enabled: w.Enabled, CreatedAt: db.Now(), CreatedBy: w.CreatedBy}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		return db.appendAudit(tx, rw.AuditEvent{Actor: w.CreatedBy, Action: "webhook.created", Detail: "webhook " + strconv.FormatInt(r.ID, 10) + " → " + w.URL + " for " + r.Events})
	})
	if err != nil {
		return translate(err, "webhook")
	}
	w.ID, w.CreatedAt = r.ID, r.CreatedAt
	return nil
}

// DeleteWebhook removes a webhook and its delivery log.
func (db *DB) DeleteWebhook(ctx context.Context, id int64) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("id = ?", id).Delete(&webhookRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &rw.Error{Code: rw.ENOTFOUND, Message: "webhook not found"}
		}
		return db.appendAudit(tx, rw.AuditEvent{Actor: "admin", Action: "webhook.deleted", Detail: "webhook " + strconv.FormatInt(id, 10)})
	})
}

// CreateDeliveries stores one delivery per enabled webhook subscribed to the event type (only
// webhook hookID when it is not 0), with the payload, and hands them to the Enqueuer in the same
// transaction. It returns their IDs.
func (db *DB) CreateDeliveries(ctx context.Context, hookID int64, event string, payload []byte) ([]int64, error) {
	var ids []int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		hooks, err := enabledWebhooks(tx, hookID)
		if err != nil {
			return err
		}
		for _, h := range hooks {
			if w := h.domain(); !w.Wants(event) {
				continue
			}
			d := deliveryRow{WebhookID: h.ID, Event: event, Payload: string(payload), State: "pending", CreatedAt: db.Now()}
			if err := tx.Create(&d).Error; err != nil {
				return err
			}
			ids = append(ids, d.ID)
		}
		return db.enqueue(ctx, tx, ids)
	})
	return ids, err
}

// enabledWebhooks lists the enabled webhooks (only hookID when it is not 0).
func enabledWebhooks(tx *gorm.DB, hookID int64) ([]webhookRow, error) {
	var hooks []webhookRow
	q := tx.Where("enabled = ?", true)
	if hookID != 0 {
		q = q.Where("id = ?", hookID)
	}
	return hooks, q.Find(&hooks).Error
}

// createDeliveries stores, inside tx, one delivery of event typ with data for every hook
// subscribed to it; all of them carry the same payload (one event ID). It returns their IDs
// for the Enqueuer.
func (db *DB) createDeliveries(tx *gorm.DB, hooks []webhookRow, typ string, data any) ([]int64, error) {
	var payload []byte
	var ids []int64
	for _, h := range hooks {
		if w := h.domain(); !w.Wants(typ) {
			continue
		}
		if payload == nil {
			var err error
			if payload, err = rw.NewWebhookPayload(typ, data, db.Now()); err != nil {
				return nil, err
			}
		}
		d := deliveryRow{WebhookID: h.ID, Event: typ, Payload: string(payload), State: "pending", CreatedAt: db.Now()}
		if err := tx.Create(&d).Error; err != nil {
			return nil, err
		}
		ids = append(ids, d.ID)
	}
	return ids, nil
}

// emit notifies the webhooks subscribed to event typ, inside the transaction that caused it: the
// deliveries exist, and their jobs are queued, exactly when the change commits.
func (db *DB) emit(ctx context.Context, tx *gorm.DB, typ string, data any) error {
	hooks, err := enabledWebhooks(tx, 0)
	if err != nil {
		return err
	}
	ids, err := db.createDeliveries(tx, hooks, typ, data)
	if err != nil {
		return err
	}
	return db.enqueue(ctx, tx, ids)
}

// FindDeliveries returns the latest deliveries of a webhook, newest first.
func (db *DB) FindDeliveries(ctx context.Context, webhookID int64, limit int) ([]rw.Delivery, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var rows []deliveryRow
	if err := db.q(ctx).Where("webhook_id = ?", webhookID).Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]rw.Delivery, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// FindDeliveryByID returns one delivery.
func (db *DB) FindDeliveryByID(ctx context.Context, id int64) (*rw.Delivery, error) {
	var r deliveryRow
	if err := db.q(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, translate(err, "webhook delivery")
	}
	d := r.domain()
	return &d, nil
}

// RecordDeliveryAttempt stores the outcome of one attempt; failed marks the delivery as given up.
func (db *DB) RecordDeliveryAttempt(ctx context.Context, id int64, code int, errText string, delivered bool) error {
	state := "pending"
	upd := map[string]any{"attempts": gorm.Expr("attempts + 1"), "status_code": code, "error": errText}
	if delivered {
		state = "delivered"
		upd["delivered_at"] = db.Now()
	}
	upd["state"] = state
	return db.q(ctx).Model(&deliveryRow{}).Where("id = ?", id).Updates(upd).Error
}

// GiveUpDelivery marks a delivery as failed for good (retries exhausted).
func (db *DB) GiveUpDelivery(ctx context.Context, id int64) error {
	return db.q(ctx).Model(&deliveryRow{}).Where("id = ? AND state = 'pending'", id).Update("state", "failed").Error
}

// PendingDeliveryIDs returns the deliveries not yet delivered nor given up, oldest first.
func (db *DB) PendingDeliveryIDs(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := db.q(ctx).Model(&deliveryRow{}).Where("state = ?", "pending").Order("id").Pluck("id", &ids).Error
	return ids, err
}
