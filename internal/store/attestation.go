package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	rw "routewarden/internal/routewarden"
)

type attestationRow struct {
	ID                int64 `gorm:"primaryKey"`
	DocumentID        string
	SHA256            string `gorm:"column:sha256"`
	SignerFingerprint string
	SignerName        string
	AssessmentID      int64
	VendorID          int64
	VendorName        string
	IssuedAt          time.Time
	IssuedBy          string
	RevokedAt         *time.Time
	RevokedBy         string
	RevocationReason  string
	Demo              bool
	DevCertificate    bool
	Size              int64
	PDF               []byte `gorm:"column:pdf"`
	AuditHeadID       int64
	AuditHeadHash     string
	SupersededAt      *time.Time
	SupersededBy      *int64
	ValidUntil        *time.Time
}

func (attestationRow) TableName() string { return "attestations" }

// event is the registry entry as webhook event data (never the PDF).
func (r *attestationRow) event() rw.AttestationEventJSON {
	return rw.AttestationEventJSON{ID: r.ID, DocumentID: r.DocumentID, SHA256: r.SHA256, AssessmentID: r.AssessmentID,
		VendorID: r.VendorID, Vendor: r.VendorName, IssuedAt: r.IssuedAt, IssuedBy: r.IssuedBy, RevokedAt: r.RevokedAt,
		RevokedBy: r.RevokedBy, RevocationReason: r.RevocationReason, ValidUntil: utcPtr(r.ValidUntil), Demo: r.Demo}
}

// attestationColumns are every column but the PDF bytes, for lookups and lists.
var attestationColumns = []string{"id", "document_id", "sha256", "signer_fingerprint", "signer_name", "assessment_id",
	"vendor_id", "vendor_name", "issued_at", "issued_by", "revoked_at", "revoked_by", "revocation_reason", "demo",
	"dev_certificate", "size", "audit_head_id", "audit_head_hash", "superseded_at", "superseded_by", "valid_until"}

func (r *attestationRow) domain() *rw.Attestation {
	return &rw.Attestation{ID: r.ID, DocumentID: r.DocumentID, SHA256: r.SHA256, SignerFingerprint: r.SignerFingerprint,
		SignerName: r.SignerName, AssessmentID: r.AssessmentID, VendorID: r.VendorID, VendorName: r.VendorName,
		IssuedAt: r.IssuedAt.UTC(), IssuedBy: r.IssuedBy, RevokedAt: utcPtr(r.RevokedAt), RevokedBy: r.RevokedBy,
		RevocationReason: r.RevocationReason, Demo: r.Demo, DevCertificate: r.DevCertificate, Size: r.Size, PDF: r.PDF,
		AuditHeadID: r.AuditHeadID, AuditHeadHash: r.AuditHeadHash, SupersededAt: utcPtr(r.SupersededAt), SupersededBy: deref(r.SupersededBy),
		ValidUntil: utcPtr(r.ValidUntil)}
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// CreateAttestation registers a signed attestation with its PDF bytes, anchors the audit log's
// head in it and appends its audit event. IssuedAt is kept when set (it is printed in the
// document), otherwise taken from the clock. An assessment has one current attestation: a
// second one is refused (ECONFLICT) unless a.Supersedes names the current one, which is then
// marked superseded in the same transaction.
func (db *DB) CreateAttestation(ctx context.Context, a *rw.Attestation) error {
	if !rw.ValidDocumentID(a.DocumentID) || len(a.SHA256) != 64 || len(a.PDF) == 0 {
		return rw.Errorf(rw.EINVALID, "An attestation needs a document ID, a SHA-256 and the signed PDF.")
	}
	if a.IssuedAt.IsZero() {
		a.IssuedAt = db.Now()
	}
	a.IssuedAt = a.IssuedAt.UTC()
	a.Size = int64(len(a.PDF))
	r := attestationRow{DocumentID: a.DocumentID, SHA256: a.SHA256, SignerFingerprint: a.SignerFingerprint,
		SignerName: a.SignerName, AssessmentID: a.AssessmentID, VendorID: a.VendorID, VendorName: a.VendorName,
		IssuedAt: a.IssuedAt, IssuedBy: a.IssuedBy, Demo: a.Demo, DevCertificate: a.DevCertificate, Size: a.Size, PDF: a.PDF,
		ValidUntil: utcPtr(a.ValidUntil)}
	return db.tx(ctx, func(tx *gorm.DB) error {
		// The audit lock also serialises issues, so the current-attestation check below holds.
		if err := db.lockAudit(tx); err != nil {
			return err
		}
		old, err := db.supersede(tx, a)
		if err != nil {
			return err
		}
		if r.AuditHeadID, r.AuditHeadHash, err = auditHead(tx); err != nil {
			return err
		}
		if err := tx.Create(&r).Error; err != nil {
			return translate(err, "attestation")
		}
		a.ID, a.AuditHeadID, a.AuditHeadHash = r.ID, r.AuditHeadID, r.AuditHeadHash
		detail := fmt.Sprintf("%s sha256 %s signer %s", a.DocumentID, a.SHA256, a.SignerFingerprint)
		if old != nil {
			if err := tx.Model(&attestationRow{}).Where("id = ?", old.ID).Update("superseded_by", r.ID).Error; err != nil {
				return err
			}
			detail += fmt.Sprintf("; supersedes %s (#%d)", old.DocumentID, old.ID)
		}
		if err := db.appendAudit(tx, rw.Event(a.AssessmentID, a.IssuedBy, "attestation.issued", "%s", detail)); err != nil {
			return err
		}
		ev := r.event()
		if old != nil {
			ev.Supersedes = old.DocumentID
		}
		return db.emit(ctx, tx, "attestation.issued", map[string]any{"attestation": ev})
	})
}

// supersede checks, inside the issuing transaction, that a may become the assessment's current
// attestation, and marks the one it replaces superseded (returned; nil when there was none).
func (db *DB) supersede(tx *gorm.DB, a *rw.Attestation) (*attestationRow, error) {
	var cur attestationRow
	err := tx.Clauses(lockForUpdate(db.Dialect)...).Select(attestationColumns).
		Where("assessment_id = ? AND revoked_at IS NULL AND superseded_at IS NULL", a.AssessmentID).Take(&cur).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		if a.Supersedes != 0 {
			return nil, rw.Errorf(rw.ECONFLICT, "Attestation #%d is no longer the current attestation of assessment #%d "+
				"(revoked or already superseded); nothing was issued. Reload and try again.", a.Supersedes, a.AssessmentID)
		}
		return nil, nil
	case err != nil:
		return nil, err
	case a.Supersedes != cur.ID:
		return nil, currentConflict(cur.domain())
	}
	now := db.Now()
	res := tx.Model(&attestationRow{}).Where("id = ? AND revoked_at IS NULL AND superseded_at IS NULL", cur.ID).
		Update("superseded_at", now)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected != 1 {
		return nil, currentConflict(cur.domain())
	}
	return &cur, nil
}

