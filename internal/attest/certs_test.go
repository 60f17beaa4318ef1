package attest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// certSpec describes a test certificate.
type certSpec struct {
	cn        string
	ca        bool
	rsa       bool
	notBefore time.Time
	notAfter  time.Time
	keyUsage  x509.KeyUsage
	extUsage  []x509.ExtKeyUsage
}

// issue makes a key and a certificate signed by parent (self-signed when
// parent is nil).
func issue(t testing.TB, spec certSpec, parent *Signer) Signer {
	t.Helper()
	var key crypto.Signer
	var err error
	if spec.rsa {
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	} else {
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	if spec.notBefore.IsZero() {
		spec.notBefore = time.Now().Add(-time.Hour)
	}
	if spec.notAfter.IsZero() {
		spec.notAfter = time.Now().AddDate(1, 0, 0)
	}
	if spec.keyUsage == 0 {
		spec.keyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
		if spec.ca {
			spec.keyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
		}
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: spec.cn, Organization: []string{"Routewarden tests"}},
		NotBefore: spec.notBefore, NotAfter: spec.notAfter, KeyUsage: spec.keyUsage, ExtKeyUsage: spec.extUsage,
		BasicConstraintsValid: true, IsCA: spec.ca,
	}
	if !spec.ca && spec.extUsage == nil {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}
		tmpl.UnknownExtKeyUsage = []asn1.ObjectIdentifier{oidDocumentSigning}
	}
	issuerCert, issuerKey := tmpl, key
	var chain []*x509.Certificate
	if parent != nil {
		issuerCert, issuerKey = parent.Certificate, parent.Key
		chain = append([]*x509.Certificate{parent.Certificate}, parent.Chain...)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuerCert, key.Public(), issuerKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return Signer{Key: key, Certificate: cert, Chain: chain}
}

// writePEM writes the signer's certificate (plus chain) and key as PEM files
// and returns their paths.
func writePEM(t testing.TB, s Signer) (certFile, keyFile string) {
	t.Helper()
	dir := t.TempDir()
	var certPEM []byte
	for _, c := range append([]*x509.Certificate{s.Certificate}, s.Chain...) {
		certPEM = append(certPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	der, err := x509.MarshalPKCS8PrivateKey(s.Key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}
