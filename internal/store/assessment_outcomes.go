package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	rw "routewarden/internal/routewarden"
)

type outcomeRow struct {
	AssessmentID int64 `gorm:"primaryKey;autoIncrement:false"`
	Outcomes     string
	ComputedAt   time.Time
}

func (outcomeRow) TableName() string { return "assessment_outcomes" }

// saveOutcomes replaces the per-control results kept for an assessment.
func saveOutcomes(tx *gorm.DB, id int64, o map[string]rw.ControlOutcome, now time.Time) error {
	b, err := json.Marshal(o)
	if err != nil {
		return err
	}
	return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "assessment_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"outcomes", "computed_at"})}).
		Create(&outcomeRow{AssessmentID: id, Outcomes: string(b), ComputedAt: now}).Error
}

// FindOutcomes returns the per-control results kept for the given assessments, as last scored;
// an assessment never scored since results were kept is absent from the map.
func (db *DB) FindOutcomes(ctx context.Context, ids []int64) (map[int64]map[string]rw.ControlOutcome, error) {
	out := make(map[int64]map[string]rw.ControlOutcome, len(ids))
	// Chunks keep the IN list within every driver's parameter limit.
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		var rows []outcomeRow
		if err := db.q(ctx).Where("assessment_id IN ?", chunk).Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			m := map[string]rw.ControlOutcome{}
			if err := json.Unmarshal([]byte(r.Outcomes), &m); err != nil {
				return nil, fmt.Errorf("control results of assessment %d: %w", r.AssessmentID, err)
			}
			out[r.AssessmentID] = m
		}
	}
	return out, nil
}
