package routewarden

import (
	"context"
	"time"
)

// Severity ranks an alert.
type Severity string

// Alert severities, most urgent first.
const (
	SeverityCritical Severity = "critical"
	SeverityHigh     Severity = "high"
	SeverityMedium   Severity = "medium"
	SeverityLow      Severity = "low"
)

// ValidSeverity reports whether s is a known severity.
func ValidSeverity(s string) bool {
	switch Severity(s) {
	case SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow:
		return true
	}
	return false
}

// AlertState is where an alert is in its life: open, acknowledged (still holding, seen by a
// person) or resolved (the condition cleared).
type AlertState string

// Alert states.
const (
	AlertOpen         AlertState = "open"
	AlertAcknowledged AlertState = "acknowledged"
	AlertResolved     AlertState = "resolved"
)

// Alert is a monitored condition that holds for one vendor ASN (or, for rules about our own data,
// ASN 0). At most one alert per rule × ASN × subject is not resolved at a time.
type Alert struct {
	ID         int64
	VendorID   int64 // 0 for alerts about Routewarden's own data
	VendorName string
	ASN        uint32
	Rule       string // rule ID from the alert rules file
	Control    string // the control the rule concerns
	Severity   Severity
	Subject    string // what the condition is about: a prefix, an upstream ASN, a source kind
	Summary    string
	Evidence   []Detail
	Snapshots  []int64
	State      AlertState
	OpenedAt   time.Time
	LastSeenAt time.Time
	ResolvedAt *time.Time
	AckAt      *time.Time
	AckBy      string
	AckComment string
}

// Active reports whether the alert's condition still holds (open or acknowledged).
func (a *Alert) Active() bool { return a.State != AlertResolved }

// AlertFilter selects alerts. Zero fields do not filter.
type AlertFilter struct {
	State    string // open, acknowledged, resolved, or "active" for open+acknowledged
	VendorID int64
	ASN      uint32
	Rule     string
	Severity string
	Since    time.Time
	Limit    int
}

// Condition is one rule's finding in one re-check: it opens an alert, or keeps one open.
type Condition struct {
	VendorID  int64
	ASN       uint32
	Rule      string
	Control   string
	Severity  Severity
	Subject   string
	Summary   string
	Evidence  []Detail
	Snapshots []int64
}

// Key is the de-duplication key of a condition and of the alert it opens.
func (c Condition) Key() string { return AlertKey(c.Rule, c.ASN, c.Subject) }

// AlertKey is the de-duplication key: rule × ASN × subject.
func AlertKey(rule string, asn uint32, subject string) string {
	return rule + "\x00" + itoa(uint64(asn)) + "\x00" + subject
}

