package attest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Development certificate files written by EnsureDevSigner.
const (
	DevCertFile = "attest-dev-cert.pem"
	DevKeyFile  = "attest-dev-key.pem"
)

// devMarker is the organisational unit that identifies a development
// certificate, to the program and to anyone reading the signature details.
const devMarker = "Development certificate - NOT FOR PRODUCTION"

// oidDocumentSigning is the Document Signing extended key usage of RFC 9336,
// which crypto/x509 has no constant for.
var oidDocumentSigning = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 36}

// EnsureDevSigner loads the self-signed development signer from dir, creating
// an ECDSA P-256 key and certificate there on first use. created reports
// whether it was made just now. The returned Signer has Dev set: callers must
// warn in the log and UI that attestations are signed with a development
// certificate that nobody else trusts.
func EnsureDevSigner(dir string) (s Signer, created bool, err error) {
	certPath, keyPath := filepath.Join(dir, DevCertFile), filepath.Join(dir, DevKeyFile)
	_, certErr := os.Stat(certPath)
	_, keyErr := os.Stat(keyPath)
	switch {
	case certErr == nil && keyErr == nil:
		s, err = LoadSigner(certPath, keyPath)
		if err == nil && !s.Dev {
			err = fmt.Errorf("attest: %s is not a Routewarden development certificate", certPath)
		}
		return s, false, err
	case errors.Is(certErr, fs.ErrNotExist) && errors.Is(keyErr, fs.ErrNotExist):
	case certErr != nil && !errors.Is(certErr, fs.ErrNotExist):
		return Signer{}, false, fmt.Errorf("attest: %w", certErr)
	case keyErr != nil && !errors.Is(keyErr, fs.ErrNotExist):
		return Signer{}, false, fmt.Errorf("attest: %w", keyErr)
	default:
		return Signer{}, false, fmt.Errorf("attest: only one of %s and %s exists in %s; remove it to create a new development signer",
			DevCertFile, DevKeyFile, dir)
	}
	if err := createDevSigner(dir, certPath, keyPath, time.Now()); err != nil {
		return Signer{}, false, err
	}
	s, err = LoadSigner(certPath, keyPath)
	return s, err == nil, err
}

func createDevSigner(dir, certPath, keyPath string, now time.Time) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("attest: %w", err)
	}
	certPEM, keyPEM, err := NewDevSignerPEM(now)
	if err != nil {
		return err
	}
	// Key first: a crash in between leaves a key without a certificate,
	// which EnsureDevSigner reports instead of silently replacing.
	if err := writeFileAtomic(keyPath, keyPEM, 0o600); err != nil {
		return err
	}
	return writeFileAtomic(certPath, certPEM, 0o644)
}

// NewDevSignerPEM makes a fresh self-signed development certificate and its
// ECDSA P-256 key (PKCS#8), both PEM-encoded.
func NewDevSignerPEM(now time.Time) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("attest: generating development key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, fmt.Errorf("attest: %w", err)
	}
	host, _ := os.Hostname()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{
			CommonName:         strings.TrimSpace("Routewarden development signer " + host),
			Organization:       []string{"Routewarden"},
			OrganizationalUnit: []string{devMarker},
		},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(5, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		UnknownExtKeyUsage:    []asn1.ObjectIdentifier{oidDocumentSigning},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("attest: creating development certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("attest: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), nil
}

func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err != nil {
		return fmt.Errorf("attest: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("attest: writing %s: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("attest: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("attest: writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("attest: %w", err)
	}
	return nil
}

// isDevCertificate reports whether c is a self-signed Routewarden
// development certificate.
func isDevCertificate(c *x509.Certificate) bool {
	return slices.Contains(c.Subject.OrganizationalUnit, devMarker) &&
		string(c.RawIssuer) == string(c.RawSubject)
}
