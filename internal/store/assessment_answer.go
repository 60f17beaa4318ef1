package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	rw "routewarden/internal/routewarden"
)

type answerRow struct {
	AssessmentID int64  `gorm:"primaryKey;autoIncrement:false"`
	QuestionID   string `gorm:"primaryKey"`
	AnswerValues string
	Comment      string
	Measured     bool
	Review       string
	ReviewNote   string
	Version      int
	UpdatedBy    string
	UpdatedAt    time.Time
}

func (answerRow) TableName() string { return "answers" }

func (r *answerRow) domain() *rw.Answer {
	a := &rw.Answer{AssessmentID: r.AssessmentID, QuestionID: r.QuestionID, Comment: r.Comment, Measured: r.Measured,
		Review: rw.ReviewStatus(r.Review), ReviewNote: r.ReviewNote, Version: r.Version, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt.UTC()}
	_ = json.Unmarshal([]byte(r.AnswerValues), &a.Values)
	return a
}

type answerHistoryRow struct {
	ID           int64 `gorm:"primaryKey"`
	AssessmentID int64
	QuestionID   string
	AnswerValues string
	Comment      string
	Version      int
	ChangedBy    string
	ChangedAt    time.Time
}

func (answerHistoryRow) TableName() string { return "answer_history" }

func valuesJSON(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func insertAnswer(tx *gorm.DB, a *rw.Answer, now time.Time) error {
	r := answerRow{AssessmentID: a.AssessmentID, QuestionID: a.QuestionID, AnswerValues: valuesJSON(a.Values), Comment: a.Comment,
		Measured: a.Measured, Review: string(a.Review), ReviewNote: a.ReviewNote, Version: 1, UpdatedBy: a.UpdatedBy, UpdatedAt: now}
	a.Version, a.UpdatedAt = 1, now
	return translate(tx.Create(&r).Error, "answer")
}

// FindAnswers returns every stored answer of an assessment, by question ID.
func (db *DB) FindAnswers(ctx context.Context, assessmentID int64) ([]*rw.Answer, error) {
	var rows []answerRow
	if err := db.q(ctx).Where("assessment_id = ?", assessmentID).Order("question_id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*rw.Answer, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// SaveAnswer stores an answer under optimistic locking: a.Version must be the stored version (0
// when the caller saw no answer). A lost race fails with ECONFLICT naming who saved first, and
// changes nothing, so the caller can show both versions. Measured answers keep their values;
// only the comment changes. An answer sent back for changes is marked resubmitted.
func (db *DB) SaveAnswer(ctx context.Context, a *rw.Answer, actor string) error {
	if err := a.Validate(); err != nil {
		return err
	}
	now := db.Now()
	return db.tx(ctx, func(tx *gorm.DB) error {
		var r answerRow
		err := tx.Where("assessment_id = ? AND question_id = ?", a.AssessmentID, a.QuestionID).Take(&r).Error
		if err == gorm.ErrRecordNotFound {
			if a.Version != 0 {
				return rw.Errorf(rw.ECONFLICT, "This answer was removed meanwhile. Reload and answer again.")
			}
			a.UpdatedBy, a.Measured, a.Review = actor, false, rw.ReviewPending
			if err := insertAnswer(tx, a, now); err != nil {
				return conflictOnDuplicate(err, a.QuestionID)
			}
			return db.appendAudit(tx, rw.Event(a.AssessmentID, actor, "answer.saved", "%s = %s", a.QuestionID, strings.Join(a.Values, ", ")))
		} else if err != nil {
			return err
		}
		if a.Version != r.Version {
			return rw.Errorf(rw.ECONFLICT, "%s saved a different answer to %s at %s (now version %d, you edited version %d). Your text is kept below: compare, then save again.",
				r.UpdatedBy, a.QuestionID, r.UpdatedAt.UTC().Format("15:04:05 UTC"), r.Version, a.Version)
		}
		values := valuesJSON(a.Values)
		if r.Measured {
			values = r.AnswerValues
		}
		review := r.Review
		if review == string(rw.ReviewChanges) {
			review = string(rw.ReviewResubmitted)
		}
		hist := answerHistoryRow{AssessmentID: r.AssessmentID, QuestionID: r.QuestionID, AnswerValues: r.AnswerValues, Comment: r.Comment,
			Version: r.Version, ChangedBy: r.UpdatedBy, ChangedAt: r.UpdatedAt}
		if err := tx.Create(&hist).Error; err != nil {
			return err
		}
		res := tx.Model(&answerRow{}).Where("assessment_id = ? AND question_id = ? AND version = ?", a.AssessmentID, a.QuestionID, r.Version).
			Updates(map[string]any{"answer_values": values, "comment": a.Comment, "version": r.Version + 1, "updated_by": actor,
				"updated_at": now, "review": review})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return rw.Errorf(rw.ECONFLICT, "Someone saved %s at the same moment, so version %d is no longer current. Your text is kept below: compare, then save again.", a.QuestionID, a.Version)
		}
		a.Version, a.UpdatedBy, a.UpdatedAt, a.Measured, a.Review = r.Version+1, actor, now, r.Measured, rw.ReviewStatus(review)
		_ = json.Unmarshal([]byte(values), &a.Values)
		return db.appendAudit(tx, rw.Event(a.AssessmentID, actor, "answer.saved", "%s = %s (version %d)", a.QuestionID, strings.Join(a.Values, ", "), a.Version))
	})
}

// FindAnswerHistory returns the earlier versions of the assessment's answers, oldest first.
func (db *DB) FindAnswerHistory(ctx context.Context, assessmentID int64) ([]*rw.AnswerVersion, error) {
	var rows []answerHistoryRow
	if err := db.q(ctx).Where("assessment_id = ?", assessmentID).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*rw.AnswerVersion, len(rows))
	for i, r := range rows {
		out[i] = &rw.AnswerVersion{QuestionID: r.QuestionID, Comment: r.Comment, Version: r.Version, ChangedBy: r.ChangedBy, ChangedAt: r.ChangedAt.UTC()}
		_ = json.Unmarshal([]byte(r.AnswerValues), &out[i].Values)
	}
	return out, nil
}

func conflictOnDuplicate(err error, q string) error {
	if rw.ErrorCode(err) == rw.ECONFLICT {
		return rw.Errorf(rw.ECONFLICT, "Someone else answered %s at the same moment. Reload, compare, then save again.", q)
	}
	return err
}

// ReviewAnswer records a reviewer's verdict; a question that has no answer yet gets an empty one
// so that a request for changes reaches the vendor.
func (db *DB) ReviewAnswer(ctx context.Context, assessmentID int64, questionID string, st rw.ReviewStatus, note, actor string) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&answerRow{}).Where("assessment_id = ? AND question_id = ?", assessmentID, questionID).
			Updates(map[string]any{"review": string(st), "review_note": note})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			a := &rw.Answer{AssessmentID: assessmentID, QuestionID: questionID, Review: st, ReviewNote: note, UpdatedBy: actor}
			if err := insertAnswer(tx, a, db.Now()); err != nil {
				return err
			}
		}
		detail := fmt.Sprintf("%s: %s", questionID, st)
		if note != "" {
			detail += " — " + note
		}
		return db.appendAudit(tx, rw.AuditEvent{AssessmentID: assessmentID, Actor: actor, Action: "answer.reviewed", Detail: detail})
	})
}

