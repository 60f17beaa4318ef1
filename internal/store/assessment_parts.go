package store

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	rw "routewarden/internal/routewarden"
)

type commentRow struct {
	ID           int64 `gorm:"primaryKey"`
	AssessmentID int64
	QuestionID   string
	Author       string
	FromVendor   bool
	Body         string
	CreatedAt    time.Time
}

func (commentRow) TableName() string { return "assessment_comments" }

type findingRow struct {
	ID           int64 `gorm:"primaryKey"`
	AssessmentID int64
	ControlID    string
	QuestionID   string
	Severity     string
	Title        string
	Status       string
	CreatedBy    string
	CreatedAt    time.Time
}

func (findingRow) TableName() string { return "findings" }

type waiverRow struct {
	ID            int64 `gorm:"primaryKey"`
	AssessmentID  int64
	ControlID     string
	Justification string
	ExpiresAt     time.Time
	CreatedBy     string
	CreatedAt     time.Time
}

func (waiverRow) TableName() string { return "waivers" }

type resolutionRow struct {
	AssessmentID int64  `gorm:"primaryKey;autoIncrement:false"`
	DiscKey      string `gorm:"primaryKey"`
	Outcome      string
	Reason       string
	ResolvedBy   string
	ResolvedAt   time.Time
}

func (resolutionRow) TableName() string { return "discrepancy_resolutions" }

type disputeRow struct {
	ID           int64 `gorm:"primaryKey"`
	AssessmentID int64
	ASN          int64 `gorm:"column:asn"`
	CheckID      string
	Explanation  string
	Author       string
	CreatedAt    time.Time
}

func (disputeRow) TableName() string { return "disputes" }

type measurementRow struct {
	AssessmentID int64  `gorm:"primaryKey;autoIncrement:false"`
	ASN          int64  `gorm:"column:asn;primaryKey;autoIncrement:false"`
	CheckID      string `gorm:"primaryKey"`
	Status       string
	Figure       *float64
	Summary      string
	Details      string
	Snapshots    string // comma-separated snapshot IDs
	ComputedAt   time.Time
}

func (measurementRow) TableName() string { return "assessment_measurements" }

// addWithAudit inserts row and records ev in one transaction.
func (db *DB) addWithAudit(ctx context.Context, row any, what string, ev func() rw.AuditEvent) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(row).Error; err != nil {
			return translate(err, what)
		}
		return db.appendAudit(tx, ev())
	})
}

// AddComment stores a comment.
func (db *DB) AddComment(ctx context.Context, c *rw.Comment) error {
	if err := c.Validate(); err != nil {
		return err
	}
	r := commentRow{AssessmentID: c.AssessmentID, QuestionID: c.QuestionID, Author: c.Author, FromVendor: c.FromVendor, Body: c.Body, CreatedAt: db.Now()}
	return db.addWithAudit(ctx, &r, "comment", func() rw.AuditEvent {
		c.ID, c.CreatedAt = r.ID, r.CreatedAt
		return rw.Event(c.AssessmentID, c.Author, "comment.added", "on %q", c.QuestionID)
	})
}

// FindComments lists the comments of an assessment, oldest first.
func (db *DB) FindComments(ctx context.Context, assessmentID int64) ([]*rw.Comment, error) {
	var rows []commentRow
	if err := db.q(ctx).Where("assessment_id = ?", assessmentID).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*rw.Comment, len(rows))
	for i, r := range rows {
		out[i] = &rw.Comment{ID: r.ID, AssessmentID: r.AssessmentID, QuestionID: r.QuestionID, Author: r.Author, FromVendor: r.FromVendor,
			Body: r.Body, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

// AddFinding stores a finding.
func (db *DB) AddFinding(ctx context.Context, f *rw.Finding) error {
	if err := f.Validate(); err != nil {
		return err
	}
	r := findingRow{AssessmentID: f.AssessmentID, ControlID: f.ControlID, QuestionID: f.QuestionID, Severity: f.Severity, Title: f.Title,
		Status: f.Status, CreatedBy: f.CreatedBy, CreatedAt: db.Now()}
	return db.addWithAudit(ctx, &r, "finding", func() rw.AuditEvent {
		f.ID, f.CreatedAt = r.ID, r.CreatedAt
		return rw.Event(f.AssessmentID, f.CreatedBy, "finding.raised", "%s (%s): %s", f.ControlID, f.Severity, f.Title)
	})
}

// FindFindings lists the findings of an assessment.
func (db *DB) FindFindings(ctx context.Context, assessmentID int64) ([]*rw.Finding, error) {
	var rows []findingRow
	if err := db.q(ctx).Where("assessment_id = ?", assessmentID).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*rw.Finding, len(rows))
	for i, r := range rows {
		out[i] = &rw.Finding{ID: r.ID, AssessmentID: r.AssessmentID, ControlID: r.ControlID, QuestionID: r.QuestionID, Severity: r.Severity,
			Title: r.Title, Status: r.Status, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

// ResolveFinding closes an open finding of the assessment.
func (db *DB) ResolveFinding(ctx context.Context, assessmentID, id int64, note, actor string) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&findingRow{}).Where("assessment_id = ? AND id = ? AND status = 'open'", assessmentID, id).Update("status", "resolved")
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return rw.Errorf(rw.ENOTFOUND, "There is no open finding %d in this assessment.", id)
		}
		return db.appendAudit(tx, rw.Event(assessmentID, actor, "finding.resolved", "finding %d: %s", id, note))
	})
}

