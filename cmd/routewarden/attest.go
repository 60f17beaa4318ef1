package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"time"

	"routewarden/internal/attest"
	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
	"routewarden/static"
)

// devSignerWarning is shown in the log and the UI while attestations are signed with the
// self-signed development certificate.
const devSignerWarning = "Attestations are signed with a self-signed development certificate that nobody else trusts. " +
	"Set ROUTEWARDEN_SIGN_CERT and ROUTEWARDEN_SIGN_KEY (or ROUTEWARDEN_SIGN_P12) to sign with your organisation's certificate."

// cmdAttest issues a signed attestation of an approved assessment from the command line and
// writes the PDF, exactly as the API does.
func cmdAttest(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("attest", &cfg, getenv, stderr)
	id := fs.Int64("assessment", 0, "ID of the approved assessment to attest")
	out := fs.String("out", "", "file to write the signed PDF to")
	by := fs.String("by", "cli", "who issues it, recorded in the registry and the audit log")
	supersede := fs.Int64("supersede", 0, "ID of the current attestation this re-issue supersedes (the confirmation a re-issue needs)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) > 0 || *id <= 0 || *out == "" {
		return usageErr(stderr, errors.New("usage: routewarden attest --assessment ID --out FILE [--by EMAIL] [--supersede ID] [--db DSN] [--data-dir DIR]"))
	}
	if err := cfg.validate(); err != nil {
		return usageErr(stderr, err)
	}
	cfg.readSigning(getenv)
	log := cfg.logger(stderr)
	db, err := openDB(ctx, &cfg, false, log)
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	lib, err := loadLibrary(ctx, db, log)
	if err != nil {
		return fail(stderr, err)
	}
	is, _, _, err := newAttestation(&cfg, db, lib, log)
	if err != nil {
		return fail(stderr, err)
	}
	a, err := is.IssueAttestation(ctx, *id, *by, *supersede)
	if err != nil {
		return fail(stderr, fmt.Errorf("attest assessment %d: %s", *id, errText(err)))
	}
	if err := os.WriteFile(*out, a.PDF, 0o644); err != nil {
		return fail(stderr, fmt.Errorf("attestation %s is registered but could not be written: %w (download it again from /api/v1/attestations/%d/pdf)",
			a.DocumentID, err, a.ID))
	}
	fmt.Fprintf(stdout, "attestation %s (id %d) of assessment %d, %s: %s, %d bytes, sha256 %s\n",
		a.DocumentID, a.ID, a.AssessmentID, a.VendorName, *out, a.Size, a.SHA256)
	return exitOK
}

// newAttestation wires the attestation issuer and verifier to the store. warning is the
// development-certificate warning for the UI ("" with a configured certificate).
func newAttestation(cfg *config, db *store.DB, lib *control.Set, log *slog.Logger) (*attest.Issuer, *attest.Checker, string, error) {
	signer, err := loadAttestSigner(cfg, db, log)
	if err != nil {
		return nil, nil, "", fmt.Errorf("attestation signer: %w", err)
	}
	fonts, err := attestFonts(static.FS)
	if err != nil {
		return nil, nil, "", err
	}
	is := &attest.Issuer{Assessments: db, Vendors: db, Snapshots: db, Registry: db, Controls: lib, Signer: signer,
		Fonts: fonts, VerifyURL: verifyURLOf(cfg), Now: db.Now}
	warning := ""
	if signer.Dev {
		warning = devSignerWarning
	}
	return is, &attest.Checker{Trust: signer.TrustPool(), Registry: db, Boards: db, Now: db.Now}, warning, nil
}

// verifyURLOf is where signed documents tell their readers to verify them.
func verifyURLOf(cfg *config) string {
	if u := strings.TrimRight(cfg.Signing.PublicURL, "/"); u != "" {
		return u + "/verify"
	}
	return "the /verify page of this organisation's Routewarden"
}

// attestFonts reads the embedded TrueType fonts the PDF embeds.
func attestFonts(fsys fs.FS) (attest.Options, error) {
	regular, err := fs.ReadFile(fsys, "fonts/DejaVuSans.ttf")
	if err != nil {
		return attest.Options{}, fmt.Errorf("attestation font: %w", err)
	}
	bold, err := fs.ReadFile(fsys, "fonts/DejaVuSans-Bold.ttf")
	if err != nil {
		return attest.Options{}, fmt.Errorf("attestation font: %w", err)
	}
	return attest.Options{Font: regular, BoldFont: bold}, nil
}

// loadAttestSigner returns the configured signer, or the development signer kept in the
// database (created on first use, shared by every instance) with a warning in the log.
func loadAttestSigner(cfg *config, db *store.DB, log *slog.Logger) (attest.Signer, error) {
	sc := cfg.Signing
	var (
		s   attest.Signer
		err error
	)
	switch {
	case sc.P12 != "" && (sc.Cert != "" || sc.Key != ""):
		return s, errors.New("set either ROUTEWARDEN_SIGN_P12 or ROUTEWARDEN_SIGN_CERT with ROUTEWARDEN_SIGN_KEY, not both")
	case sc.P12 != "":
		s, err = attest.LoadPKCS12(sc.P12, sc.P12Pass)
	case sc.Cert != "" && sc.Key != "":
		s, err = attest.LoadSigner(sc.Cert, sc.Key)
	case sc.Cert != "" || sc.Key != "":
		return s, errors.New("ROUTEWARDEN_SIGN_CERT and ROUTEWARDEN_SIGN_KEY must be set together")
	default:
		var created bool
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if s, created, err = attest.EnsureSharedDevSigner(ctx, db, cfg.DataDir); err == nil {
			log.Warn(devSignerWarning, "stored_in", "database", "created", created, "fingerprint", s.Fingerprint())
			if db.Dialect == store.Postgres {
				log.Warn("Several instances on this PostgreSQL database share the development signing key stored in it, " +
					"so anyone who can read the database can sign as it. Configure ROUTEWARDEN_SIGN_CERT and ROUTEWARDEN_SIGN_KEY " +
					"(or ROUTEWARDEN_SIGN_P12) on every instance for production.")
			}
		}
	}
	if err != nil {
		return s, err
	}
	s.TSA.URL = sc.TSAURL
	if !s.Dev {
		log.Info("attestation signer", "subject", s.Certificate.Subject.String(), "fingerprint", s.Fingerprint(),
			"not_after", s.Certificate.NotAfter, "tsa", sc.TSAURL)
	}
	return s, nil
}

// errText is the message of a domain error, or the full text of any other (the CLI user is the
// operator, who needs the details).
func errText(err error) string {
	if rw.ErrorCode(err) != rw.EINTERNAL {
		return rw.ErrorMessage(err)
	}
	return err.Error()
}