func itoa(n uint64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// HistoryEntry is one stored change of a check result for one ASN: results that did not change
// between re-checks are not stored again.
type HistoryEntry struct {
	ID     int64
	RunID  int64
	Result CheckResult
}

// MonitorRun records one pass of the monitor.
type MonitorRun struct {
	ID         int64
	StartedAt  time.Time
	FinishedAt time.Time
	ASNs       int
	Results    int
	Changes    int
	Opened     int
	Resolved   int
	Snapshots  map[string]int64
	// Portfolio figures of the pass (nil without data): the mean ROA coverage over the supplier
	// ASNs with a known figure (ROAMeasured of them), and how many ASNs originate RPKI-invalid
	// routes.
	ROACoverage *float64
	ROAMeasured int
	InvalidASNs *int
}

// RunOutcome is what a monitor pass stores in one transaction: the changed results, the
// conditions that hold now (for the ASNs checked), and the ASNs checked.
type RunOutcome struct {
	Run        MonitorRun
	Results    []CheckResult // every result of the pass
	Changed    []CheckResult // those that differ from the previous pass (the history)
	Conditions []Condition
	// Scope lists the (rule, ASN) pairs that were evaluated: active alerts in scope whose
	// condition no longer holds are resolved; alerts outside it are left alone.
	Scope map[string]bool
	// Touch asks to move the unchanged latest results to this pass's time and snapshots (when
	// the pass rests on other snapshots than the previous one).
	Touch bool
}

// AlertEvent is an alert change that notifications announce.
type AlertEvent struct {
	Type  string // alert.opened, alert.resolved, alert.acknowledged
	Alert Alert
}

// Webhook is an admin-managed HTTP endpoint that receives signed event notifications.
type Webhook struct {
	ID        int64
	URL       string
	Secret    string // used to sign; shown once at creation, never in lists
	Events    []string
	Enabled   bool
	CreatedAt time.Time
	CreatedBy string
}

// WebhookEvents are the event types a webhook can subscribe to.
var WebhookEvents = []string{"alert.opened", "alert.resolved", "alert.acknowledged",
	"assessment.submitted", "assessment.approved", "assessment.rejected", "attestation.issued", "attestation.revoked", "test"}

// ValidWebhookEvent reports whether e is a known event type.
func ValidWebhookEvent(e string) bool {
	for _, x := range WebhookEvents {
		if x == e {
			return true
		}
	}
	return false
}

// Wants reports whether the webhook subscribes to event type e ("test" always).
func (w *Webhook) Wants(e string) bool {
	if e == "test" {
		return true
	}
	for _, x := range w.Events {
		if x == e {
			return true
		}
	}
	return false
}

// Delivery is one webhook call: its payload, and the outcome of the latest attempt.
type Delivery struct {
	ID          int64
	WebhookID   int64
	Event       string
	Payload     string
	State       string // pending, delivered, failed
	Attempts    int
	StatusCode  int
	Error       string
	CreatedAt   time.Time
	DeliveredAt *time.Time
}

// MonitorStore keeps monitoring history, alerts, webhooks and deliveries.
type MonitorStore interface {
	LatestHistory(ctx context.Context, asns []uint32) (map[uint32][]CheckResult, error)
	FindHistory(ctx context.Context, asn uint32, since time.Time) ([]HistoryEntry, error)
	FindMonitorRuns(ctx context.Context, since time.Time) ([]MonitorRun, error)
	FindAlerts(ctx context.Context, f AlertFilter) ([]Alert, error)
	FindAlertByID(ctx context.Context, id int64) (*Alert, error)
	CountActiveAlerts(ctx context.Context) (map[Severity]int, error)
	AcknowledgeAlert(ctx context.Context, id int64, actor, comment string) (*Alert, error)
	FindWebhooks(ctx context.Context) ([]Webhook, error)
	FindWebhookByID(ctx context.Context, id int64) (*Webhook, error)
	CreateWebhook(ctx context.Context, w *Webhook) error
	DeleteWebhook(ctx context.Context, id int64) error
	FindDeliveries(ctx context.Context, webhookID int64, limit int) ([]Delivery, error)
	// CreateDeliveries queues an event for every enabled webhook subscribed to it (hookID 0)
	// or for one webhook, and returns the delivery IDs.
	CreateDeliveries(ctx context.Context, hookID int64, event string, payload []byte) ([]int64, error)
	FindDeliveryByID(ctx context.Context, id int64) (*Delivery, error)
	RecordDeliveryAttempt(ctx context.Context, id int64, code int, errText string, delivered bool) error
}

// Job is one background job as the admin view shows it.
type Job struct {
	ID          int64
	Kind        string
	State       string // available, scheduled, running, retryable, completed, discarded, cancelled
	Attempt     int
	MaxAttempts int
	LastError   string
	Args        string
	CreatedAt   time.Time
	ScheduledAt time.Time
	FinalizedAt *time.Time
}

// JobQueue lists and retries background jobs.
type JobQueue interface {
	ListJobs(ctx context.Context, states []string, limit int) ([]Job, error)
	RetryJob(ctx context.Context, id int64) error
	CountJobs(ctx context.Context) (map[string]int, error)
}