func currentConflict(cur *rw.Attestation) error {
	return rw.Errorf(rw.ECONFLICT, "Assessment #%d already has a current attestation, %s (#%d, issued %s); "+
		"re-issuing supersedes it and must be confirmed. Nothing was issued.", cur.AssessmentID, cur.DocumentID, cur.ID,
		cur.IssuedAt.UTC().Format("2006-01-02 15:04 UTC"))
}

// CurrentAttestation returns the assessment's attestation in force: neither revoked nor
// superseded. ENOTFOUND when there is none.
func (db *DB) CurrentAttestation(ctx context.Context, assessmentID int64) (*rw.Attestation, error) {
	var r attestationRow
	err := db.q(ctx).Select(attestationColumns).Where("assessment_id = ? AND revoked_at IS NULL AND superseded_at IS NULL", assessmentID).
		Take(&r).Error
	if err != nil {
		return nil, translate(err, "current attestation")
	}
	return r.domain(), nil
}

// AttestedAssessments returns which of the given assessments have an attestation in force.
func (db *DB) AttestedAssessments(ctx context.Context, assessmentIDs []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	for start := 0; start < len(assessmentIDs); start += 500 {
		var ids []int64
		err := db.q(ctx).Table("attestations").Where("assessment_id IN ? AND revoked_at IS NULL AND superseded_at IS NULL",
			assessmentIDs[start:min(start+500, len(assessmentIDs))]).Pluck("assessment_id", &ids).Error
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			out[id] = true
		}
	}
	return out, nil
}

