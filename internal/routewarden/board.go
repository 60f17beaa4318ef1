package routewarden

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"strings"
	"time"
)

// BoardReport is one signed board / supervisor report PDF as kept in its registry. Unlike an
// attestation it is about the whole portfolio, not one assessment, so it has a registry of its
// own; `routewarden verify` and /verify match a presented file against it in the same way: a
// file is genuine only when its document ID and SHA-256 are both registered and not revoked.
type BoardReport struct {
	ID                int64
	DocumentID        string // printed in the PDF and its manifest, e.g. "RW-BOARD-2026-1A2B3C4D5E6F"
	SHA256            string // of the signed PDF, hex
	SignerFingerprint string // SHA-256 of the signer certificate, hex
	SignerName        string
	IssuedAt          time.Time
	IssuedBy          string // e-mail of the user who issued it, or "cli"
	RevokedAt         *time.Time
	RevokedBy         string
	RevocationReason  string
	Demo              bool // made from demo data
	DevCertificate    bool // signed with the self-signed development certificate
	Size              int64
	PDF               []byte // the signed file; set on create and when loaded with content
	// AuditHeadID and AuditHeadHash are the audit log's newest event when the report was
	// registered (set by the registry), as for attestations.
	AuditHeadID   int64
	AuditHeadHash string
}

// Revoked reports whether the board report has been revoked.
func (b *BoardReport) Revoked() bool { return b.RevokedAt != nil }

// boardDocumentIDPattern is the shape NewBoardDocumentID produces.
var boardDocumentIDPattern = regexp.MustCompile(`^RW-BOARD-[0-9]{4}-[0-9A-F]{12}$`)

// NewBoardDocumentID returns a fresh, unguessable document ID for a board report issued at t,
// e.g. "RW-BOARD-2026-1A2B3C4D5E6F". The prefix keeps it apart from attestation IDs.
func NewBoardDocumentID(t time.Time) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return "RW-BOARD-" + t.UTC().Format("2006") + "-" + strings.ToUpper(hex.EncodeToString(b))
}

// ValidBoardDocumentID reports whether s has the shape of a board report's document ID.
func ValidBoardDocumentID(s string) bool { return boardDocumentIDPattern.MatchString(s) }

// BoardReportStore is the registry of issued board reports.
type BoardReportStore interface {
	// CreateBoardReport registers a signed board report with its bytes and its audit event.
	CreateBoardReport(ctx context.Context, b *BoardReport) error
	FindBoardReportByDocumentID(ctx context.Context, docID string) (*BoardReport, error) // without PDF
	// FindBoardReports lists board reports, newest first, without their PDF bytes, and the total.
	FindBoardReports(ctx context.Context, offset, limit int) ([]*BoardReport, int, error)
	// BoardReportPDF returns the registered board report with its PDF bytes.
	BoardReportPDF(ctx context.Context, id int64) (*BoardReport, error)
	// RevokeBoardReport marks the report revoked; a second revocation fails with ECONFLICT.
	RevokeBoardReport(ctx context.Context, id int64, actor, reason string) (*BoardReport, error)
}

// BoardReportService issues board reports: it gathers the portfolio's figures, renders and
// signs the PDF, and registers it.
type BoardReportService interface {
	IssueBoardReport(ctx context.Context, actor string) (*BoardReport, error)
}
