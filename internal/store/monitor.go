package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	rw "routewarden/internal/routewarden"
)

// Enqueuer puts background work into the job queue inside the transaction that causes it, so
// that the work exists exactly when the change does. It receives the IDs of the webhook
// deliveries created in that transaction.
type Enqueuer func(ctx context.Context, tx *sql.Tx, deliveryIDs []int64) error

type monitorRunRow struct {
	ID         int64 `gorm:"primaryKey"`
	StartedAt  time.Time
	FinishedAt time.Time
	ASNs       int64 `gorm:"column:asns"`
	Results    int64
	Changes    int64
	Opened     int64
	Resolved   int64
	Snapshots  string
	// Portfolio figures (nullable: passes without data, and older passes).
	ROACoverage *float64 `gorm:"column:roa_coverage"`
	ROAMeasured *int64   `gorm:"column:roa_measured"`
	InvalidASNs *int64   `gorm:"column:invalid_asns"`
}

func (monitorRunRow) TableName() string { return "monitor_runs" }

type historyRow struct {
	ID         int64 `gorm:"primaryKey"`
	RunID      int64
	ASN        int64 `gorm:"column:asn"`
	CheckID    string
	Status     string
	Figure     *float64
	Summary    string
	Details    string
	Snapshots  string
	ComputedAt time.Time
}

func (historyRow) TableName() string { return "check_history" }

func (r *historyRow) result() rw.CheckResult {
	out := rw.CheckResult{ASN: uint32(r.ASN), Check: r.CheckID, Status: rw.CheckStatus(r.Status), Figure: r.Figure,
		Summary: r.Summary, Snapshots: splitIDs(r.Snapshots), ComputedAt: r.ComputedAt.UTC()}
	_ = json.Unmarshal([]byte(r.Details), &out.Details)
	return out
}

type alertRow struct {
	ID         int64 `gorm:"primaryKey"`
	VendorID   int64
	ASN        int64 `gorm:"column:asn"`
	RuleID     string
	ControlID  string
	Severity   string
	Subject    string
	Summary    string
	Evidence   string
	Snapshots  string
	State      string
	OpenedAt   time.Time
	LastSeenAt time.Time
	ResolvedAt *time.Time
	AckAt      *time.Time
	AckBy      string
	AckComment string
}

func (alertRow) TableName() string { return "alerts" }

func (r *alertRow) domain() rw.Alert {
	a := rw.Alert{ID: r.ID, VendorID: r.VendorID, ASN: uint32(r.ASN), Rule: r.RuleID, Control: r.ControlID,
		Severity: rw.Severity(r.Severity), Subject: r.Subject, Summary: r.Summary, Snapshots: splitIDs(r.Snapshots),
		State: rw.AlertState(r.State), OpenedAt: r.OpenedAt.UTC(), LastSeenAt: r.LastSeenAt.UTC(),
		ResolvedAt: utcPtr(r.ResolvedAt), AckAt: utcPtr(r.AckAt), AckBy: r.AckBy, AckComment: r.AckComment}
	_ = json.Unmarshal([]byte(r.Evidence), &a.Evidence)
	return a
}

func detailsJSON(ds []rw.Detail) string {
	if ds == nil {
		ds = []rw.Detail{}
	}
	b, _ := json.Marshal(ds)
	return string(b)
}

// LatestHistory returns, for each ASN given, the latest recorded result of each check.
func (db *DB) LatestHistory(ctx context.Context, asns []uint32) (map[uint32][]rw.CheckResult, error) {
	out := map[uint32][]rw.CheckResult{}
	if len(asns) == 0 {
		return out, nil
	}
	want := make(map[uint32]bool, len(asns))
	for _, a := range asns {
		want[a] = true
	}
	var rows []historyRow
	err := db.q(ctx).Raw(`SELECT h.* FROM check_history h
		JOIN (SELECT MAX(id) AS id FROM check_history GROUP BY asn, check_id) m ON h.id = m.id`).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for i := range rows {
		if asn := uint32(rows[i].ASN); want[asn] {
			out[asn] = append(out[asn], rows[i].result())
		}
	}
	return out, nil
}

// FindHistory returns the recorded changes of one ASN's results since t, oldest first.
func (db *DB) FindHistory(ctx context.Context, asn uint32, since time.Time) ([]rw.HistoryEntry, error) {
	var rows []historyRow
	if err := db.q(ctx).Where("asn = ? AND computed_at >= ?", int64(asn), since).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]rw.HistoryEntry, len(rows))
	for i := range rows {
		out[i] = rw.HistoryEntry{ID: rows[i].ID, RunID: rows[i].RunID, Result: rows[i].result()}
	}
	return out, nil
}

