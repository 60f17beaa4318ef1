package attest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/digitorus/pdfsign/revocation"
	"github.com/digitorus/pkcs7"
	"github.com/digitorus/timestamp"
	"golang.org/x/crypto/ocsp"

	rw "routewarden/internal/routewarden"
)

// Result is the verdict on an attestation PDF. Valid is true only when the
// signature is intact, covers the whole file, was made by a certificate
// that chains to the trusted roots, and the manifest could be read.
type Result struct {
	Valid    bool
	Reasons  []string // why the document is not valid, in technical terms; empty when Valid
	Plain    []string // the same in plain sentences for everyone, without repeats
	Warnings []string // facts a reader should know even when Valid

	SHA256     string    // of the whole file, hex; match it against the registry
	DocumentID string    // from the manifest; match it against the registry
	Manifest   *Manifest // an attestation's manifest; nil when it could not be read
	// Board is a board report's manifest; nil when the file is not a board report.
	Board *BoardManifest

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

// Kind is what the file says it is: routewarden.KindBoardReport for a board report's
// manifest, else routewarden.KindAttestation; "" when no manifest could be read.
func (r Result) Kind() string {
	switch {
	case r.Board != nil:
		return rw.KindBoardReport
	case r.Manifest != nil:
		return rw.KindAttestation
	}
	return ""
}

// Verdict is a one-line human summary, e.g. for `routewarden verify`.
func (r Result) Verdict() string {
	if r.Valid {
		kind := r.Kind()
		if kind == "" {
			kind = rw.KindAttestation
		}
		return fmt.Sprintf("VALID: %s %s signed by %s", kind, r.DocumentID, r.SignerName)
	}
	return "NOT VALID: " + strings.Join(r.Reasons, "; ")
}

// fail records why the document is not valid: plain, one of the plain sentences below, for
// everyone, and the technical detail for experts.
func (r *Result) fail(plain, format string, args ...any) {
	r.Reasons = append(r.Reasons, fmt.Sprintf(format, args...))
	if !slices.Contains(r.Plain, plain) {
		r.Plain = append(r.Plain, plain)
	}
}

// Plain sentences for the reasons a file is not valid. The technical reasons stay in
// Result.Reasons; these are what a reader without PDF or PKI knowledge is told.
const (
	PlainUnreadable   = "The file is not a PDF that Routewarden can check: it is damaged, or it was not made by Routewarden."
	PlainUnsigned     = "The file carries no signature, so nothing shows who issued it."
	PlainSignatures   = "The file carries more than one signature; a document issued by Routewarden carries exactly one, so something was added after it was issued."
	PlainAdded        = "Content was added to the file after it was signed."
	PlainChanged      = "The document was changed after signing: its content is not what was signed."
	PlainBroken       = "The signature in the file is damaged or not of the kind Routewarden makes."
	PlainTimestamp    = "The signature's timestamp cannot be checked."
	PlainRevokedCert  = "The certificate that signed the file has been revoked."
	PlainRevocation   = "The revocation information inside the signature cannot be read."
	PlainNoCert       = "The signature does not carry the certificate that made it, so the signer cannot be identified."
	PlainNoTrust      = "This Routewarden has no signing certificate configured, so it cannot confirm who signed the file."
	PlainUntrusted    = "The file was not signed with this organisation's certificate."
	PlainCertUsage    = "The certificate that signed the file is not meant for signing documents."
	PlainStopped      = "The check was stopped before it finished; try again."
	PlainNoManifest   = "The record Routewarden puts inside every document it issues is missing or damaged, so the file cannot be matched with the registry."
	PlainNoDocumentID = "The file does not say which document it is, so it cannot be matched with the registry."
)

// Verify checks an attestation PDF: signature integrity, coverage of the whole
// file, the signer certificate against trust (our configured certificate or
// CA), and reads the manifest. A nil trust pool means no certificate is
// trusted, so Valid stays false.
//
// The error is non-nil only when the input is not a signed PDF at all; the
// Result then still carries the SHA-256. Registry lookup and revocation are
// the caller's: match Result.DocumentID and Result.SHA256.
func Verify(pdfData []byte, trust *x509.CertPool) (Result, error) {
	return VerifyContext(context.Background(), pdfData, trust)
}

// VerifyContext is Verify that gives up, with an error, when ctx ends. The
// file is read by the bounded reader of pdfscan.go, never by a general PDF
// library: a file over MaxVerifySize, without %%EOF near its end, with
// nesting deeper than 64 or oversized cross-reference sections is refused
// before the work it would cost.
func VerifyContext(ctx context.Context, pdfData []byte, trust *x509.CertPool) (Result, error) {
	return verifyAt(ctx, pdfData, trust, time.Now())
}

func verifyAt(ctx context.Context, data []byte, trust *x509.CertPool, now time.Time) (res Result, err error) {
	sum := sha256.Sum256(data)
	res.SHA256 = hex.EncodeToString(sum[:])
	f, err := openPDF(ctx, data)
	var sigs []sigField
	if err == nil {
		sigs, err = f.signatures()
	}
	if err != nil && ctx.Err() == nil {
		err = fmt.Errorf("%w: %w", errUnreadable, err)
	}
	if err == nil && ctx.Err() != nil {
		err = fmt.Errorf("verification stopped: %w", ctx.Err())
	}
	if err != nil {
		res.fail(PlainUnreadable, "%v", err)
		if ctx.Err() != nil {
			res.Plain = []string{PlainStopped}
		}
		return res, fmt.Errorf("attest: verify: %w", err)
	}
	if len(sigs) == 0 {
		res.fail(PlainUnsigned, "the file has no signature")
		return res, errors.New("attest: verify: the file has no signature")
	}
	if len(sigs) > 1 {
		res.fail(PlainSignatures, "the file has %d signatures; an attestation carries exactly one", len(sigs))
	}
	sig := sigs[0]
	if err := checkCoverage(data, sig.byteRange); err != nil {
		res.fail(PlainAdded, "%v", err)
	} else {
		res.WholeFile = true
	}
	if p7, tsTrusted, ok := checkIntegrity(&res, data, sig); ok {
		checkSigner(&res, p7.Certificates, tsTrusted, sig.contents, trust, now)
	}
	if err := ctx.Err(); err != nil {
		res.fail(PlainStopped, "verification stopped: %v", err)
		return res, fmt.Errorf("attest: verify: %w", err)
	}
	if m, b, err := f.manifests(); err != nil {
		res.fail(PlainNoManifest, "%v", err)
	} else if b != nil {
		res.Board, res.DocumentID = b, b.DocumentID
		if b.Demo {
			res.Warnings = append(res.Warnings, "the document was made from demo data")
		}
	} else {
		res.Manifest, res.DocumentID = m, m.DocumentID
		if m.Demo {
			res.Warnings = append(res.Warnings, "the document was made from demo data")
		}
	}
	res.Valid = len(res.Reasons) == 0 && res.Intact && res.WholeFile && res.Trusted
	return res, nil
}

// errUnreadable marks a file the PDF reader refused: not a PDF, or one whose
// structure it does not read (see pdfscan.go).
var errUnreadable = errors.New("not a readable PDF")

// maxCMSNesting bounds how deeply the signature's ASN.1 elements may nest: a
// CMS blob with a timestamp token inside is about 20 deep. pkcs7.Parse
// recurses once per level without a limit of its own.
const maxCMSNesting = 48

// signedBytes returns the bytes the /ByteRange names, or an error when a range
// lies outside the file.
func signedBytes(data []byte, br []int64) ([]byte, error) {
	if len(br) != 4 {
		return nil, fmt.Errorf("signature /ByteRange has %d numbers, want 4", len(br))
	}
	n := int64(len(data))
	var out []byte
	for i := 0; i < 4; i += 2 {
		off, l := br[i], br[i+1]
		if off < 0 || l < 0 || off > n || l > n-off {
			return nil, fmt.Errorf("signature /ByteRange %v reaches outside the file of %d bytes", br, n)
		}
		out = append(out, data[off:off+l]...)
	}
	return out, nil
}

// checkIntegrity checks the CMS signature in /Contents over the bytes the
// /ByteRange names: the message digest and the signer's signature over the
// signed attributes. It also reads an RFC 3161 timestamp token and the
// revocation data embedded in the signature.
func checkIntegrity(res *Result, data []byte, sig sigField) (*pkcs7.PKCS7, bool, bool) {
	content, err := signedBytes(data, sig.byteRange)
	if err != nil {
		res.fail(PlainBroken, "%v", err)
		return nil, false, false
	}
	if err := checkBER(sig.contents, maxCMSNesting); err != nil {
		res.fail(PlainBroken, "the signature could not be processed: %v", err)
		return nil, false, false
	}
	p7, err := pkcs7.Parse(sig.contents)
	if err != nil {
		res.fail(PlainBroken, "the signature could not be processed: %v", err)
		return nil, false, false
	}
	if err := checkContentType(p7, sig.contents); err != nil {
		res.fail(PlainBroken, "the signature could not be processed: %v", err)
		return nil, false, false
	}
	p7.Content = content
	if err := p7.Verify(); err != nil {
		res.fail(PlainChanged, "the document was changed after signing or the signature is broken: %v", err)
		return p7, false, false
	}
	res.Intact = true
	res.SignerName = sig.name
	if !sig.signedAt.IsZero() {
		res.SigningTime = sig.signedAt.UTC()
	}
	ts, err := signatureTimestamp(p7)
	if err != nil {
		res.fail(PlainTimestamp, "%v", err)
	}
	tsTrusted := false
	if ts != nil {
		res.TimestampTime = ts.Time.UTC()
		tsTrusted = timestampTrusted(ts)
	}
	checkEmbeddedRevocation(res, p7, ts != nil && tsTrusted)
	return p7, tsTrusted, true
}

// checkContentType requires a detached signature over data whose content-type attribute
// matches the encapsulated content type (RFC 5652 section 11.1). pkcs7.Verify checks neither,
// and both lie outside the signed bytes: without this check a file with the type changed
// would still verify.
func checkContentType(p7 *pkcs7.PKCS7, contents []byte) error {
	var ci cmsContentInfo
	if _, err := asn1.Unmarshal(contents, &ci); err != nil {
		return fmt.Errorf("signature is not CMS: %w", err)
	}
	var sd struct {
		Version          int
		DigestAlgorithms asn1.RawValue
		EncapContentInfo struct {
			EContentType asn1.ObjectIdentifier
			EContent     asn1.RawValue `asn1:"optional,explicit,tag:0"`
		}
		Rest asn1.RawValue `asn1:"optional"`
	}
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return fmt.Errorf("signature SignedData: %w", err)
	}
	if !sd.EncapContentInfo.EContentType.Equal(oidData) || len(sd.EncapContentInfo.EContent.FullBytes) != 0 {
		return fmt.Errorf("signature is not detached over data (content type %v)", sd.EncapContentInfo.EContentType)
	}
	var attr asn1.ObjectIdentifier
	if err := p7.UnmarshalSignedAttribute(oidContentTypeAttr, &attr); err != nil || !attr.Equal(oidData) {
		return fmt.Errorf("signature content-type attribute %v does not match the content type %v", attr, oidData)
	}
	return nil
}

