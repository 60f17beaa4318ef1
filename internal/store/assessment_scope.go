package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	rw "routewarden/internal/routewarden"
)

type approvedScopeRow struct {
	AssessmentID int64 `gorm:"primaryKey;autoIncrement:false"`
	ApprovedAt   time.Time
	ApprovedBy   string
	Scope        string
}

func (approvedScopeRow) TableName() string { return "approved_scopes" }

// freezeScope records, inside the approval's transaction, the vendor's scope as it is now.
func freezeScope(tx *gorm.DB, assessmentID, vendorID int64, actor string, now time.Time) error {
	var vr vendorRow
	if err := tx.First(&vr, vendorID).Error; err != nil {
		return translate(err, "vendor")
	}
	v := vr.domain()
	var srows []serviceRow
	if err := tx.Where("vendor_id = ?", vendorID).Order("id").Find(&srows).Error; err != nil {
		return err
	}
	var nrows []networkRow
	if err := tx.Where("vendor_id = ?", vendorID).Order("asn").Find(&nrows).Error; err != nil {
		return err
	}
	for i := range srows {
		v.Services = append(v.Services, srows[i].domain())
	}
	for i := range nrows {
		v.Networks = append(v.Networks, nrows[i].domain())
	}
	b, err := json.Marshal(rw.ScopeOf(v))
	if err != nil {
		return err
	}
	r := approvedScopeRow{AssessmentID: assessmentID, ApprovedAt: now, ApprovedBy: actor, Scope: string(b)}
	return translate(tx.Create(&r).Error, "approved scope")
}

// FindApprovedScope returns the scope frozen at the assessment's approval.
func (db *DB) FindApprovedScope(ctx context.Context, assessmentID int64) (*rw.ApprovedScope, error) {
	var r approvedScopeRow
	if err := db.q(ctx).Take(&r, "assessment_id = ?", assessmentID).Error; err != nil {
		return nil, translate(err, "approved scope")
	}
	s := &rw.ApprovedScope{}
	if err := json.Unmarshal([]byte(r.Scope), s); err != nil {
		return nil, fmt.Errorf("approved scope of assessment %d: %w", assessmentID, err)
	}
	s.AssessmentID, s.ApprovedAt, s.ApprovedBy = r.AssessmentID, r.ApprovedAt.UTC(), r.ApprovedBy
	return s, nil
}
