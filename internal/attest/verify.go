package attest

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/digitorus/pdfsign/verify"
)

// Result is the verdict on an attestation PDF. Valid is true only when the
// signature is intact, covers the whole file, was made by a certificate
// that chains to the trusted roots, and the manifest could be read.
type Result struct {
	Valid    bool
	Reasons  []string // why the document is not valid; empty when Valid
	Warnings []string // facts a reader should know even when Valid

	SHA256     string    // of the whole file, hex; match it against the registry
	DocumentID string    // from the manifest; match it against the registry
	Manifest   *Manifest // nil when it could not be read

	Intact    bool // the signature matches the signed bytes
	WholeFile bool // the signed bytes are the whole file except the signature
	Trusted   bool // the signer certificate chains to the trusted roots

	SignerName        string
	SignerSubject     string
	SignerFingerprint string    // SHA-256 of the signer certificate, hex
	SigningTime       time.Time // claimed by the signer, zero if absent
	TimestampTime     time.Time // from an RFC 3161 token, zero if absent
	DevCertificate    bool      // signed with a Routewarden development certificate
}

// Verdict is a one-line human summary, e.g. for `routewarden verify`.
func (r Result) Verdict() string {
	if r.Valid {
		return fmt.Sprintf("VALID: attestation %s signed by %s", r.DocumentID, r.SignerName)
	}
	return "NOT VALID: " + strings.Join(r.Reasons, "; ")
}

func (r *Result) fail(format string, args ...any) {
	r.Reasons = append(r.Reasons, fmt.Sprintf(format, args...))
}

// Verify checks an attestation PDF: signature integrity (pdfsign), coverage
// of the whole file, the signer certificate against trust (our configured
// certificate or CA; pdfsign itself takes no roots), and reads the manifest.
// A nil trust pool means no certificate is trusted, so Valid stays false.
//
// The error is non-nil only when the input is not a signed PDF at all; the
// Result then still carries the SHA-256. Registry lookup and revocation are
// the caller's: match Result.DocumentID and Result.SHA256.
func Verify(pdfData []byte, trust *x509.CertPool) (Result, error) {
	return verifyAt(pdfData, trust, time.Now())
}

func verifyAt(data []byte, trust *x509.CertPool, now time.Time) (res Result, err error) {
	sum := sha256.Sum256(data)
	res.SHA256 = hex.EncodeToString(sum[:])
	sigs, err := findSignatures(data)
	if err != nil {
		res.fail("%v", err)
		return res, fmt.Errorf("attest: verify: %w", err)
	}
	if len(sigs) == 0 {
		res.fail("the file has no signature")
		return res, errors.New("attest: verify: the file has no signature")
	}
	if len(sigs) > 1 {
		res.fail("the file has %d signatures; an attestation carries exactly one", len(sigs))
	}
	if err := checkCoverage(data, sigs[0].byteRange); err != nil {
		res.fail("%v", err)
	} else {
		res.WholeFile = true
	}
	signer, ok := checkIntegrity(&res, data)
	if ok {
		checkSigner(&res, signer, sigs[0].contents, trust, now)
	}
	if m, err := ExtractManifest(data); err != nil {
		res.fail("%v", err)
	} else {
		res.Manifest, res.DocumentID = m, m.DocumentID
		if m.Demo {
			res.Warnings = append(res.Warnings, "the document was made from demo data")
		}
	}
	res.Valid = len(res.Reasons) == 0 && res.Intact && res.WholeFile && res.Trusted
	return res, nil
}