var (
	oidData            = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidContentTypeAttr = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidTimestampToken  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}
	oidAdobeRevInfo    = asn1.ObjectIdentifier{1, 2, 840, 113583, 1, 1, 8}
)

// signatureTimestamp returns the RFC 3161 token among the signer's unsigned
// attributes, checked to be over the signature value; nil if there is none.
func signatureTimestamp(p7 *pkcs7.PKCS7) (*timestamp.Timestamp, error) {
	for _, s := range p7.Signers {
		for _, attr := range s.UnauthenticatedAttributes {
			if !attr.Type.Equal(oidTimestampToken) {
				continue
			}
			ts, err := timestamp.Parse(attr.Value.Bytes)
			if err != nil {
				return nil, fmt.Errorf("the signature's timestamp token cannot be read: %v", err)
			}
			if !ts.HashAlgorithm.Available() {
				return nil, errors.New("the signature's timestamp token uses an unknown hash")
			}
			h := ts.HashAlgorithm.New()
			h.Write(s.EncryptedDigest)
			if !bytes.Equal(h.Sum(nil), ts.HashedMessage) {
				return nil, errors.New("the signature's timestamp token is for another signature")
			}
			return ts, nil
		}
	}
	return nil, nil
}

// timestampTrusted reports whether the timestamp token's signing certificate
// chains to the system's trusted roots for time stamping.
func timestampTrusted(ts *timestamp.Timestamp) bool {
	p7, err := pkcs7.Parse(ts.RawToken)
	if err != nil {
		return false
	}
	inter := x509.NewCertPool()
	for _, c := range p7.Certificates {
		inter.AddCert(c)
	}
	for _, c := range p7.Certificates {
		if c.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
			continue
		}
		_, err := c.Verify(x509.VerifyOptions{Intermediates: inter, CurrentTime: ts.Time,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}})
		return err == nil
	}
	return false
}

