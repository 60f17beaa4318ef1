package main

import (
	"errors"
	"log/slog"

	"routewarden/internal/attest"
)

// devSignerWarning is shown in the log and the UI while attestations are signed with the
// self-signed development certificate.
const devSignerWarning = "Attestations are signed with a self-signed development certificate that nobody else trusts. " +
	"Set ROUTEWARDEN_SIGN_CERT and ROUTEWARDEN_SIGN_KEY (or ROUTEWARDEN_SIGN_P12) to sign with your organisation's certificate."

// loadAttestSigner returns the configured signer, or the development signer of the data
// directory (created on first use) with a warning in the log.
func loadAttestSigner(cfg *config, log *slog.Logger) (attest.Signer, error) {
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
		if s, created, err = attest.EnsureDevSigner(cfg.DataDir); err == nil {
			log.Warn(devSignerWarning, "certificate", attest.DevCertFile, "data_dir", cfg.DataDir, "created", created,
				"fingerprint", s.Fingerprint())
		}
	}
	if err != nil {
		return s, err
	}
	s.TSA.URL = sc.TSAURL
	return s, nil
}
