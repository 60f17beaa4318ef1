package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	rw "routewarden/internal/routewarden"
)

type boardReportRow struct {
	ID                int64 `gorm:"primaryKey"`
	DocumentID        string
	SHA256            string `gorm:"column:sha256"`
	SignerFingerprint string
	SignerName        string
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
}

func (boardReportRow) TableName() string { return "board_reports" }

// boardReportColumns are every column but the PDF bytes, for lookups and lists.
var boardReportColumns = []string{"id", "document_id", "sha256", "signer_fingerprint", "signer_name", "issued_at", "issued_by",
	"revoked_at", "revoked_by", "revocation_reason", "demo", "dev_certificate", "size", "audit_head_id", "audit_head_hash"}

func (r *boardReportRow) domain() *rw.BoardReport {
	return &rw.BoardReport{ID: r.ID, DocumentID: r.DocumentID, SHA256: r.SHA256, SignerFingerprint: r.SignerFingerprint,
		SignerName: r.SignerName, IssuedAt: r.IssuedAt.UTC(), IssuedBy: r.IssuedBy, RevokedAt: utcPtr(r.RevokedAt),
		RevokedBy: r.RevokedBy, RevocationReason: r.RevocationReason, Demo: r.Demo, DevCertificate: r.DevCertificate,
		Size: r.Size, PDF: r.PDF, AuditHeadID: r.AuditHeadID, AuditHeadHash: r.AuditHeadHash}
}

// CreateBoardReport registers a signed board report with its PDF bytes, anchors the audit log's
// head in it and appends its audit event (not about an assessment). IssuedAt is kept when set
// (it is printed in the document), otherwise taken from the clock.
func (db *DB) CreateBoardReport(ctx context.Context, b *rw.BoardReport) error {
	if !rw.ValidBoardDocumentID(b.DocumentID) || len(b.SHA256) != 64 || len(b.PDF) == 0 || b.IssuedBy == "" {
		return rw.Errorf(rw.EINVALID, "A board report needs a board document ID, a SHA-256, the signed PDF and who issued it.")
	}
	if b.IssuedAt.IsZero() {
		b.IssuedAt = db.Now()
	}
	b.IssuedAt = b.IssuedAt.UTC()
	b.Size = int64(len(b.PDF))
	r := boardReportRow{DocumentID: b.DocumentID, SHA256: b.SHA256, SignerFingerprint: b.SignerFingerprint, SignerName: b.SignerName,
		IssuedAt: b.IssuedAt, IssuedBy: b.IssuedBy, Demo: b.Demo, DevCertificate: b.DevCertificate, Size: b.Size, PDF: b.PDF}
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.lockAudit(tx); err != nil {
			return err
		}
		var err error
		if r.AuditHeadID, r.AuditHeadHash, err = auditHead(tx); err != nil {
			return err
		}
		if err := tx.Create(&r).Error; err != nil {
			return translate(err, "board report")
		}
		b.ID, b.AuditHeadID, b.AuditHeadHash = r.ID, r.AuditHeadID, r.AuditHeadHash
		return db.appendAudit(tx, rw.Event(0, b.IssuedBy, "board_report.issued", "%s sha256 %s signer %s",
			b.DocumentID, b.SHA256, b.SignerFingerprint))
	})
}

// FindBoardReportByDocumentID returns the registry entry without the PDF bytes.
func (db *DB) FindBoardReportByDocumentID(ctx context.Context, docID string) (*rw.BoardReport, error) {
	var r boardReportRow
	if err := db.q(ctx).Select(boardReportColumns).Where("document_id = ?", docID).First(&r).Error; err != nil {
		return nil, translate(err, "board report")
	}
	return r.domain(), nil
}

// FindBoardReports lists board reports, newest first, without their PDF bytes, and the total.
func (db *DB) FindBoardReports(ctx context.Context, offset, n int) ([]*rw.BoardReport, int, error) {
	var total int64
	if err := db.q(ctx).Model(&boardReportRow{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []boardReportRow
	if err := db.q(ctx).Select(boardReportColumns).Order("id DESC").Offset(offset).Limit(limit(n)).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	out := make([]*rw.BoardReport, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, int(total), nil
}

// BoardReportPDF returns the registry entry with its PDF bytes.
func (db *DB) BoardReportPDF(ctx context.Context, id int64) (*rw.BoardReport, error) {
	var r boardReportRow
	if err := db.q(ctx).First(&r, id).Error; err != nil {
		return nil, translate(err, "board report")
	}
	return r.domain(), nil
}

// RevokeBoardReport records the revocation of a board report, with its audit event. Only the
// first revocation counts: revoking again fails with ECONFLICT.
func (db *DB) RevokeBoardReport(ctx context.Context, id int64, actor, reason string) (*rw.BoardReport, error) {
	reason, err := rw.ValidateRevocation(reason)
	if err != nil {
		return nil, err
	}
	var out *rw.BoardReport
	err = db.tx(ctx, func(tx *gorm.DB) error {
		var r boardReportRow
		if err := tx.Clauses(lockForUpdate(db.Dialect)...).Select(boardReportColumns).First(&r, id).Error; err != nil {
			return translate(err, "board report")
		}
		now := db.Now()
		if err := markRevoked(tx, &boardReportRow{}, "Board report", r.DocumentID, r.RevokedAt, id, now, actor, reason); err != nil {
			return err
		}
		r.RevokedAt, r.RevokedBy, r.RevocationReason = &now, actor, reason
		out = r.domain()
		return db.appendAudit(tx, rw.Event(0, actor, "board_report.revoked", "%s: %s", r.DocumentID, reason))
	})
	return out, err
}
