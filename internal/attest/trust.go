package attest

import (
	"crypto/x509"
	"fmt"
	"os"
)

// LoadTrust reads a PEM certificate file and returns a pool trusting its last certificate: the
// CA at the top of a leaf-then-chain file, or the one certificate of a self-signed or pinned
// signer. It is what a verifier needs without the private key, and it trusts the same root as
// Signer.TrustPool of a signer loaded from that file.
func LoadTrust(certFile string) (*x509.CertPool, error) {
	data, err := os.ReadFile(certFile)
	if err != nil {
		return nil, fmt.Errorf("attest: trusted certificate: %w", err)
	}
	certs, err := parseCertPEM(certFile, data)
	if err != nil {
		return nil, err
	}
	p := x509.NewCertPool()
	p.AddCert(certs[len(certs)-1])
	return p, nil
}
