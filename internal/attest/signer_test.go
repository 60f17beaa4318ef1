package attest

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestEnsureDevSigner(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	first, created, err := EnsureDevSigner(dir)
	if err != nil || !created || !first.Dev {
		t.Fatalf("first EnsureDevSigner = created %v dev %v, %v", created, first.Dev, err)
	}
	again, created, err := EnsureDevSigner(dir)
	if err != nil || created || !again.Dev {
		t.Fatalf("second EnsureDevSigner = created %v dev %v, %v", created, again.Dev, err)
	}
	if again.Fingerprint() != first.Fingerprint() {
		t.Errorf("second run made a new certificate")
	}
	c := first.Certificate
	if !slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageEmailProtection) || !slices.ContainsFunc(c.UnknownExtKeyUsage, oidDocumentSigning.Equal) {
		t.Errorf("EKU = %v %v, want emailProtection and documentSigning", c.ExtKeyUsage, c.UnknownExtKeyUsage)
	}
	if c.KeyUsage&x509.KeyUsageDigitalSignature == 0 || c.IsCA {
		t.Errorf("KeyUsage = %v IsCA = %v", c.KeyUsage, c.IsCA)
	}
	st, err := os.Stat(filepath.Join(dir, DevKeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v, %v; want 0600", st.Mode().Perm(), err)
	}
}

func TestEnsureDevSignerRefusesHalfState(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := EnsureDevSigner(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, DevCertFile)); err != nil {
		t.Fatal(err)
	}
	_, _, err := EnsureDevSigner(dir)
	if err == nil || !strings.Contains(err.Error(), "only one of") {
		t.Fatalf("EnsureDevSigner with a lone key = %v, want a refusal", err)
	}
}

func TestEnsureDevSignerRefusesForeignCertificate(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := writePEM(t, issue(t, certSpec{cn: "production"}, nil))
	for src, dst := range map[string]string{certFile: DevCertFile, keyFile: DevKeyFile} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := EnsureDevSigner(dir); err == nil || !strings.Contains(err.Error(), "not a Routewarden development certificate") {
		t.Fatalf("EnsureDevSigner = %v", err)
	}
}

func TestLoadSignerPEM(t *testing.T) {
	ca := issue(t, certSpec{cn: "CA", ca: true}, nil)
	leaf := issue(t, certSpec{cn: "Signer", rsa: true}, &ca)
	certFile, keyFile := writePEM(t, leaf)
	s, err := LoadSigner(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if s.Fingerprint() != leaf.Fingerprint() || len(s.Chain) != 1 || !s.Chain[0].Equal(ca.Certificate) || s.Dev {
		t.Errorf("LoadSigner = leaf %s chain %d dev %v", s.Certificate.Subject, len(s.Chain), s.Dev)
	}
}

func TestLoadSignerRejects(t *testing.T) {
	good := issue(t, certSpec{cn: "good"}, nil)
	goodCert, goodKey := writePEM(t, good)
	otherCert, otherKey := writePEM(t, issue(t, certSpec{cn: "other"}, nil))
	expiredCert, expiredKey := writePEM(t, issue(t, certSpec{cn: "expired", notBefore: testNow.AddDate(-2, 0, 0), notAfter: testNow.AddDate(-1, 0, 0)}, nil))
	caOnlyCert, caOnlyKey := writePEM(t, issue(t, certSpec{cn: "ca only", keyUsage: x509.KeyUsageCertSign}, nil))
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	encrypted := write("enc.pem", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n")
	notPEM := write("not.pem", "hello")
	wrongBlock := write("wrong.pem", "junk\n"+string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1}})))
	badKey := write("badkey.pem", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}})))
	tests := []struct {
		name, cert, key, want string
	}{
		{"missing cert file", filepath.Join(dir, "nope.pem"), goodKey, "no such file"},
		{"missing key file", goodCert, filepath.Join(dir, "nope.pem"), "no such file"},
		{"cert not PEM", notPEM, goodKey, "not.pem: no PEM CERTIFICATE block"},
		{"wrong block type with offset", wrongBlock, goodKey, `wrong.pem: byte 5: PEM block "PUBLIC KEY"`},
		{"key not PEM", goodCert, notPEM, "not.pem: no PEM block"},
		{"encrypted key", goodCert, encrypted, "encrypted private keys are not supported"},
		{"garbage key", goodCert, badKey, "neither PKCS#8, PKCS#1 nor SEC 1"},
		{"key of another certificate", goodCert, otherKey, "no certificate matches the private key"},
		{"expired", expiredCert, expiredKey, "is valid only from"},
		{"no signing key usage", caOnlyCert, caOnlyKey, "allows neither digitalSignature"},
	}
	_ = otherCert
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadSigner(tt.cert, tt.key)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("LoadSigner error = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestLoadPKCS12 exports a key and chain with openssl in the legacy format
// that golang.org/x/crypto/pkcs12 reads, and in OpenSSL 3's default format,
// which must be refused with advice.
func TestLoadPKCS12(t *testing.T) {
	openssl := requireTool(t, "openssl")
	ca := issue(t, certSpec{cn: "CA", ca: true}, nil)
	leaf := issue(t, certSpec{cn: "Zoë Signer"}, &ca)
	certFile, keyFile := writePEM(t, leaf)
	dir := t.TempDir()
	export := func(name string, extra ...string) string {
		p := filepath.Join(dir, name)
		args := append([]string{"pkcs12", "-export", "-in", certFile, "-inkey", keyFile, "-out", p, "-passout", "pass:s3cret"}, extra...)
		if out, err := exec.Command(openssl, args...).CombinedOutput(); err != nil {
			t.Fatalf("openssl %v: %v\n%s", args, err, out)
		}
		return p
	}
	legacy := export("legacy.p12", "-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES", "-macalg", "sha1")
	s, err := LoadPKCS12(legacy, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	if s.Fingerprint() != leaf.Fingerprint() || len(s.Chain) != 1 {
		t.Errorf("LoadPKCS12 = %s with %d chain certificates", s.Certificate.Subject, len(s.Chain))
	}
	if _, err := LoadPKCS12(legacy, "wrong"); err == nil || !strings.Contains(err.Error(), "password") {
		t.Errorf("wrong password: %v", err)
	}
	modern := export("modern.p12")
	if _, err := LoadPKCS12(modern, "s3cret"); err == nil || !strings.Contains(err.Error(), "PBE-SHA1-3DES") {
		t.Errorf("AES PKCS#12: %v, want advice to re-export", err)
	}
	if _, err := LoadPKCS12(filepath.Join(dir, "none.p12"), ""); err == nil {
		t.Error("missing file accepted")
	}
}
