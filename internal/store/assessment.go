package store

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"gorm.io/gorm"

	rw "routewarden/internal/routewarden"
)

type assessmentRow struct {
	ID             int64 `gorm:"primaryKey"`
	VendorID       int64
	Title          string
	Library        string
	LibraryVersion string
	LibraryDigest  string
	Scope          string
	State          string
	DueDate        string
	ContactEmail   string
	Summary        string
	Version        int
	CreatedBy      string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	SubmittedAt    *time.Time
	DecidedAt      *time.Time
	Assignee       string
}

func (assessmentRow) TableName() string { return "assessments" }

// assessmentListRow is an assessment with its vendor's name.
type assessmentListRow struct {
	ID             int64
	VendorID       int64
	Title          string
	Library        string
	LibraryVersion string
	LibraryDigest  string
	Scope          string
	State          string
	DueDate        string
	ContactEmail   string
	Summary        string
	Version        int
	CreatedBy      string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	SubmittedAt    *time.Time
	DecidedAt      *time.Time
	Assignee       string
	VendorName     string
	VendorDemo     bool
}

func (r *assessmentListRow) domain() *rw.Assessment {
	a := &rw.Assessment{ID: r.ID, VendorID: r.VendorID, VendorName: r.VendorName, VendorDemo: r.VendorDemo, Title: r.Title,
		Library: r.Library, LibraryVersion: r.LibraryVersion, LibraryDigest: r.LibraryDigest, State: rw.AssessmentState(r.State),
		ContactEmail: r.ContactEmail, Version: r.Version, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.UpdatedAt.UTC(), SubmittedAt: utcPtr(r.SubmittedAt), DecidedAt: utcPtr(r.DecidedAt), Assignee: r.Assignee}
	for _, p := range strings.Split(r.Scope, ",") {
		if p != "" {
			a.Scope = append(a.Scope, rw.ProviderType(p))
		}
	}
	if d := parseDate(r.DueDate); d != nil {
		a.DueDate = *d
	}
	_ = json.Unmarshal([]byte(r.Summary), &a.Summary)
	return a
}

const assessmentSelect = `a.*, v.legal_name AS vendor_name, v.demo AS vendor_demo`

// CreateAssessment stores a draft assessment with its pre-filled answers and measurements, and
// records the creation in the audit log, in one transaction.
func (db *DB) CreateAssessment(ctx context.Context, a *rw.Assessment, answers []*rw.Answer, ms []rw.Measurement, actor string) error {
	now := db.Now()
	sum, _ := json.Marshal(a.Summary)
	r := assessmentRow{VendorID: a.VendorID, Title: a.Title, Library: a.Library, LibraryVersion: a.LibraryVersion,
		LibraryDigest: a.LibraryDigest, Scope: strings.Join(a.ScopeStrings(), ","), State: string(rw.StateDraft),
		DueDate: formatDate(&a.DueDate), ContactEmail: a.ContactEmail, Summary: string(sum), Version: 1, CreatedBy: actor,
		CreatedAt: now, UpdatedAt: now}
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&r).Error; err != nil {
			return translate(err, "assessment")
		}
		a.ID, a.State, a.Version, a.CreatedAt, a.UpdatedAt, a.CreatedBy = r.ID, rw.StateDraft, 1, now, now, actor
		for _, an := range answers {
			an.AssessmentID = a.ID
			if err := insertAnswer(tx, an, now); err != nil {
				return err
			}
		}
		if err := insertMeasurements(tx, a.ID, ms); err != nil {
			return err
		}
		return db.appendAudit(tx, rw.Event(a.ID, actor, "assessment.created", "Draft created against %s %s (digest %s), scope %s, due %s.",
			a.Library, a.LibraryVersion, a.LibraryDigest, r.Scope, r.DueDate))
	})
}

// FindAssessmentByID returns one assessment with its vendor's name.
func (db *DB) FindAssessmentByID(ctx context.Context, id int64) (*rw.Assessment, error) {
	var r assessmentListRow
	err := db.q(ctx).Table("assessments AS a").Joins("JOIN vendors v ON v.id = a.vendor_id").
		Select(assessmentSelect).Where("a.id = ?", id).Take(&r).Error
	if err != nil {
		return nil, translate(err, "assessment")
	}
	return r.domain(), nil
}