// AddWaiver stores a waiver.
func (db *DB) AddWaiver(ctx context.Context, w *rw.Waiver) error {
	if err := w.Validate(db.Now()); err != nil {
		return err
	}
	r := waiverRow{AssessmentID: w.AssessmentID, ControlID: w.ControlID, Justification: w.Justification, ExpiresAt: w.ExpiresAt,
		CreatedBy: w.CreatedBy, CreatedAt: db.Now()}
	return db.addWithAudit(ctx, &r, "waiver", func() rw.AuditEvent {
		w.ID, w.CreatedAt = r.ID, r.CreatedAt
		return rw.Event(w.AssessmentID, w.CreatedBy, "waiver.granted", "%s until %s: %s", w.ControlID, w.ExpiresAt.Format(time.DateOnly), w.Justification)
	})
}

// FindWaivers lists the waivers of an assessment.
func (db *DB) FindWaivers(ctx context.Context, assessmentID int64) ([]*rw.Waiver, error) {
	var rows []waiverRow
	if err := db.q(ctx).Where("assessment_id = ?", assessmentID).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*rw.Waiver, len(rows))
	for i, r := range rows {
		out[i] = &rw.Waiver{ID: r.ID, AssessmentID: r.AssessmentID, ControlID: r.ControlID, Justification: r.Justification,
			ExpiresAt: r.ExpiresAt.UTC(), CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

// ResolveDiscrepancy records how a discrepancy was settled; a discrepancy is resolved once.
func (db *DB) ResolveDiscrepancy(ctx context.Context, res *rw.Resolution) error {
	if err := res.Validate(); err != nil {
		return err
	}
	r := resolutionRow{AssessmentID: res.AssessmentID, DiscKey: res.Key, Outcome: res.Outcome, Reason: res.Reason, ResolvedBy: res.ResolvedBy, ResolvedAt: db.Now()}
	err := db.addWithAudit(ctx, &r, "resolution", func() rw.AuditEvent {
		res.ResolvedAt = r.ResolvedAt
		return rw.Event(res.AssessmentID, res.ResolvedBy, "discrepancy.resolved", "%s: the %s stands — %s", res.Key, res.Outcome, res.Reason)
	})
	if rw.ErrorCode(err) == rw.ECONFLICT {
		return rw.Errorf(rw.ECONFLICT, "This discrepancy was already resolved.")
	}
	return err
}

// FindResolutions lists the discrepancy resolutions of an assessment.
func (db *DB) FindResolutions(ctx context.Context, assessmentID int64) ([]*rw.Resolution, error) {
	var rows []resolutionRow
	if err := db.q(ctx).Where("assessment_id = ?", assessmentID).Order("disc_key").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*rw.Resolution, len(rows))
	for i, r := range rows {
		out[i] = &rw.Resolution{AssessmentID: r.AssessmentID, Key: r.DiscKey, Outcome: r.Outcome, Reason: r.Reason, ResolvedBy: r.ResolvedBy, ResolvedAt: r.ResolvedAt.UTC()}
	}
	return out, nil
}

// AddDispute stores the vendor's dispute of a measurement.
func (db *DB) AddDispute(ctx context.Context, d *rw.Dispute) error {
	if err := d.Validate(); err != nil {
		return err
	}
	r := disputeRow{AssessmentID: d.AssessmentID, ASN: int64(d.ASN), CheckID: d.Check, Explanation: d.Explanation, Author: d.Author, CreatedAt: db.Now()}
	return db.addWithAudit(ctx, &r, "dispute", func() rw.AuditEvent {
		d.ID, d.CreatedAt = r.ID, r.CreatedAt
		return rw.Event(d.AssessmentID, d.Author, "measurement.disputed", "AS%d %s: %s", d.ASN, d.Check, d.Explanation)
	})
}

// FindDisputes lists the disputes of an assessment.
func (db *DB) FindDisputes(ctx context.Context, assessmentID int64) ([]*rw.Dispute, error) {
	var rows []disputeRow
	if err := db.q(ctx).Where("assessment_id = ?", assessmentID).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*rw.Dispute, len(rows))
	for i, r := range rows {
		out[i] = &rw.Dispute{ID: r.ID, AssessmentID: r.AssessmentID, ASN: uint32(r.ASN), Check: r.CheckID, Explanation: r.Explanation,
			Author: r.Author, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

func insertMeasurements(tx *gorm.DB, assessmentID int64, ms []rw.Measurement) error {
	if len(ms) == 0 {
		return nil
	}
	rows := make([]measurementRow, len(ms))
	for i, m := range ms {
		d, err := json.Marshal(m.Details)
		if err != nil || m.Details == nil {
			d = []byte("[]")
		}
		rows[i] = measurementRow{AssessmentID: assessmentID, ASN: int64(m.ASN), CheckID: m.Check, Status: string(m.Status), Figure: m.Figure,
			Summary: m.Summary, Details: string(d), Snapshots: joinIDs(m.Snapshots), ComputedAt: m.ComputedAt}
	}
	return tx.CreateInBatches(rows, 200).Error
}

// FindMeasurements returns the measurements captured for an assessment, by ASN and check.
func (db *DB) FindMeasurements(ctx context.Context, assessmentID int64) ([]rw.Measurement, error) {
	var rows []measurementRow
	if err := db.q(ctx).Where("assessment_id = ?", assessmentID).Order("asn, check_id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]rw.Measurement, len(rows))
	for i, r := range rows {
		out[i] = rw.Measurement{AssessmentID: r.AssessmentID, ASN: uint32(r.ASN), Check: r.CheckID, Status: rw.CheckStatus(r.Status),
			Figure: r.Figure, Summary: r.Summary, ComputedAt: r.ComputedAt.UTC()}
		_ = json.Unmarshal([]byte(r.Details), &out[i].Details)
		out[i].Snapshots = splitIDs(r.Snapshots)
	}
	return out, nil
}

// ReplaceMeasurements swaps the assessment's captured measurements for ms and refreshes the
// measured answers from prefill (answers the vendor gave itself are kept), in one transaction.
func (db *DB) ReplaceMeasurements(ctx context.Context, assessmentID int64, ms []rw.Measurement, prefill []*rw.Answer, actor string) error {
	now := db.Now()
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("assessment_id = ?", assessmentID).Delete(&measurementRow{}).Error; err != nil {
			return err
		}
		if err := insertMeasurements(tx, assessmentID, ms); err != nil {
			return err
		}
		changed := 0
		for _, p := range prefill {
			var r answerRow
			err := tx.Where("assessment_id = ? AND question_id = ?", assessmentID, p.QuestionID).Take(&r).Error
			switch {
			case err == gorm.ErrRecordNotFound:
				p.AssessmentID, p.Measured, p.UpdatedBy = assessmentID, true, "system"
				err = insertAnswer(tx, p, now)
			case err == nil && r.Measured && r.AnswerValues != valuesJSON(p.Values):
				err = tx.Model(&answerRow{}).Where("assessment_id = ? AND question_id = ?", assessmentID, p.QuestionID).
					Updates(map[string]any{"answer_values": valuesJSON(p.Values), "version": r.Version + 1, "updated_by": "system", "updated_at": now}).Error
			default:
				continue
			}
			if err != nil {
				return err
			}
			changed++
		}
		return db.appendAudit(tx, rw.Event(assessmentID, actor, "measurements.refreshed", "%d measurements captured, %d measured answers updated", len(ms), changed))
	})
}
