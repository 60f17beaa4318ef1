package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"routewarden/internal/attest"
	"routewarden/internal/monitor"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
)

// maxVerifyBytes bounds the file `routewarden verify` reads: what the verifier accepts.
const maxVerifyBytes = attest.MaxVerifySize

// cmdVerify checks an attestation PDF: signature integrity, the signer certificate against the
// configured certificate or CA (or the development certificate), the registry entry by document
// ID and SHA-256, and revocation. Exit 0 valid, 1 not valid, 2 usage.
func cmdVerify(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("verify", &cfg, getenv, stderr)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) != 1 {
		return usageErr(stderr, errors.New("usage: routewarden verify FILE [--db DSN] [--data-dir DIR]"))
	}
	if err := cfg.validate(); err != nil {
		return usageErr(stderr, err)
	}
	cfg.readSigning(getenv)
	data, err := readPDF(pos[0], maxVerifyBytes)
	if err != nil {
		return fail(stderr, err)
	}
	db, err := openDB(ctx, &cfg, false, cfg.logger(stderr))
	if err != nil {
		return fail(stderr, fmt.Errorf("the registry is needed to verify: %w", err))
	}
	defer db.Close()
	trust, trustNote, err := attestTrust(ctx, &cfg, db)
	if err != nil {
		return fail(stderr, err)
	}
	v, err := (&attest.Checker{Trust: trust, Registry: db, Boards: db, Now: db.Now}).VerifyAttestation(ctx, data)
	if err == nil {
		// The signature still holds; the reader learns whether monitoring saw the posture change.
		err = monitor.AnnotateVerdict(ctx, db, v)
	}
	if err != nil {
		return fail(stderr, err)
	}
	printVerdict(stdout, pos[0], v, trustNote)
	if !v.Valid {
		return exitFailure
	}
	return exitOK
}

func readPDF(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: larger than %d MiB; not an attestation", path, max>>20)
	}
	return data, nil
}

// printVerdict prints the plain summary — the verdict, what the document is, why it is not
// valid — and then the technical detail for experts.
func printVerdict(w io.Writer, name string, v *rw.Verdict, trustNote string) {
	// The first line starts VALID or NOT VALID for scripts; the rest of it is the plain headline.
	if v.Valid {
		fmt.Fprintln(w, "VALID: "+strings.TrimPrefix(v.Headline(), "Valid: "))
	} else {
		fmt.Fprintln(w, "NOT VALID: "+strings.TrimPrefix(v.Headline(), "Not valid: "))
	}
	for _, f := range v.Facts() {
		fmt.Fprintf(w, "  %-16s %s\n", f.Label+":", f.Value)
	}
	if !v.Valid {
		fmt.Fprintln(w, "Why:")
		for _, r := range v.PlainReasons() {
			fmt.Fprintln(w, "  -", r)
		}
	}
	for _, x := range v.Warnings {
		fmt.Fprintln(w, "Warning:", x)
	}
	fmt.Fprintln(w, "Technical details:")
	fmt.Fprintf(w, "  file:        %s\n  sha256:      %s\n", name, v.SHA256)
	if !v.SigningTime.IsZero() {
		fmt.Fprintf(w, "  signed at:   %s\n", v.SigningTime.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	// The operator's shell, unlike the public page, may name who issued or revoked and why.
	if a := v.Attestation; a != nil {
		fmt.Fprintf(w, "  registered:  %s by %s, vendor %s, assessment %d\n", a.IssuedAt.UTC().Format("2006-01-02 15:04 UTC"),
			a.IssuedBy, a.VendorName, a.AssessmentID)
		if a.Revoked() {
			fmt.Fprintf(w, "  revoked:     %s by %s: %s\n", a.RevokedAt.UTC().Format("2006-01-02 15:04 UTC"), a.RevokedBy, a.RevocationReason)
		}
	}
	if b := v.BoardReport; b != nil {
		fmt.Fprintf(w, "  registered:  board report %d, %s by %s\n", b.ID, b.IssuedAt.UTC().Format("2006-01-02 15:04 UTC"), b.IssuedBy)
		if b.Revoked() {
			fmt.Fprintf(w, "  revoked:     %s by %s: %s\n", b.RevokedAt.UTC().Format("2006-01-02 15:04 UTC"), b.RevokedBy, b.RevocationReason)
		}
	}
	fmt.Fprintf(w, "  trusted:     %s\n", trustNote)
	for _, r := range v.Reasons {
		fmt.Fprintln(w, "  finding:    ", r)
	}
}

// attestTrust returns the certificates an attestation must chain to: the configured signer's
// CA (or its certificate), else the development certificate stored in the database (or, from
// earlier versions, in the data directory). The note says which, for the verdict.
func attestTrust(ctx context.Context, cfg *config, db *store.DB) (*x509.CertPool, string, error) {
	sc := cfg.Signing
	switch {
	case sc.P12 != "":
		s, err := attest.LoadPKCS12(sc.P12, sc.P12Pass)
		if err != nil {
			return nil, "", err
		}
		return s.TrustPool(), "the certificate chain of " + sc.P12, nil
	case sc.Cert != "":
		p, err := attest.LoadTrust(sc.Cert)
		return p, "the top certificate of " + sc.Cert, err
	}
	if pemCert, err := db.SigningCertificate(ctx, attest.DevKeyName); err == nil {
		p := x509.NewCertPool()
		if !p.AppendCertsFromPEM(pemCert) {
			return nil, "", errors.New("the development certificate stored in the database cannot be read")
		}
		return p, "the development certificate stored in the database (not for production)", nil
	} else if rw.ErrorCode(err) != rw.ENOTFOUND {
		return nil, "", err
	}
	dev := filepath.Join(cfg.DataDir, attest.DevCertFile)
	if _, err := os.Stat(dev); err != nil {
		return nil, "nothing (no signer configured and no development certificate in " + cfg.DataDir + ")", nil
	}
	p, err := attest.LoadTrust(dev)
	return p, "the development certificate " + dev + " (not for production)", err
}