// checkEmbeddedRevocation reads the Adobe revocation-information attribute the
// signer may have embedded. Revocation data can only make the verdict worse, so
// its own signatures need no checking: a certificate it lists as revoked fails
// the document unless a trusted timestamp shows the signature came first.
func checkEmbeddedRevocation(res *Result, p7 *pkcs7.PKCS7, trustedTime bool) {
	var info revocation.InfoArchival
	if err := p7.UnmarshalSignedAttribute(oidAdobeRevInfo, &info); err != nil {
		return // absent (or unreadable, which pdfsign also ignores)
	}
	revoked := func(serial *big.Int, at time.Time) {
		for _, c := range p7.Certificates {
			if c.SerialNumber.Cmp(serial) == 0 && (!trustedTime || !res.TimestampTime.Before(at)) {
				res.fail(PlainRevokedCert, "the signer certificate %q is revoked according to the revocation data in the signature", c.Subject.CommonName)
				return
			}
		}
	}
	for _, o := range info.OCSP {
		r, err := ocsp.ParseResponse(o.FullBytes, nil)
		if err != nil {
			res.fail(PlainRevocation, "the signature check reported: revocation data (OCSP) cannot be read: %v", err)
			continue
		}
		if r.Status != ocsp.Good {
			revoked(r.SerialNumber, r.RevokedAt)
		}
	}
	for _, c := range info.CRL {
		crl, err := x509.ParseRevocationList(c.FullBytes)
		if err != nil {
			res.fail(PlainRevocation, "the signature check reported: revocation data (CRL) cannot be read: %v", err)
			continue
		}
		for _, e := range crl.RevokedCertificateEntries {
			revoked(e.SerialNumber, e.RevocationTime)
		}
	}
}