// FindMonitorRuns returns the monitor passes started since t, oldest first.
func (db *DB) FindMonitorRuns(ctx context.Context, since time.Time) ([]rw.MonitorRun, error) {
	var rows []monitorRunRow
	if err := db.q(ctx).Where("started_at >= ?", since).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]rw.MonitorRun, len(rows))
	for i, r := range rows {
		out[i] = *r.domain()
	}
	return out, nil
}

// LatestMonitorRun returns the newest monitor pass (not found when none ran yet).
func (db *DB) LatestMonitorRun(ctx context.Context) (*rw.MonitorRun, error) {
	var rows []monitorRunRow
	if err := db.q(ctx).Order("id DESC").Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, rw.Errorf(rw.ENOTFOUND, "No monitor pass has run yet.")
	}
	return rows[0].domain(), nil
}

func (r *monitorRunRow) domain() *rw.MonitorRun {
	run := &rw.MonitorRun{ID: r.ID, StartedAt: r.StartedAt.UTC(), FinishedAt: r.FinishedAt.UTC(), ASNs: int(r.ASNs),
		Results: int(r.Results), Changes: int(r.Changes), Opened: int(r.Opened), Resolved: int(r.Resolved),
		ROACoverage: r.ROACoverage}
	if r.ROAMeasured != nil {
		run.ROAMeasured = int(*r.ROAMeasured)
	}
	if r.InvalidASNs != nil {
		n := int(*r.InvalidASNs)
		run.InvalidASNs = &n
	}
	_ = json.Unmarshal([]byte(r.Snapshots), &run.Snapshots)
	return run
}

// PruneHistory removes monitor passes (and the history rows they recorded) older than t, keeping
// for every (ASN, check) its latest row so that the next pass still has a baseline.
func (db *DB) PruneHistory(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(`DELETE FROM check_history WHERE computed_at < ? AND id NOT IN
			(SELECT MAX(id) FROM check_history GROUP BY asn, check_id)`, before)
		if res.Error != nil {
			return res.Error
		}
		n = res.RowsAffected
		return tx.Exec(`DELETE FROM monitor_runs WHERE started_at < ? AND id NOT IN (SELECT DISTINCT run_id FROM check_history)`, before).Error
	})
	return n, err
}

// RecordRun stores one monitor pass in one transaction: the run, changed results in the
// history, all results as the latest, alerts opened, refreshed and resolved with audit entries,
// and webhook deliveries for the alert events, handed to the Enqueuer in the same transaction.
func (db *DB) RecordRun(ctx context.Context, out *rw.RunOutcome) ([]rw.AlertEvent, error) {
	var events []rw.AlertEvent
	err := db.tx(ctx, func(tx *gorm.DB) error {
		events = nil
		snaps, _ := json.Marshal(out.Run.Snapshots)
		run := monitorRunRow{StartedAt: out.Run.StartedAt, FinishedAt: out.Run.FinishedAt, ASNs: int64(out.Run.ASNs),
			Results: int64(out.Run.Results), Changes: int64(len(out.Changed)), Snapshots: string(snaps), ROACoverage: out.Run.ROACoverage}
		if out.Run.ROACoverage != nil {
			n := int64(out.Run.ROAMeasured)
			run.ROAMeasured = &n
		}
		if out.Run.InvalidASNs != nil {
			n := int64(*out.Run.InvalidASNs)
			run.InvalidASNs = &n
		}
		if err := tx.Create(&run).Error; err != nil {
			return err
		}
		out.Run.ID = run.ID
		if err := insertHistory(tx, run.ID, out.Changed); err != nil {
			return err
		}
		if err := upsertResults(tx, out.Changed); err != nil {
			return err
		}
		if out.Touch {
			if err := touchResults(tx, out.Results); err != nil {
				return err
			}
		}
		var err error
		if events, err = db.reconcileAlerts(tx, out); err != nil {
			return err
		}
		opened, resolved := 0, 0
		for _, e := range events {
			if e.Type == "alert.opened" {
				opened++
			} else if e.Type == "alert.resolved" {
				resolved++
			}
		}
		if err := tx.Model(&monitorRunRow{}).Where("id = ?", run.ID).Updates(map[string]any{"opened": opened, "resolved": resolved}).Error; err != nil {
			return err
		}
		return db.notify(ctx, tx, events)
	})
	if err != nil {
		return nil, fmt.Errorf("record monitor run: %w", translate(err, "monitor run"))
	}
	return events, nil
}