// FindAssessments returns one page of assessments matching f, soonest due first, and the total.
func (db *DB) FindAssessments(ctx context.Context, f rw.AssessmentFilter) ([]*rw.Assessment, int, error) {
	q := db.q(ctx).Table("assessments AS a").Joins("JOIN vendors v ON v.id = a.vendor_id")
	if f.VendorID != 0 {
		q = q.Where("a.vendor_id = ?", f.VendorID)
	}
	if len(f.States) > 0 {
		st := make([]string, len(f.States))
		for i, s := range f.States {
			st[i] = string(s)
		}
		q = q.Where("a.state IN ?", st)
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		like := "%" + escapeLike(strings.ToLower(s)) + "%"
		q = q.Where("lower(v.legal_name) LIKE ? OR lower(a.title) LIKE ?", like, like)
	}
	if f.Assignee != "" {
		q = q.Where("a.assignee = ?", f.Assignee)
	}
	if f.Overdue {
		q = q.Where("a.state IN ? AND a.due_date < ?", []string{"sent", "in_progress", "changes_requested"}, f.Now.Format(time.DateOnly))
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []assessmentListRow
	if err := q.Select(assessmentSelect).Order("a.due_date, a.id").Offset(f.Offset).Limit(limit(f.Limit)).Scan(&rows).Error; err != nil {
		return nil, 0, err
	}
	out := make([]*rw.Assessment, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, int(total), nil
}

// Transition moves an assessment to state to when the lifecycle allows it and records ev.
func (db *DB) Transition(ctx context.Context, id int64, to rw.AssessmentState, ev rw.AuditEvent) (*rw.Assessment, error) {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var r assessmentRow
		if err := tx.First(&r, id).Error; err != nil {
			return translate(err, "assessment")
		}
		if err := rw.AssessmentState(r.State).CheckTransition(to); err != nil {
			return err
		}
		now := db.Now()
		upd := map[string]any{"state": string(to), "version": r.Version + 1, "updated_at": now}
		switch to {
		case rw.StateSubmitted:
			upd["submitted_at"] = now
		case rw.StateApproved, rw.StateRejected, rw.StateCancelled:
			upd["decided_at"] = now
		}
		res := tx.Model(&assessmentRow{}).Where("id = ? AND version = ?", id, r.Version).Updates(upd)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return rw.Errorf(rw.ECONFLICT, "Someone else changed this assessment at the same time. Reload and try again.")
		}
		if to == rw.StateApproved {
			if err := freezeScope(tx, id, r.VendorID, ev.Actor, now); err != nil {
				return err
			}
		}
		if to == rw.StateCancelled {
			// The vendor's open portal sessions end with the assessment.
			if err := tx.Where("assessment_id = ?", id).Delete(&portalSessionRow{}).Error; err != nil {
				return err
			}
		}
		ev.AssessmentID = id
		if ev.Action == "" {
			ev.Action = "assessment." + string(to)
		}
		ev.Detail = strings.TrimSpace(r.State + " → " + string(to) + ". " + ev.Detail)
		if err := db.appendAudit(tx, ev); err != nil {
			return err
		}
		switch to {
		case rw.StateSubmitted, rw.StateApproved, rw.StateRejected:
			var vendor string
			if err := tx.Table("vendors").Select("legal_name").Where("id = ?", r.VendorID).Scan(&vendor).Error; err != nil {
				return err
			}
			return db.emit(ctx, tx, "assessment."+string(to), map[string]any{"assessment": rw.AssessmentEventJSON{
				ID: id, VendorID: r.VendorID, Vendor: vendor, Title: r.Title, From: r.State, State: string(to),
				Library: r.Library, LibraryVersion: r.LibraryVersion, DueDate: r.DueDate, Actor: ev.Actor, At: now}})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.FindAssessmentByID(ctx, id)
}

// UpdateAssessment changes the due date, the assignee or the stored scores; ev, when given, is recorded.
func (db *DB) UpdateAssessment(ctx context.Context, id int64, upd rw.AssessmentUpdate, ev *rw.AuditEvent) (*rw.Assessment, error) {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		set := map[string]any{}
		if upd.DueDate != nil {
			set["due_date"] = formatDate(upd.DueDate)
			set["updated_at"] = db.Now()
			set["version"] = gorm.Expr("version + 1")
		}
		if upd.Assignee != nil {
			set["assignee"] = *upd.Assignee
			set["updated_at"] = db.Now()
			set["version"] = gorm.Expr("version + 1")
		}
		if upd.Summary != nil {
			b, err := json.Marshal(upd.Summary)
			if err != nil {
				return err
			}
			set["summary"] = string(b)
		}
		var n int64
		if len(set) > 0 {
			res := tx.Model(&assessmentRow{}).Where("id = ?", id).Updates(set)
			if res.Error != nil {
				return res.Error
			}
			n = res.RowsAffected
		} else if err := tx.Model(&assessmentRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return rw.Errorf(rw.ENOTFOUND, "The assessment does not exist.")
		}
		if upd.Outcomes != nil {
			if err := saveOutcomes(tx, id, upd.Outcomes, db.Now()); err != nil {
				return err
			}
		}
		if ev != nil {
			ev.AssessmentID = id
			return db.appendAudit(tx, *ev)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.FindAssessmentByID(ctx, id)
}
