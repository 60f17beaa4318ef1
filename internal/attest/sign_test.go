package attest

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// signedFixture renders the test document and signs it with a fresh
// development signer.
func signedFixture(t testing.TB) ([]byte, Signer, *Document) {
	t.Helper()
	doc := testDocument(t)
	signer, _, err := EnsureDevSigner(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	doc.SignerFingerprint = signer.Fingerprint()
	unsigned, err := Render(doc, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := Sign(unsigned, signer)
	if err != nil {
		t.Fatal(err)
	}
	return signed, signer, doc
}

// pdfsig runs poppler's pdfsig and returns its output. pdfsig exits 0 even on
// a digest mismatch, so callers must read the output.
func pdfsig(t *testing.T, data []byte, args ...string) string {
	t.Helper()
	bin := requireTool(t, "pdfsig")
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(bin, append(args, p)...).CombinedOutput()
	return string(out)
}

func TestSignVerifyDevSigner(t *testing.T) {
	signed, signer, doc := signedFixture(t)
	out := pdfsig(t, signed)
	for _, want := range []string{"Signature is Valid.", "Total document signed", "adbe.pkcs7.detached", "SHA-256"} {
		if !strings.Contains(out, want) {
			t.Errorf("pdfsig output lacks %q:\n%s", want, out)
		}
	}
	res, err := Verify(signed, signer.TrustPool())
	if err != nil {
		t.Fatal(err)
	}
	if !res.Valid || !res.Intact || !res.WholeFile || !res.Trusted {
		t.Fatalf("Verify = %+v, want valid", res)
	}
	sum := sha256.Sum256(signed)
	if res.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("SHA256 = %s, want the file's digest", res.SHA256)
	}
	if res.DocumentID != doc.ID || res.SignerFingerprint != signer.Fingerprint() || !res.DevCertificate {
		t.Errorf("Verify = id %q fingerprint %s dev %v", res.DocumentID, res.SignerFingerprint, res.DevCertificate)
	}
	if want := BuildManifest(doc); !reflect.DeepEqual(*res.Manifest, want) {
		t.Errorf("manifest after signing differs:\n got %+v\nwant %+v", *res.Manifest, want)
	}
	if !strings.HasPrefix(res.Verdict(), "VALID: attestation "+doc.ID) {
		t.Errorf("Verdict = %q", res.Verdict())
	}
	if len(res.Warnings) == 0 || !strings.Contains(strings.Join(res.Warnings, ";"), "development certificate") {
		t.Errorf("Warnings = %q, want the development certificate named", res.Warnings)
	}
}

func TestVerifyTrust(t *testing.T) {
	signed, signer, _ := signedFixture(t)
	other := issue(t, certSpec{cn: "Someone else"}, nil)
	tests := []struct {
		name  string
		trust *x509.CertPool
		valid bool
		want  string
	}{
		{"configured certificate", signer.TrustPool(), true, ""},
		{"no trust configured", nil, false, "no trusted certificate is configured"},
		{"another certificate", other.TrustPool(), false, "is not trusted"},
		{"system roots only", x509.NewCertPool(), false, "is not trusted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Verify(signed, tt.trust)
			if err != nil {
				t.Fatal(err)
			}
			if res.Valid != tt.valid || !res.Intact {
				t.Fatalf("Valid=%v Intact=%v, want Valid=%v Intact=true; %s", res.Valid, res.Intact, tt.valid, res.Verdict())
			}
			if !strings.Contains(res.Verdict(), tt.want) {
				t.Errorf("Verdict = %q, want it to contain %q", res.Verdict(), tt.want)
			}
		})
	}
}

