package attest

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	rw "routewarden/internal/routewarden"
)

// Checker gives the full verdict on a presented document — an attestation or a board report:
// the signature and certificate (Verify), then the registry — the document ID must be
// registered with exactly this file's SHA-256 and signer — and revocation. It implements
// routewarden.AttestationVerifier.
type Checker struct {
	Trust    *x509.CertPool
	Registry rw.AttestationStore
	// Boards is the registry of board reports; nil: board reports are reported as not
	// registered.
	Boards rw.BoardReportStore
	// Now is the clock an attestation's validity is checked against (nil: the system clock).
	Now func() time.Time
}

// VerifyAttestation checks pdfData. A file the bounded PDF reader refuses (not a PDF, too
// large, malformed or crafted structure) gives an EINVALID error naming what was wrong and
// where; an unsigned or invalid PDF gets a not-valid verdict; the error is otherwise non-nil
// only when ctx ends or the registry cannot be read.
//
// The verdict's reasons say when a document was revoked but not by whom or why: the public
// verification page shows them to anyone. Who and why are in Verdict.Attestation (or
// Verdict.BoardReport).
func (c *Checker) VerifyAttestation(ctx context.Context, pdfData []byte) (*rw.Verdict, error) {
	res, err := VerifyContext(ctx, pdfData, c.Trust)
	if cerr := ctx.Err(); cerr != nil {
		return nil, fmt.Errorf("attest: verify: %w", cerr)
	}
	if errors.Is(err, errUnreadable) {
		return nil, &rw.Error{Code: rw.EINVALID, Field: "pdf", Message: "The file is " + strings.Join(res.Reasons, "; ") + "."}
	}
	v := &rw.Verdict{Reasons: res.Reasons, Plain: res.Plain, Warnings: res.Warnings, SHA256: res.SHA256, DocumentID: res.DocumentID,
		SignerName: res.SignerName, SigningTime: res.SigningTime, Kind: res.Kind()}
	if m := res.Manifest; m != nil {
		v.Rating, v.PeriodStart, v.PeriodEnd, v.ValidFrom, v.ValidUntil = m.Residual, m.PeriodStart, m.PeriodEnd, m.ValidFrom, m.ValidUntil
	}
	fail := func(plain, technical string) {
		v.Reasons = append(v.Reasons, technical)
		if plain != "" {
			v.Plain = append(v.Plain, plain)
		}
	}
	if res.DocumentID == "" {
		plain := PlainNoDocumentID
		if slices.Contains(v.Plain, PlainNoManifest) {
			plain = "" // already said: the record that names the document is missing
		}
		fail(plain, "the file names no document ID, so it cannot be matched with the registry")
		return v, nil
	}
	var found bool
	if res.Board != nil {
		found, err = c.checkBoard(ctx, v, res, fail)
	} else {
		found, err = c.checkAttestation(ctx, v, res, fail)
	}
	if err != nil {
		return nil, err
	}
	if !found {
		fail(fmt.Sprintf("This Routewarden has never issued a document with ID %s.", res.DocumentID),
			fmt.Sprintf("document %s is not in this Routewarden's registry", res.DocumentID))
		return v, nil
	}
	v.Valid = res.Valid && len(v.Reasons) == 0
	return v, nil
}

// checkAttestation matches an attestation with its registry entry; found is false when the
// document ID is not registered.
func (c *Checker) checkAttestation(ctx context.Context, v *rw.Verdict, res Result, fail func(string, string)) (bool, error) {
	a, err := c.Registry.FindAttestationByDocumentID(ctx, res.DocumentID)
	switch rw.ErrorCode(err) {
	case "":
	case rw.ENOTFOUND:
		return false, nil
	default:
		return false, fmt.Errorf("attest: registry lookup of %s: %w", res.DocumentID, err)
	}
	v.Attestation = a
	checkRegistered(res, a.DocumentID, a.SHA256, a.SignerFingerprint, fail)
	if a.Revoked() {
		v.Revoked = true
		fail(fmt.Sprintf("Document %s was revoked on %s: it is no longer valid.", a.DocumentID, a.RevokedAt.UTC().Format("2 January 2006")),
			fmt.Sprintf("document %s was revoked on %s", a.DocumentID, a.RevokedAt.UTC().Format("2006-01-02 15:04 UTC")))
	}
	if a.Superseded() {
		v.Superseded = true
		msg := fmt.Sprintf("document %s was %s; it is no longer the attestation in force", a.DocumentID, a.SupersededNote())
		fail(strings.ToUpper(msg[:1])+msg[1:]+".", msg)
	}
	now := time.Now()
	if c.Now != nil {
		now = c.Now()
	}
	if !v.ValidUntil.IsZero() && !now.Before(v.ValidUntil) {
		v.Expired = true
		fail(fmt.Sprintf("The attestation's validity ended on %s: it no longer vouches for the supplier, and a new assessment is due.", v.ValidUntil.UTC().Format("2 January 2006")),
			fmt.Sprintf("document %s is valid until %s (valid_until of its manifest)", a.DocumentID, v.ValidUntil.UTC().Format("2006-01-02 15:04 UTC")))
	}
	return true, nil
}

// checkBoard matches a board report with its registry entry.
func (c *Checker) checkBoard(ctx context.Context, v *rw.Verdict, res Result, fail func(string, string)) (bool, error) {
	if c.Boards == nil {
		return false, nil
	}
	b, err := c.Boards.FindBoardReportByDocumentID(ctx, res.DocumentID)
	switch rw.ErrorCode(err) {
	case "":
	case rw.ENOTFOUND:
		return false, nil
	default:
		return false, fmt.Errorf("attest: registry lookup of %s: %w", res.DocumentID, err)
	}
	v.BoardReport = b
	checkRegistered(res, b.DocumentID, b.SHA256, b.SignerFingerprint, fail)
	if b.Revoked() {
		v.Revoked = true
		fail(fmt.Sprintf("Board report %s was revoked on %s: it is no longer valid.", b.DocumentID, b.RevokedAt.UTC().Format("2 January 2006")),
			fmt.Sprintf("document %s was revoked on %s", b.DocumentID, b.RevokedAt.UTC().Format("2006-01-02 15:04 UTC")))
	}
	return true, nil
}

// checkRegistered compares the file with what the registry holds for its document ID.
func checkRegistered(res Result, docID, sha, signer string, fail func(string, string)) {
	if sha != res.SHA256 {
		fail(fmt.Sprintf("This file is not the document issued as %s: its content differs from the registered file.", docID),
			fmt.Sprintf("the file differs from registered document %s (SHA-256 %s, registered %s)", docID, short(res.SHA256), short(sha)))
	}
	if res.SignerFingerprint != "" && signer != res.SignerFingerprint {
		fail(fmt.Sprintf("Document %s was issued with another signing certificate than the one in this file.", docID),
			fmt.Sprintf("document %s was registered with another signer certificate", docID))
	}
}

func short(hex string) string {
	if len(hex) > 16 {
		return hex[:16] + "…"
	}
	return hex
}
