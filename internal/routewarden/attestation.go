package routewarden

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"strconv"
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
	// ValidUntil is the end of validity printed on the cover; nil for attestations issued
	// before it was recorded (see Expires).
	ValidUntil *time.Time
	// AuditHeadID and AuditHeadHash anchor the audit log: its newest event when the attestation
	// was registered (set by the registry).
	AuditHeadID   int64
	AuditHeadHash string
	// Supersedes, on create, is the ID of the current attestation of the same assessment that
	// this one replaces; the registry refuses a second current attestation without it.
	Supersedes int64
	// SupersededAt, SupersededBy and SupersededByDocumentID are set once a re-issue replaced it.
	SupersededAt           *time.Time
	SupersededBy           int64
	SupersededByDocumentID string
}

// Revoked reports whether the attestation has been revoked.
func (a *Attestation) Revoked() bool { return a.RevokedAt != nil }

// Superseded reports whether a re-issue replaced the attestation.
func (a *Attestation) Superseded() bool { return a.SupersededAt != nil }

// Current reports whether the attestation is the one in force for its assessment: neither
// revoked nor superseded.
func (a *Attestation) Current() bool { return !a.Revoked() && !a.Superseded() }

// SupersededNote is the human note on a superseded attestation, e.g. "superseded by #12
// (RW-2026-…) on 2026-12-04"; "" when it is current.
func (a *Attestation) SupersededNote() string {
	if a.SupersededAt == nil {
		return ""
	}
	by := "#" + strconv.FormatInt(a.SupersededBy, 10)
	if a.SupersededByDocumentID != "" {
		by += " (" + a.SupersededByDocumentID + ")"
	}
	return "superseded by " + by + " on " + a.SupersededAt.UTC().Format(time.DateOnly)
}

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
	// CurrentAttestation returns the assessment's attestation in force (ENOTFOUND if none).
	CurrentAttestation(ctx context.Context, assessmentID int64) (*Attestation, error)
	// AttestedAssessments returns which of the given assessments have an attestation in force
	// (one query for a whole list).
	AttestedAssessments(ctx context.Context, assessmentIDs []int64) (map[int64]bool, error)
	// AttestationPDF returns the registered attestation with its PDF bytes.
	AttestationPDF(ctx context.Context, id int64) (*Attestation, error)
	// RevokeAttestation marks the attestation revoked; a second revocation fails with ECONFLICT.
	RevokeAttestation(ctx context.Context, id int64, actor, reason string) (*Attestation, error)
}

// AttestationService issues attestations: it assembles the document from an approved
// assessment, renders and signs it, and registers it.
type AttestationService interface {
	// IssueAttestation attests the assessment for the user actor. A non-approved assessment gives
	// ECONFLICT, and so does one with a current attestation unless supersede names it (the
	// user confirmed the re-issue); the new attestation then supersedes it.
	IssueAttestation(ctx context.Context, assessmentID int64, actor string, supersede int64) (*Attestation, error)
}

// ValidityFallback is how long an attestation issued before its validity was recorded is taken
// to be valid: the twelve months a decision holds.
const ValidityFallback = 365 * 24 * time.Hour

// Expires is when the attestation's validity ends: ValidUntil, or for older attestations twelve
// months after issue.
func (a *Attestation) Expires() time.Time {
	if a.ValidUntil != nil && !a.ValidUntil.IsZero() {
		return a.ValidUntil.UTC()
	}
	return a.IssuedAt.Add(ValidityFallback).UTC()
}

// Verdict is the outcome of checking a presented attestation file: signature, certificate,
// registry and revocation.
type Verdict struct {
	Valid      bool
	Revoked    bool
	Superseded bool     // a re-issue replaced it: genuine, but no longer the attestation in force
	Reasons    []string // why it is not valid, in technical terms for experts; empty when Valid
	// Plain says the same as Reasons in plain sentences for everyone (several technical reasons
	// may share one sentence); empty when Valid.
	Plain       []string
	Warnings    []string // what a reader should know even when Valid
	SHA256      string
	DocumentID  string
	SignerName  string
	SigningTime time.Time
	// Kind is what the file says it is, from its manifest: KindAttestation or KindBoardReport
	// ("" when the manifest could not be read).
	Kind string
	// Rating, PeriodStart and PeriodEnd are an attestation's residual rating and assessment
	// period, as its manifest states them.
	Rating                 string
	PeriodStart, PeriodEnd time.Time
	// ValidFrom and ValidUntil bound an attestation's validity as its manifest states it (zero
	// for documents issued before attestations carried one); Expired: checked after ValidUntil.
	ValidFrom, ValidUntil time.Time
	Expired               bool
	Attestation           *Attestation // the registry entry of an attestation, when found
	BoardReport           *BoardReport // the registry entry of a board report, when found
}

// Summary is a one-line verdict in the checker's terms, e.g. for logs; Headline and Facts are
// the plain summary shown to people.
func (v *Verdict) Summary() string {
	switch {
	case v.Valid:
		return "VALID: " + v.kindName() + " " + v.DocumentID + " signed by " + v.SignerName
	case v.Revoked:
		return "NOT VALID: revoked: " + strings.Join(v.Reasons, "; ")
	case v.Superseded:
		return "NOT VALID: superseded: " + strings.Join(v.Reasons, "; ")
	case v.Expired:
		return "NOT VALID: expired: " + strings.Join(v.Reasons, "; ")
	}
	return "NOT VALID: " + strings.Join(v.Reasons, "; ")
}

// AttestationVerifier checks presented attestation files.
type AttestationVerifier interface {
	VerifyAttestation(ctx context.Context, pdf []byte) (*Verdict, error)
}
