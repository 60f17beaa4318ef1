package attest

import (
	"crypto/x509"
	"encoding/pem"
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/signed.pdf and testdata/signed-cert.pem")

// TestWriteSignedFixture regenerates the committed signed attestation that
// the fuzz targets start from: go test -run TestWriteSignedFixture -update
func TestWriteSignedFixture(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite testdata/signed.pdf")
	}
	signed, signer, _ := signedFixture(t)
	if err := os.WriteFile("testdata/signed.pdf", signed, 0o644); err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: signer.Certificate.Raw})
	if err := os.WriteFile("testdata/signed-cert.pem", certPEM, 0o644); err != nil {
		t.Fatal(err)
	}
}

// committedFixture loads testdata/signed.pdf and a pool trusting the
// development certificate it was signed with.
func committedFixture(t testing.TB) ([]byte, *x509.CertPool) {
	t.Helper()
	signed, err := os.ReadFile("testdata/signed.pdf")
	if err != nil {
		t.Fatal(err)
	}
	certPEM, err := os.ReadFile("testdata/signed-cert.pem")
	if err != nil {
		t.Fatal(err)
	}
	certs, err := parseCertPEM("testdata/signed-cert.pem", certPEM)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(certs[0])
	return signed, pool
}

// TestVerifyCommittedFixture checks that a document signed by an earlier
// build still verifies, with pdfsig and with Verify.
func TestVerifyCommittedFixture(t *testing.T) {
	signed, pool := committedFixture(t)
	res, err := Verify(signed, pool)
	if err != nil || !res.Valid {
		t.Fatalf("Verify(testdata/signed.pdf) = %s, %v", res.Verdict(), err)
	}
	if res.DocumentID != "RW-ATT-2026-000042" || !res.DevCertificate || res.Manifest == nil || !res.Manifest.Demo {
		t.Errorf("Verify = id %q dev %v manifest %v", res.DocumentID, res.DevCertificate, res.Manifest)
	}
	if out := pdfsig(t, signed); !strings.Contains(out, "Signature is Valid.") {
		t.Errorf("pdfsig testdata/signed.pdf:\n%s", out)
	}
}
