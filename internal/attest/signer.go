package attest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"golang.org/x/crypto/pkcs12"
)

// Signer is the key and certificate that attestations are signed with.
type Signer struct {
	Key         crypto.Signer
	Certificate *x509.Certificate
	// Chain holds the issuing CA certificates (not the leaf); they are
	// embedded in the signature so that validators can build the path.
	Chain []*x509.Certificate
	// Dev is true for the self-signed development certificate made by
	// EnsureDevSigner. Documents signed with it must be flagged to users.
	Dev bool
	// TSA, when its URL is set, adds an RFC 3161 timestamp token.
	TSA TSA
	// Location and ContactInfo go into the signature dictionary.
	Location    string
	ContactInfo string
}

// TSA is an RFC 3161 time-stamping authority.
type TSA struct {
	URL      string
	Username string
	Password string
	// Timeout bounds the whole signing call when a TSA is used (default
	// 30 s): pdfsign's HTTP client has none, so a silent TSA would
	// otherwise block Sign forever.
	Timeout time.Duration
}

// Fingerprint returns the SHA-256 of the signer certificate, in hex.
func (s Signer) Fingerprint() string {
	return CertFingerprint(s.Certificate)
}

// CertFingerprint returns the SHA-256 of a certificate's DER encoding, in hex.
func CertFingerprint(c *x509.Certificate) string {
	if c == nil {
		return ""
	}
	sum := sha256.Sum256(c.Raw)
	return hex.EncodeToString(sum[:])
}

// LoadSigner reads a PEM certificate file (leaf, optionally followed by its
// CA chain) and a PEM private-key file (PKCS#8, PKCS#1 or SEC 1; not
// encrypted). The key must match the leaf certificate.
func LoadSigner(certFile, keyFile string) (Signer, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return Signer{}, fmt.Errorf("attest: signer certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return Signer{}, fmt.Errorf("attest: signer key: %w", err)
	}
	certs, err := parseCertPEM(certFile, certPEM)
	if err != nil {
		return Signer{}, err
	}
	key, err := parseKeyPEM(keyFile, keyPEM)
	if err != nil {
		return Signer{}, err
	}
	return newSigner(certFile, key, certs)
}

// LoadPKCS12 reads a PKCS#12 (.p12/.pfx) file holding the signing key, its
// certificate and optionally the CA chain. Only the legacy encryption that
// golang.org/x/crypto/pkcs12 implements (PBE-SHA1-3DES, PBE-SHA1-RC2-40,
// SHA-1 MAC) is supported; OpenSSL 3 needs
// `-keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1` on export.
func LoadPKCS12(file, password string) (Signer, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return Signer{}, fmt.Errorf("attest: signer PKCS#12: %w", err)
	}
	return parsePKCS12(file, data, password)
}

func parsePKCS12(file string, data []byte, password string) (Signer, error) {
	blocks, err := pkcs12.ToPEM(data, password)
	if err != nil {
		var ni pkcs12.NotImplementedError
		if errors.As(err, &ni) {
			return Signer{}, fmt.Errorf("attest: %s: %w (re-export with openssl pkcs12 -export -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1)", file, err)
		}
		return Signer{}, fmt.Errorf("attest: %s: %w", file, err)
	}
	var key crypto.Signer
	var certs []*x509.Certificate
	for i, b := range blocks {
		switch b.Type {
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return Signer{}, fmt.Errorf("attest: %s: bag %d: %w", file, i, err)
			}
			certs = append(certs, c)
		default:
			if key != nil {
				return Signer{}, fmt.Errorf("attest: %s: more than one private key", file)
			}
			if key, err = parseKey(b.Bytes); err != nil {
				return Signer{}, fmt.Errorf("attest: %s: bag %d: %w", file, i, err)
			}
		}
	}
	if key == nil {
		return Signer{}, fmt.Errorf("attest: %s: no private key", file)
	}
	return newSigner(file, key, certs)
}

// parseCertPEM returns every CERTIFICATE block; errors give the byte offset.
func parseCertPEM(name string, data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	rest := data
	for {
		// The offset of the block's BEGIN line, for error messages.
		off := len(data) - len(rest) + max(0, bytes.Index(rest, []byte("-----BEGIN")))
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("attest: %s: byte %d: PEM block %q, want CERTIFICATE", name, off, b.Type)
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("attest: %s: byte %d: %w", name, off, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("attest: %s: no PEM CERTIFICATE block", name)
	}
	return certs, nil
}

// parseKeyPEM returns the one private key in a PEM file.
func parseKeyPEM(name string, data []byte) (crypto.Signer, error) {
	b, _ := pem.Decode(data)
	if b == nil {
		return nil, fmt.Errorf("attest: %s: no PEM block", name)
	}
	off := max(0, bytes.Index(data, []byte("-----BEGIN")))
	if b.Type == "ENCRYPTED PRIVATE KEY" || b.Headers["Proc-Type"] != "" {
		return nil, fmt.Errorf("attest: %s: byte %d: encrypted private keys are not supported; use PKCS#12 with a password", name, off)
	}
	if !strings.HasSuffix(b.Type, "PRIVATE KEY") {
		return nil, fmt.Errorf("attest: %s: byte %d: PEM block %q, want a PRIVATE KEY", name, off, b.Type)
	}
	k, err := parseKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("attest: %s: byte %d: %w", name, off, err)
	}
	return k, nil
}

// parseKey accepts PKCS#8, PKCS#1 (RSA) and SEC 1 (EC) DER, whatever the
// PEM label says (pkcs12.ToPEM labels PKCS#1 and SEC 1 keys "PRIVATE KEY").
func parseKey(der []byte) (crypto.Signer, error) {
	var k any
	var err error
	if k, err = x509.ParsePKCS8PrivateKey(der); err != nil {
		if k, err = x509.ParsePKCS1PrivateKey(der); err != nil {
			if k, err = x509.ParseECPrivateKey(der); err != nil {
				return nil, errors.New("private key is neither PKCS#8, PKCS#1 nor SEC 1")
			}
		}
	}
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return k, nil
	case *ecdsa.PrivateKey:
		return k, nil
	}
	return nil, fmt.Errorf("private key type %T is not supported (use RSA or ECDSA)", k)
}

// newSigner picks the certificate that matches the key as the leaf and keeps
// the others as the chain.
func newSigner(name string, key crypto.Signer, certs []*x509.Certificate) (Signer, error) {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	pub, ok := key.Public().(equaler)
	if !ok {
		return Signer{}, fmt.Errorf("attest: %s: unsupported public key", name)
	}
	s := Signer{Key: key}
	for _, c := range certs {
		if s.Certificate == nil && pub.Equal(c.PublicKey) {
			s.Certificate = c
			continue
		}
		s.Chain = append(s.Chain, c)
	}
	if s.Certificate == nil {
		return Signer{}, fmt.Errorf("attest: %s: no certificate matches the private key", name)
	}
	if err := usableForSigning(s.Certificate, time.Now()); err != nil {
		return Signer{}, fmt.Errorf("attest: %s: %w", name, err)
	}
	s.Dev = isDevCertificate(s.Certificate)
	return s, nil
}

// usableForSigning rejects certificates that validators would refuse.
func usableForSigning(c *x509.Certificate, now time.Time) error {
	if now.Before(c.NotBefore) || now.After(c.NotAfter) {
		return fmt.Errorf("certificate %q is valid only from %s to %s",
			c.Subject.CommonName, c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339))
	}
	if c.KeyUsage != 0 && c.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0 {
		return fmt.Errorf("certificate %q allows neither digitalSignature nor contentCommitment", c.Subject.CommonName)
	}
	return nil
}