// checkIntegrity runs pdfsign's verifier. Mind its habits: a digest
// mismatch comes back as resp.Error with a nil error, and a signature it
// cannot process is skipped, leaving no signers.
func checkIntegrity(res *Result, data []byte) (verify.Signer, bool) {
	opts := verify.DefaultVerifyOptions()
	resp, err := verify.VerifyWithOptions(bytes.NewReader(data), int64(len(data)), opts)
	if err != nil {
		res.fail("signature check failed: %v", err)
		return verify.Signer{}, false
	}
	if resp == nil || len(resp.Signers) == 0 {
		res.fail("the signature could not be processed")
		return verify.Signer{}, false
	}
	s := resp.Signers[0]
	if !s.ValidSignature {
		msg := resp.Error
		if msg == "" {
			msg = "signature does not match the document"
		}
		res.fail("the document was changed after signing or the signature is broken: %s", msg)
		return s, false
	}
	if resp.Error != "" {
		// Revocation data or chain problems that pdfsign reports without
		// clearing ValidSignature.
		res.fail("the signature check reported: %s", resp.Error)
	}
	if s.RevokedCertificate {
		res.fail("the signer certificate is revoked according to the revocation data in the signature")
	}
	res.Intact = true
	res.SignerName = s.Name
	if s.SignatureTime != nil {
		res.SigningTime = s.SignatureTime.UTC()
	}
	if s.TimeStamp != nil {
		res.TimestampTime = s.TimeStamp.Time.UTC()
	}
	return s, true
}

// checkSigner finds the certificate that made the signature and verifies it
// against the trusted roots and for document signing.
func checkSigner(res *Result, s verify.Signer, contents []byte, trust *x509.CertPool, now time.Time) {
	id, err := parseSignerID(contents)
	if err != nil {
		res.fail("%v", err)
		return
	}
	var leaf *x509.Certificate
	inter := x509.NewCertPool()
	for _, c := range s.Certificates {
		if leaf == nil && id.matches(c.Certificate) {
			leaf = c.Certificate
			continue
		}
		inter.AddCert(c.Certificate)
	}
	if leaf == nil {
		res.fail("the signing certificate is not embedded in the signature")
		return
	}
	res.SignerSubject = leaf.Subject.String()
	res.SignerFingerprint = CertFingerprint(leaf)
	res.DevCertificate = isDevCertificate(leaf)
	if res.DevCertificate {
		res.Warnings = append(res.Warnings, "signed with a self-signed development certificate")
	}
	if res.SignerName == "" {
		res.SignerName = leaf.Subject.CommonName
	}
	if !res.TimestampTime.IsZero() && s.TimestampTrusted {
		now = res.TimestampTime
	}
	if trust == nil {
		res.fail("no trusted certificate is configured")
		return
	}
	_, err = leaf.Verify(x509.VerifyOptions{
		Roots: trust, Intermediates: inter, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		res.fail("the signer certificate %q is not trusted: %v", leaf.Subject.CommonName, err)
		return
	}
	if err := documentSigningUsage(leaf); err != nil {
		res.fail("the signer certificate %q %v", leaf.Subject.CommonName, err)
		return
	}
	res.Trusted = true
}

// documentSigningUsage accepts the key usages validators expect of a
// document-signing certificate: digitalSignature or contentCommitment, and
// an extended key usage (if any) of Document Signing (RFC 9336), Email
// Protection or any.
func documentSigningUsage(c *x509.Certificate) error {
	if c.KeyUsage != 0 && c.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0 {
		return errors.New("allows neither digitalSignature nor contentCommitment")
	}
	if len(c.ExtKeyUsage) == 0 && len(c.UnknownExtKeyUsage) == 0 {
		return nil
	}
	if slices.ContainsFunc(c.UnknownExtKeyUsage, oidDocumentSigning.Equal) ||
		slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageEmailProtection) ||
		slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageAny) {
		return nil
	}
	return errors.New("is not for document signing (extended key usage lacks documentSigning and emailProtection)")
}

// TrustPool returns a pool trusting the signer's own certificate chain: the
// top certificate of Chain (the CA) or, without a chain, the certificate
// itself (a self-signed or pinned certificate). Verify with it accepts only
// documents signed under this configuration.
func (s Signer) TrustPool() *x509.CertPool {
	p := x509.NewCertPool()
	switch {
	case len(s.Chain) > 0:
		p.AddCert(s.Chain[len(s.Chain)-1])
	case s.Certificate != nil:
		p.AddCert(s.Certificate)
	}
	return p
}