// checkBER walks the BER/DER element at the start of b without recursion and
// refuses nesting deeper than maxDepth, indefinite and non-minimal lengths
// (attestation signatures are DER, which has one encoding per value) and elements that overrun their container. Bytes after
// the element (the /Contents padding) are left to parseSignerID.
func checkBER(b []byte, maxDepth int) error {
	var ends []int
	pos := 0
	for {
		for len(ends) > 0 && pos == ends[len(ends)-1] {
			ends = ends[:len(ends)-1]
		}
		if pos > 0 && len(ends) == 0 {
			return nil
		}
		if pos >= len(b) {
			return fmt.Errorf("ASN.1 data ends inside an element at byte %d", pos)
		}
		start := pos
		tag := b[pos]
		pos++
		if tag&0x1f == 0x1f {
			for i := 0; ; i++ {
				if pos >= len(b) || i == 4 {
					return fmt.Errorf("ASN.1 tag at byte %d is malformed", start)
				}
				pos++
				if b[pos-1] < 0x80 {
					break
				}
			}
		}
		if pos >= len(b) {
			return fmt.Errorf("ASN.1 data ends inside an element at byte %d", start)
		}
		l := int(b[pos])
		pos++
		switch {
		case l == 0x80:
			return fmt.Errorf("ASN.1 element at byte %d has an indefinite length; signatures must be DER", start)
		case l > 0x80:
			n := l & 0x7f
			if n > 4 || pos+n > len(b) {
				return fmt.Errorf("ASN.1 length at byte %d is malformed", start)
			}
			l = 0
			for range n {
				l = l<<8 | int(b[pos])
				pos++
			}
			if l < 0x80 || l>>(8*(n-1)) == 0 {
				return fmt.Errorf("ASN.1 length at byte %d is not in the shortest form (DER)", start)
			}
		}
		end := pos + l
		if l < 0 || end > len(b) || (len(ends) > 0 && end > ends[len(ends)-1]) {
			return fmt.Errorf("ASN.1 element at byte %d overruns its container", start)
		}
		if tag&0x20 == 0 || l == 0 {
			pos = end
			continue
		}
		ends = append(ends, end)
		if len(ends) > maxDepth {
			return fmt.Errorf("ASN.1 nesting deeper than %d at byte %d", maxDepth, start)
		}
	}
}

// checkSigner finds the certificate that made the signature and verifies it
// against the trusted roots and for document signing.
func checkSigner(res *Result, certs []*x509.Certificate, tsTrusted bool, contents []byte, trust *x509.CertPool, now time.Time) {
	id, err := parseSignerID(contents)
	if err != nil {
		res.fail(PlainBroken, "%v", err)
		return
	}
	var leaf *x509.Certificate
	inter := x509.NewCertPool()
	for _, c := range certs {
		if leaf == nil && id.matches(c) {
			leaf = c
			continue
		}
		inter.AddCert(c)
	}
	if leaf == nil {
		res.fail(PlainNoCert, "the signing certificate is not embedded in the signature")
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
	if !res.TimestampTime.IsZero() && tsTrusted {
		now = res.TimestampTime
	}
	if trust == nil {
		res.fail(PlainNoTrust, "no trusted certificate is configured")
		return
	}
	_, err = leaf.Verify(x509.VerifyOptions{
		Roots: trust, Intermediates: inter, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		res.fail(PlainUntrusted, "the signer certificate %q is not trusted: %v", leaf.Subject.CommonName, err)
		return
	}
	if err := documentSigningUsage(leaf); err != nil {
		res.fail(PlainCertUsage, "the signer certificate %q %v", leaf.Subject.CommonName, err)
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