type evidenceRow struct {
	ID           int64 `gorm:"primaryKey"`
	AssessmentID int64
	QuestionID   string
	Name         string
	MediaType    string
	Size         int64
	SHA256       string `gorm:"column:sha256"`
	Data         []byte
	UploadedBy   string
	UploadedAt   time.Time
}

func (evidenceRow) TableName() string { return "evidence_files" }

func (r *evidenceRow) domain() *rw.EvidenceFile {
	return &rw.EvidenceFile{ID: r.ID, AssessmentID: r.AssessmentID, QuestionID: r.QuestionID, Name: r.Name, MediaType: r.MediaType,
		Size: r.Size, SHA256: r.SHA256, Data: r.Data, UploadedBy: r.UploadedBy, UploadedAt: r.UploadedAt.UTC()}
}

// AddEvidence stores an evidence file with its bytes.
func (db *DB) AddEvidence(ctx context.Context, f *rw.EvidenceFile) error {
	now := db.Now()
	r := evidenceRow{AssessmentID: f.AssessmentID, QuestionID: f.QuestionID, Name: f.Name, MediaType: f.MediaType, Size: f.Size,
		SHA256: f.SHA256, Data: f.Data, UploadedBy: f.UploadedBy, UploadedAt: now}
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&r).Error; err != nil {
			return translate(err, "evidence file")
		}
		f.ID, f.UploadedAt = r.ID, now
		return db.appendAudit(tx, rw.Event(f.AssessmentID, f.UploadedBy, "evidence.added", "%s: %s (%s, %d bytes, sha256 %s)",
			f.QuestionID, f.Name, f.MediaType, f.Size, f.SHA256))
	})
}

// FindEvidence lists the evidence files of an assessment without their bytes.
func (db *DB) FindEvidence(ctx context.Context, assessmentID int64) ([]*rw.EvidenceFile, error) {
	var rows []evidenceRow
	err := db.q(ctx).Select("id, assessment_id, question_id, name, media_type, size, sha256, uploaded_by, uploaded_at").
		Where("assessment_id = ?", assessmentID).Order("id").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]*rw.EvidenceFile, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// OpenEvidence returns one evidence file of the assessment with its bytes.
func (db *DB) OpenEvidence(ctx context.Context, assessmentID, id int64) (*rw.EvidenceFile, error) {
	var r evidenceRow
	if err := db.q(ctx).Where("assessment_id = ? AND id = ?", assessmentID, id).Take(&r).Error; err != nil {
		return nil, translate(err, "evidence file")
	}
	return r.domain(), nil
}

// DeleteEvidence removes one evidence file of the assessment.
func (db *DB) DeleteEvidence(ctx context.Context, assessmentID, id int64, actor string) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		var r evidenceRow
		if err := tx.Select("id, question_id, name, sha256").Where("assessment_id = ? AND id = ?", assessmentID, id).Take(&r).Error; err != nil {
			return translate(err, "evidence file")
		}
		if err := tx.Delete(&evidenceRow{}, r.ID).Error; err != nil {
			return err
		}
		return db.appendAudit(tx, rw.Event(assessmentID, actor, "evidence.removed", "%s: %s (sha256 %s)", r.QuestionID, r.Name, r.SHA256))
	})
}