// withSuccessors fills SupersededByDocumentID of the superseded attestations in list.
func (db *DB) withSuccessors(ctx context.Context, list ...*rw.Attestation) error {
	var ids []int64
	for _, a := range list {
		if a.SupersededBy != 0 {
			ids = append(ids, a.SupersededBy)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var rows []attestationRow
	if err := db.q(ctx).Select("id", "document_id").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return err
	}
	doc := map[int64]string{}
	for _, r := range rows {
		doc[r.ID] = r.DocumentID
	}
	for _, a := range list {
		a.SupersededByDocumentID = doc[a.SupersededBy]
	}
	return nil
}

// FindAttestationByID returns the registry entry without the PDF bytes.
func (db *DB) FindAttestationByID(ctx context.Context, id int64) (*rw.Attestation, error) {
	var r attestationRow
	if err := db.q(ctx).Select(attestationColumns).First(&r, id).Error; err != nil {
		return nil, translate(err, "attestation")
	}
	a := r.domain()
	return a, db.withSuccessors(ctx, a)
}

// FindAttestationByDocumentID returns the registry entry with the given document ID, without
// the PDF bytes.
func (db *DB) FindAttestationByDocumentID(ctx context.Context, docID string) (*rw.Attestation, error) {
	var r attestationRow
	if err := db.q(ctx).Select(attestationColumns).Where("document_id = ?", docID).First(&r).Error; err != nil {
		return nil, translate(err, "attestation")
	}
	a := r.domain()
	return a, db.withSuccessors(ctx, a)
}

// AttestationPDF returns the registry entry with its PDF bytes.
func (db *DB) AttestationPDF(ctx context.Context, id int64) (*rw.Attestation, error) {
	var r attestationRow
	if err := db.q(ctx).First(&r, id).Error; err != nil {
		return nil, translate(err, "attestation")
	}
	return r.domain(), nil
}

// FindAttestations lists attestations, newest first, without their PDF bytes, and the total.
func (db *DB) FindAttestations(ctx context.Context, f rw.AttestationFilter) ([]*rw.Attestation, int, error) {
	q := db.q(ctx).Model(&attestationRow{})
	if f.AssessmentID != 0 {
		q = q.Where("assessment_id = ?", f.AssessmentID)
	}
	if f.VendorID != 0 {
		q = q.Where("vendor_id = ?", f.VendorID)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []attestationRow
	if err := q.Select(attestationColumns).Order("id DESC").Offset(f.Offset).Limit(limit(f.Limit)).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	out := make([]*rw.Attestation, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, int(total), db.withSuccessors(ctx, out...)
}

// RevokeAttestation records the revocation of an attestation, with its audit event. Only the
// first revocation counts: revoking again fails with ECONFLICT and keeps the original date, actor
// and reason.
func (db *DB) RevokeAttestation(ctx context.Context, id int64, actor, reason string) (*rw.Attestation, error) {
	reason, err := rw.ValidateRevocation(reason)
	if err != nil {
		return nil, err
	}
	var out *rw.Attestation
	err = db.tx(ctx, func(tx *gorm.DB) error {
		var r attestationRow
		if err := tx.Clauses(lockForUpdate(db.Dialect)...).Select(attestationColumns).First(&r, id).Error; err != nil {
			return translate(err, "attestation")
		}
		now := db.Now()
		if err := markRevoked(tx, &attestationRow{}, "Attestation", r.DocumentID, r.RevokedAt, id, now, actor, reason); err != nil {
			return err
		}
		r.RevokedAt, r.RevokedBy, r.RevocationReason = &now, actor, reason
		out = r.domain()
		if err := db.appendAudit(tx, rw.Event(r.AssessmentID, actor, "attestation.revoked", "%s: %s", r.DocumentID, reason)); err != nil {
			return err
		}
		return db.emit(ctx, tx, "attestation.revoked", map[string]any{"attestation": r.event()})
	})
	return out, err
}

// markRevoked marks the signed document id (an attestation or board report row, model) revoked
// once: a document already revoked (revokedAt set when it was read under lock), or revoked by a
// concurrent writer, fails with ECONFLICT naming kind and docID.
func markRevoked(tx *gorm.DB, model any, kind, docID string, revokedAt *time.Time, id int64, now time.Time, actor, reason string) error {
	if revokedAt != nil {
		return rw.Errorf(rw.ECONFLICT, "%s %s was already revoked on %s.", kind, docID, revokedAt.UTC().Format("2006-01-02"))
	}
	res := tx.Model(model).Where("id = ? AND revoked_at IS NULL", id).
		Updates(map[string]any{"revoked_at": now, "revoked_by": actor, "revocation_reason": reason})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return rw.Errorf(rw.ECONFLICT, "%s %s was revoked at the same time by someone else.", kind, docID)
	}
	return nil
}

// lockForUpdate locks the selected row on PostgreSQL; SQLite's immediate transactions already
// serialise writers.
func lockForUpdate(d Dialect) []clause.Expression {
	if d == Postgres {
		return []clause.Expression{clause.Locking{Strength: "UPDATE"}}
	}
	return nil
}