func TestVerifyCAChain(t *testing.T) {
	ca := issue(t, certSpec{cn: "Beispiel Bank Issuing CA", ca: true, rsa: true}, nil)
	leaf := issue(t, certSpec{cn: "Łukasz Żółć, Risk Office"}, &ca)
	unsigned, err := Render(testDocument(t), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := Sign(unsigned, leaf)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Verify(signed, leaf.TrustPool())
	if err != nil || !res.Valid {
		t.Fatalf("Verify with the CA as root = %s, %v", res.Verdict(), err)
	}
	if res.SignerName != "Łukasz Żółć, Risk Office" || res.DevCertificate {
		t.Errorf("signer %q dev %v", res.SignerName, res.DevCertificate)
	}
	if out := pdfsig(t, signed); !strings.Contains(out, "Signature is Valid.") {
		t.Errorf("pdfsig:\n%s", out)
	}
}

// A forger signs with their own key and then adds the organisation's
// trusted certificate to the signature's certificate set (which lies in the
// unsigned /Contents gap, so this needs no re-signing). The certificate that
// made the signature must be the one checked, not any embedded one.
func TestVerifyRejectsForgerCarryingTrustedCertificate(t *testing.T) {
	_, trusted, _ := signedFixture(t)
	// The forger's CA certificate reserves room in /Contents that the
	// trusted certificate then takes.
	forgerCA := issue(t, certSpec{cn: "Forger CA", ca: true, rsa: true}, nil)
	forger := issue(t, certSpec{cn: trusted.Certificate.Subject.CommonName}, &forgerCA)
	unsigned, err := Render(testDocument(t), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := Sign(unsigned, forger)
	if err != nil {
		t.Fatal(err)
	}
	forged := replaceSignatureCerts(t, signed, trusted.Certificate, forger.Certificate)
	res, err := Verify(forged, trusted.TrustPool())
	if err != nil {
		t.Fatal(err)
	}
	if res.Valid || res.Trusted || !res.Intact {
		t.Fatalf("forged document: Valid=%v Trusted=%v Intact=%v, want only Intact; %s", res.Valid, res.Trusted, res.Intact, res.Verdict())
	}
	if res.SignerFingerprint != forger.Fingerprint() {
		t.Errorf("SignerFingerprint = %s, want the forger's %s", res.SignerFingerprint, forger.Fingerprint())
	}
}

// replaceSignatureCerts rewrites the CMS blob in the signature's /Contents
// so that its certificate set is exactly certs, in that order.
func replaceSignatureCerts(t *testing.T, signed []byte, certs ...*x509.Certificate) []byte {
	t.Helper()
	sigs, err := findSignatures(signed)
	if err != nil || len(sigs) != 1 {
		t.Fatalf("findSignatures: %v, %d", err, len(sigs))
	}
	var ci cmsContentInfo
	if _, err := asn1.Unmarshal(sigs[0].contents, &ci); err != nil {
		t.Fatal(err)
	}
	var sd struct {
		Version          int
		DigestAlgorithms asn1.RawValue
		EncapContentInfo asn1.RawValue
		Certificates     asn1.RawValue `asn1:"optional,tag:0"`
		CRLs             asn1.RawValue `asn1:"optional,tag:1"`
		SignerInfos      asn1.RawValue
	}
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		t.Fatal(err)
	}
	var set []byte
	for _, c := range certs {
		set = append(set, c.Raw...)
	}
	sd.Certificates = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: set}
	sdDER, err := asn1.Marshal(sd)
	if err != nil {
		t.Fatal(err)
	}
	ciDER, err := asn1.Marshal(struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue
	}{oidSignedData, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sdDER}})
	if err != nil {
		t.Fatal(err)
	}
	br := sigs[0].byteRange
	gap := signed[br[1]+1 : br[2]-1]
	h := hex.EncodeToString(ciDER)
	if bytes.ContainsAny(gap, "ABCDEF") {
		h = strings.ToUpper(h)
	}
	if len(h) > len(gap) {
		t.Fatalf("forged signature needs %d hex digits, gap has %d", len(h), len(gap))
	}
	out := bytes.Clone(signed)
	copy(out[br[1]+1:], h+strings.Repeat("0", len(gap)-len(h)))
	return out
}

func TestVerifyRejectsUnsignedAndGarbage(t *testing.T) {
	unsigned, err := Render(testDocument(t), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"unsigned PDF", unsigned, "no signature"},
		{"not a PDF", []byte("hello, world"), "not a readable PDF"},
		{"empty", nil, "not a readable PDF"},
		{"truncated", unsigned[:len(unsigned)/2], "not a readable PDF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Verify(tt.data, x509.NewCertPool())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Verify error = %v, want %q", err, tt.want)
			}
			if res.Valid || res.SHA256 == "" {
				t.Errorf("Result = %+v, want invalid with a digest", res)
			}
		})
	}
}

func TestVerifyRejectsAppendedData(t *testing.T) {
	signed, signer, _ := signedFixture(t)
	for name, extra := range map[string]string{
		"comment":  "\n% appended after signing\n",
		"new body": "\n99 0 obj\n(evil)\nendobj\n",
	} {
		t.Run(name, func(t *testing.T) {
			res, err := Verify(append(bytes.Clone(signed), extra...), signer.TrustPool())
			if err == nil && res.Valid {
				t.Fatal("document with appended bytes verified as valid")
			}
			if err == nil && res.WholeFile {
				t.Errorf("WholeFile = true for a file with appended bytes")
			}
		})
	}
}

func TestSignRejects(t *testing.T) {
	unsigned, err := Render(testDocument(t), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	dev, _, err := EnsureDevSigner(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	expired := issue(t, certSpec{cn: "old", notBefore: testNow.AddDate(-3, 0, 0), notAfter: testNow.AddDate(-1, 0, 0)}, nil)
	tests := []struct {
		name   string
		data   []byte
		signer Signer
		want   string
	}{
		{"no key", unsigned, Signer{}, "no key or certificate"},
		{"expired certificate", unsigned, expired, "is valid only from"},
		{"not a PDF", []byte("%PDF-1.4\nnonsense"), dev, "reading PDF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Sign(tt.data, tt.signer)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Sign error = %v, want %q", err, tt.want)
			}
		})
	}
}
