package attest

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"

	rw "routewarden/internal/routewarden"
)

// Checker gives the full verdict on a presented attestation: the signature and certificate
// (Verify), then the registry — the document ID must be registered with exactly this file's
// SHA-256 and signer — and revocation. It implements routewarden.AttestationVerifier.
type Checker struct {
	Trust    *x509.CertPool
	Registry rw.AttestationStore
}

// VerifyAttestation checks pdfData. A file the bounded PDF reader refuses (not a PDF, too
// large, malformed or crafted structure) gives an EINVALID error naming what was wrong and
// where; an unsigned or invalid PDF gets a not-valid verdict; the error is otherwise non-nil
// only when ctx ends or the registry cannot be read.
//
// The verdict's reasons say when a document was revoked but not by whom or why: the public
// verification page shows them to anyone. Who and why are in Verdict.Attestation.
func (c *Checker) VerifyAttestation(ctx context.Context, pdfData []byte) (*rw.Verdict, error) {
	res, err := VerifyContext(ctx, pdfData, c.Trust)
	if cerr := ctx.Err(); cerr != nil {
		return nil, fmt.Errorf("attest: verify: %w", cerr)
	}
	if errors.Is(err, errUnreadable) {
		return nil, &rw.Error{Code: rw.EINVALID, Field: "pdf", Message: "The file is " + strings.Join(res.Reasons, "; ") + "."}
	}
	v := &rw.Verdict{Reasons: res.Reasons, Warnings: res.Warnings, SHA256: res.SHA256, DocumentID: res.DocumentID,
		SignerName: res.SignerName, SigningTime: res.SigningTime}
	if res.DocumentID == "" {
		v.Reasons = append(v.Reasons, "the file names no document ID, so it cannot be matched with the registry")
		return v, nil
	}
	a, err := c.Registry.FindAttestationByDocumentID(ctx, res.DocumentID)
	switch rw.ErrorCode(err) {
	case "":
	case rw.ENOTFOUND:
		v.Reasons = append(v.Reasons, fmt.Sprintf("document %s is not in this Routewarden's registry", res.DocumentID))
		return v, nil
	default:
		return nil, fmt.Errorf("attest: registry lookup of %s: %w", res.DocumentID, err)
	}
	v.Attestation = a
	if a.SHA256 != res.SHA256 {
		v.Reasons = append(v.Reasons, fmt.Sprintf("the file differs from registered document %s (SHA-256 %s, registered %s)",
			a.DocumentID, short(res.SHA256), short(a.SHA256)))
	}
	if res.SignerFingerprint != "" && a.SignerFingerprint != res.SignerFingerprint {
		v.Reasons = append(v.Reasons, fmt.Sprintf("document %s was registered with another signer certificate", a.DocumentID))
	}
	if a.Revoked() {
		v.Revoked = true
		v.Reasons = append(v.Reasons, fmt.Sprintf("document %s was revoked on %s", a.DocumentID,
			a.RevokedAt.UTC().Format("2006-01-02 15:04 UTC")))
	}
	if a.Superseded() {
		v.Superseded = true
		v.Reasons = append(v.Reasons, fmt.Sprintf("document %s was %s; it is no longer the attestation in force", a.DocumentID, a.SupersededNote()))
	}
	v.Valid = res.Valid && len(v.Reasons) == 0
	return v, nil
}

func short(hex string) string {
	if len(hex) > 16 {
		return hex[:16] + "…"
	}
	return hex
}