func insertHistory(tx *gorm.DB, runID int64, rs []rw.CheckResult) error {
	if len(rs) == 0 {
		return nil
	}
	rows := make([]historyRow, len(rs))
	for i, r := range rs {
		rows[i] = historyRow{RunID: runID, ASN: int64(r.ASN), CheckID: r.Check, Status: string(r.Status), Figure: r.Figure,
			Summary: r.Summary, Details: detailsJSON(r.Details), Snapshots: joinIDs(r.Snapshots), ComputedAt: r.ComputedAt}
	}
	return tx.CreateInBatches(rows, 500).Error
}

// touchResults moves the computation time and snapshots of the pass's unchanged results
// forward with one statement per check, rather than rewriting every row.
func touchResults(tx *gorm.DB, rs []rw.CheckResult) error {
	type group struct {
		at    time.Time
		snaps string
		asns  []int64
	}
	byCheck := map[string]*group{}
	var order []string
	for _, r := range rs {
		g := byCheck[r.Check]
		if g == nil {
			g = &group{at: r.ComputedAt, snaps: joinIDs(r.Snapshots)}
			byCheck[r.Check] = g
			order = append(order, r.Check)
		}
		g.asns = append(g.asns, int64(r.ASN))
	}
	for _, c := range order {
		g := byCheck[c]
		for start := 0; start < len(g.asns); start += 5000 {
			end := min(start+5000, len(g.asns))
			if err := tx.Exec(`UPDATE check_results SET computed_at = ?, snapshots = ? WHERE check_id = ? AND asn IN ?`,
				g.at, g.snaps, c, g.asns[start:end]).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// upsertResults makes the pass's changed results the latest shown on the ASN pages.
func upsertResults(tx *gorm.DB, rs []rw.CheckResult) error {
	if len(rs) == 0 {
		return nil
	}
	rows := make([]checkResultRow, len(rs))
	for i, r := range rs {
		rows[i] = checkResultRow{ASN: int64(r.ASN), CheckID: r.Check, Status: string(r.Status), Figure: r.Figure, Summary: r.Summary,
			Details: detailsJSON(r.Details), Snapshots: joinIDs(r.Snapshots), ComputedAt: r.ComputedAt}
	}
	return tx.Clauses(clause.OnConflict{UpdateAll: true}).CreateInBatches(rows, 500).Error
}

// reconcileAlerts opens an alert for each new condition, refreshes those that still hold and
// resolves active alerts in the pass's scope whose condition cleared.
func (db *DB) reconcileAlerts(tx *gorm.DB, out *rw.RunOutcome) ([]rw.AlertEvent, error) {
	var active []alertRow
	if err := tx.Where("state <> ?", string(rw.AlertResolved)).Find(&active).Error; err != nil {
		return nil, err
	}
	byKey := make(map[string]*alertRow, len(active))
	for i := range active {
		byKey[rw.AlertKey(active[i].RuleID, uint32(active[i].ASN), active[i].Subject)] = &active[i]
	}
	// A pass replayed at another time (the demo's history) dates its alerts at that time.
	now := out.Run.FinishedAt
	if now.IsZero() {
		now = db.Now()
	}
	held := map[string]bool{}
	var events []rw.AlertEvent
	for _, c := range out.Conditions {
		k := c.Key()
		if held[k] {
			continue
		}
		held[k] = true
		if a := byKey[k]; a != nil {
			err := tx.Model(&alertRow{}).Where("id = ?", a.ID).Updates(map[string]any{"last_seen_at": now, "summary": c.Summary,
				"evidence": detailsJSON(c.Evidence), "snapshots": joinIDs(c.Snapshots)}).Error
			if err != nil {
				return nil, err
			}
			continue
		}
		r := alertRow{VendorID: c.VendorID, ASN: int64(c.ASN), RuleID: c.Rule, ControlID: c.Control, Severity: string(c.Severity),
			Subject: c.Subject, Summary: c.Summary, Evidence: detailsJSON(c.Evidence), Snapshots: joinIDs(c.Snapshots),
			State: string(rw.AlertOpen), OpenedAt: now, LastSeenAt: now}
		if err := tx.Create(&r).Error; err != nil {
			return nil, err
		}
		events = append(events, rw.AlertEvent{Type: "alert.opened", Alert: r.domain()})
		if err := db.appendAudit(tx, rw.AuditEvent{Actor: "monitor", Action: "alert.opened",
			Detail: fmt.Sprintf("alert %d [%s] %s", r.ID, r.Severity, r.Summary)}); err != nil {
			return nil, err
		}
	}
	for k, a := range byKey {
		if held[k] || !out.Scope[rw.AlertKey(a.RuleID, uint32(a.ASN), "")] {
			continue
		}
		err := tx.Model(&alertRow{}).Where("id = ?", a.ID).Updates(map[string]any{"state": string(rw.AlertResolved), "resolved_at": now}).Error
		if err != nil {
			return nil, err
		}
		a.State, a.ResolvedAt = string(rw.AlertResolved), &now
		events = append(events, rw.AlertEvent{Type: "alert.resolved", Alert: a.domain()})
		if err := db.appendAudit(tx, rw.AuditEvent{Actor: "monitor", Action: "alert.resolved",
			Detail: fmt.Sprintf("alert %d resolved: the condition cleared (%s)", a.ID, a.Summary)}); err != nil {
			return nil, err
		}
	}
	return events, nil
}

// FindAlerts returns alerts matching f, newest first, with their vendors' names.
func (db *DB) FindAlerts(ctx context.Context, f rw.AlertFilter) ([]rw.Alert, error) {
	q := db.q(ctx).Model(&alertRow{})
	switch f.State {
	case "":
	case "active":
		q = q.Where("state <> ?", string(rw.AlertResolved))
	default:
		q = q.Where("state = ?", f.State)
	}
	if f.VendorID != 0 {
		q = q.Where("vendor_id = ?", f.VendorID)
	}
	if f.ASN != 0 {
		q = q.Where("asn = ?", int64(f.ASN))
	}
	if f.Rule != "" {
		q = q.Where("rule_id = ?", f.Rule)
	}
	if f.Severity != "" {
		q = q.Where("severity = ?", f.Severity)
	}
	if !f.Since.IsZero() {
		q = q.Where("opened_at >= ?", f.Since)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var rows []alertRow
	if err := q.Order("opened_at DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, err
	}
	names, err := db.vendorNames(ctx, rows)
	if err != nil {
		return nil, err
	}
	out := make([]rw.Alert, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
		out[i].VendorName = names[rows[i].VendorID]
	}
	return out, nil
}

func (db *DB) vendorNames(ctx context.Context, rows []alertRow) (map[int64]string, error) {
	ids := map[int64]bool{}
	for _, r := range rows {
		if r.VendorID != 0 {
			ids[r.VendorID] = true
		}
	}
	names := map[int64]string{}
	if len(ids) == 0 {
		return names, nil
	}
	list := make([]int64, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	var vs []struct {
		ID        int64
		LegalName string
	}
	if err := db.q(ctx).Table("vendors").Select("id, legal_name").Where("id IN ?", list).Scan(&vs).Error; err != nil {
		return nil, err
	}
	for _, v := range vs {
		names[v.ID] = v.LegalName
	}
	return names, nil
}

// FindAlertByID returns one alert.
func (db *DB) FindAlertByID(ctx context.Context, id int64) (*rw.Alert, error) {
	var r alertRow
	if err := db.q(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, translate(err, "alert")
	}
	names, err := db.vendorNames(ctx, []alertRow{r})
	if err != nil {
		return nil, err
	}
	a := r.domain()
	a.VendorName = names[r.VendorID]
	return &a, nil
}

// CountActiveAlerts counts open and acknowledged alerts by severity.
func (db *DB) CountActiveAlerts(ctx context.Context) (map[rw.Severity]int, error) {
	var rows []struct {
		Severity string
		N        int
	}
	if err := db.q(ctx).Raw(`SELECT severity, COUNT(*) AS n FROM alerts WHERE state = ? GROUP BY severity`, string(rw.AlertOpen)).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := map[rw.Severity]int{}
	for _, r := range rows {
		out[rw.Severity(r.Severity)] = r.N
	}
	return out, nil
}

// AcknowledgeAlert marks an active alert as seen by actor, with a comment, in the audit log, and
// announces it to webhooks.
func (db *DB) AcknowledgeAlert(ctx context.Context, id int64, actor, comment string) (*rw.Alert, error) {
	if len(comment) > 2000 {
		return nil, &rw.Error{Code: rw.EINVALID, Field: "comment", Message: "comment: at most 2000 characters"}
	}
	var a rw.Alert
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var r alertRow
		if err := tx.Where("id = ?", id).Take(&r).Error; err != nil {
			return translate(err, "alert")
		}
		if r.State != string(rw.AlertOpen) {
			return &rw.Error{Code: rw.ECONFLICT, Message: fmt.Sprintf("alert %d is %s; only open alerts can be acknowledged", id, r.State)}
		}
		now := db.Now()
		if err := tx.Model(&alertRow{}).Where("id = ?", id).Updates(map[string]any{"state": string(rw.AlertAcknowledged),
			"ack_at": now, "ack_by": actor, "ack_comment": comment}).Error; err != nil {
			return err
		}
		r.State, r.AckAt, r.AckBy, r.AckComment = string(rw.AlertAcknowledged), &now, actor, comment
		a = r.domain()
		if err := db.appendAudit(tx, rw.AuditEvent{Actor: actor, Action: "alert.acknowledged",
			Detail: fmt.Sprintf("alert %d acknowledged: %s", id, comment)}); err != nil {
			return err
		}
		return db.notify(ctx, tx, []rw.AlertEvent{{Type: "alert.acknowledged", Alert: a}})
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// AlertMail, when set, is where e-mail about new critical and high alerts goes: the outbox,
// to every enabled risk officer and administrator, with links built from BaseURL.
type AlertMail struct {
	BaseURL string
}

// mailAlerts queues an e-mail per recipient for the alerts opened that are critical or high.
func (db *DB) mailAlerts(tx *gorm.DB, events []rw.AlertEvent) error {
	if db.AlertMail == nil {
		return nil
	}
	var opened []rw.Alert
	for _, e := range events {
		if e.Type == "alert.opened" && (e.Alert.Severity == rw.SeverityCritical || e.Alert.Severity == rw.SeverityHigh) {
			opened = append(opened, e.Alert)
		}
	}
	if len(opened) == 0 {
		return nil
	}
	var to []string
	if err := tx.Model(&userRow{}).Where("disabled = ? AND role IN ?", false, []string{string(rw.RoleRiskOfficer), string(rw.RoleAdmin)}).
		Order("email").Pluck("email", &to).Error; err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Routewarden's monitor opened %d alert(s) of high or critical severity:\n\n", len(opened))
	for _, a := range opened {
		fmt.Fprintf(&b, "- [%s] %s\n  control %s, rule %s, opened %s\n", a.Severity, a.Summary, a.Control, a.Rule, a.OpenedAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	fmt.Fprintf(&b, "\nOpen alerts: %s/alerts?state=open\n", strings.TrimSuffix(db.AlertMail.BaseURL, "/"))
	subject := fmt.Sprintf("Routewarden: %d new alert(s), first: %s", len(opened), opened[0].Summary)
	if len(subject) > 200 {
		subject = subject[:197] + "…"
	}
	now := db.Now()
	for _, addr := range to {
		body := b.String()
		sum := sha256.Sum256([]byte(body))
		r := outboxRow{Recipient: addr, Subject: subject, Body: body, BodySHA256: hex.EncodeToString(sum[:]), NextAttemptAt: now, CreatedAt: now}
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
	}
	return nil
}

// notify creates a delivery for every enabled webhook subscribed to each event and hands them to
// the Enqueuer inside tx; new critical and high alerts are also mailed (AlertMail).
func (db *DB) notify(ctx context.Context, tx *gorm.DB, events []rw.AlertEvent) error {
	if len(events) == 0 {
		return nil
	}
	if err := db.mailAlerts(tx, events); err != nil {
		return err
	}
	hooks, err := enabledWebhooks(tx, 0)
	if err != nil {
		return err
	}
	var ids []int64
	for _, e := range events {
		got, err := db.createDeliveries(tx, hooks, e.Type, map[string]any{"alert": e.Alert.JSON()})
		if err != nil {
			return err
		}
		ids = append(ids, got...)
	}
	return db.enqueue(ctx, tx, ids)
}

func (db *DB) enqueue(ctx context.Context, tx *gorm.DB, ids []int64) error {
	if len(ids) == 0 || db.Enqueue == nil {
		return nil
	}
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return fmt.Errorf("enqueue: not inside a database transaction")
	}
	return db.Enqueue(ctx, sqlTx, ids)
}

// SQL returns the database/sql pool, for the job queue that shares it.
func (db *DB) SQL() *sql.DB { return db.sql }

// WithMigrationLock runs fn while holding the lock that serialises schema migrations between
// instances, for schema changes owned by a library (the job queue's own tables).
func (db *DB) WithMigrationLock(ctx context.Context, fn func(ctx context.Context) error) error {
	return db.withMigrationLock(ctx, func(*sql.Conn) error { return fn(ctx) })
}
