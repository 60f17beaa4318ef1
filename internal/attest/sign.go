package attest

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/digitorus/pdf"
	"github.com/digitorus/pdfsign/sign"
)

// Sign adds a PKCS#7 detached signature (adbe.pkcs7.detached, SHA-256) over
// the whole PDF except the signature value, as a certification signature
// that allows no further changes. The signer's certificate chain is embedded;
// when signer.TSA.URL is set, an RFC 3161 timestamp token from that TSA is
// embedded too, and Sign fails if the TSA does not answer.
func Sign(pdfData []byte, signer Signer) ([]byte, error) {
	if signer.TSA.URL == "" {
		return signAt(pdfData, signer, time.Now())
	}
	timeout := signer.TSA.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := signAt(pdfData, signer, time.Now())
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		return r.out, r.err
	case <-time.After(timeout):
		// The goroutine ends when the TSA connection does; its result is dropped.
		return nil, fmt.Errorf("attest: sign: timestamp authority %s did not answer within %s", signer.TSA.URL, timeout)
	}
}

func signAt(pdfData []byte, signer Signer, now time.Time) (out []byte, err error) {
	if signer.Key == nil || signer.Certificate == nil {
		return nil, errors.New("attest: sign: signer has no key or certificate")
	}
	if err := usableForSigning(signer.Certificate, now); err != nil {
		return nil, fmt.Errorf("attest: sign: %w", err)
	}
	// digitorus/pdf reports malformed input by panicking.
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("attest: sign: reading PDF: %v", r)
		}
	}()
	rdr, err := pdf.NewReader(bytes.NewReader(pdfData), int64(len(pdfData)))
	if err != nil {
		return nil, fmt.Errorf("attest: sign: reading PDF: %w", err)
	}
	reason := "Routewarden supplier routing-security attestation"
	if f, err := openPDF(context.Background(), pdfData); err == nil {
		if m, b, err := f.manifests(); err == nil && b != nil {
			reason = "Routewarden board / supervisor report " + b.DocumentID
		} else if err == nil {
			reason += " " + m.DocumentID
		}
	}
	chain := append([]*x509.Certificate{signer.Certificate}, signer.Chain...)
	var buf bytes.Buffer
	err = sign.Sign(bytes.NewReader(pdfData), &buf, rdr, int64(len(pdfData)), sign.SignData{
		Signature: sign.SignDataSignature{
			Info: sign.SignDataSignatureInfo{
				Name:        signer.Certificate.Subject.CommonName,
				Reason:      reason,
				Location:    signer.Location,
				ContactInfo: signer.ContactInfo,
				Date:        now,
			},
			CertType:   sign.CertificationSignature,
			DocMDPPerm: sign.DoNotAllowAnyChangesPerms,
		},
		Signer:            signer.Key,
		DigestAlgorithm:   crypto.SHA256,
		Certificate:       signer.Certificate,
		CertificateChains: [][]*x509.Certificate{chain},
		TSA:               sign.TSA{URL: signer.TSA.URL, Username: signer.TSA.Username, Password: signer.TSA.Password},
	})
	if err != nil {
		if signer.TSA.URL != "" {
			return nil, fmt.Errorf("attest: sign (timestamp authority %s): %w", signer.TSA.URL, err)
		}
		return nil, fmt.Errorf("attest: sign: %w", err)
	}
	return buf.Bytes(), nil
}
