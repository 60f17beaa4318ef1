package routewarden

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Attestation is one signed PDF issued for an approved assessment, as kept in the registry. The
// registry is what `routewarden verify` and the /verify page match a presented file against: a
// file is genuine only when its document ID and SHA-256 are both registered and not revoked.
type Attestation struct {
	ID                int64
	DocumentID        string // printed in the PDF and its manifest, e.g. "RW-2026-1A2B3C4D5E6F"
	SHA256            string // of the signed PDF, hex
	SignerFingerprint string // SHA-256 of the signer certificate, hex
	SignerName        string
	AssessmentID      int64
	VendorID          int64
	VendorName        string
	IssuedAt          time.Time
	IssuedBy          string // e-mail of the user who issued it, or "cli"
	RevokedAt         *time.Time
	RevokedBy         string
	RevocationReason  string
	Demo              bool   // made from demo data; the PDF is watermarked
	DevCertificate    bool   // signed with the self-signed development certificate
	Size              int64  // of the PDF, bytes
	PDF               []byte // the signed file; set on create and when loaded with content
}

// Revoked reports whether the attestation has been revoked.
func (a *Attestation) Revoked() bool { return a.RevokedAt != nil }

// documentIDPattern is the shape NewDocumentID produces.
var documentIDPattern = regexp.MustCompile(`^RW-[0-9]{4}-[0-9A-F]{12}$`)

// NewDocumentID returns a fresh, unguessable document ID for an attestation issued at t, e.g.
// "RW-2026-1A2B3C4D5E6F".
func NewDocumentID(t time.Time) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return "RW-" + t.UTC().Format("2006") + "-" + strings.ToUpper(hex.EncodeToString(b))
}

// ValidDocumentID reports whether s has the shape of a document ID.
func ValidDocumentID(s string) bool { return documentIDPattern.MatchString(s) }

// ValidateRevocation checks a revocation reason and returns it trimmed.
func ValidateRevocation(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < 5 || n > 2000 {
		return "", FieldError("reason", "Give the reason for the revocation (5 to 2000 characters).")
	}
	return reason, nil
}

// AttestationFilter selects attestations for a list. Zero values select everything.
type AttestationFilter struct {
	AssessmentID int64
	VendorID     int64
	Offset       int
	Limit        int
}

// AttestationStore is the registry of issued attestations.
type AttestationStore interface {
	// CreateAttestation registers a signed document with its bytes.
	CreateAttestation(ctx context.Context, a *Attestation) error
	FindAttestationByID(ctx context.Context, id int64) (*Attestation, error)             // without PDF
	FindAttestationByDocumentID(ctx context.Context, docID string) (*Attestation, error) // without PDF
	FindAttestations(ctx context.Context, f AttestationFilter) ([]*Attestation, int, error)
	// AttestationPDF returns the registered attestation with its PDF bytes.
	AttestationPDF(ctx context.Context, id int64) (*Attestation, error)
	// RevokeAttestation marks the attestation revoked; a second revocation fails with ECONFLICT.
	RevokeAttestation(ctx context.Context, id int64, actor, reason string) (*Attestation, error)
}

// AttestationService issues attestations: it assembles the document from an approved
// assessment, renders and signs it, and registers it.
type AttestationService interface {
	// IssueAttestation attests the assessment for the user actor. A non-approved assessment gives
	// ECONFLICT.
	IssueAttestation(ctx context.Context, assessmentID int64, actor string) (*Attestation, error)
}

// Verdict is the outcome of checking a presented attestation file: signature, certificate,
// registry and revocation.
type Verdict struct {
	Valid       bool
	Revoked     bool
	Reasons     []string // why it is not valid; empty when Valid
	Warnings    []string // what a reader should know even when Valid
	SHA256      string
	DocumentID  string
	SignerName  string
	SigningTime time.Time
	Attestation *Attestation // the registry entry, when found
}

// Summary is a one-line human verdict, e.g. for `routewarden verify`.
func (v *Verdict) Summary() string {
	switch {
	case v.Valid:
		return "VALID: attestation " + v.DocumentID + " signed by " + v.SignerName
	case v.Revoked:
		return "NOT VALID: revoked: " + strings.Join(v.Reasons, "; ")
	}
	return "NOT VALID: " + strings.Join(v.Reasons, "; ")
}

// AttestationVerifier checks presented attestation files.
type AttestationVerifier interface {
	VerifyAttestation(ctx context.Context, pdf []byte) (*Verdict, error)
}
