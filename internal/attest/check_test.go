package attest

import (
	"context"
	"crypto/x509"
	"strconv"
	"strings"
	"testing"
	"time"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/store/storetest"
)

// signedFixture renders and signs the fixture document under a fresh document ID.
func registeredFixture(t *testing.T, signer Signer) (*Document, []byte) {
	t.Helper()
	d := testDocument(t)
	d.ID = rw.NewDocumentID(d.IssuedAt)
	unsigned, err := Render(d, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := Sign(unsigned, signer)
	if err != nil {
		t.Fatal(err)
	}
	return d, signed
}

func register(t *testing.T, reg rw.AttestationStore, d *Document, signer Signer, pdf []byte) *rw.Attestation {
	t.Helper()
	res, err := Verify(pdf, signer.TrustPool())
	if err != nil || !res.Valid {
		t.Fatalf("fresh document not valid: %s %v", res.Verdict(), err)
	}
	a := &rw.Attestation{DocumentID: d.ID, SHA256: res.SHA256, SignerFingerprint: signer.Fingerprint(), SignerName: d.SignerName,
		AssessmentID: assessmentOf(d), VendorID: 1, VendorName: d.Vendor.LegalName, IssuedAt: d.IssuedAt, IssuedBy: "risk@example.net", PDF: pdf}
	if err := reg.CreateAttestation(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

// assessmentOf gives each fixture document an assessment of its own (one current attestation
// per assessment).
func assessmentOf(d *Document) int64 {
	n, _ := strconv.ParseInt(d.ID[len(d.ID)-8:], 16, 64)
	return n
}

func TestCheckerVerdicts(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	signer, _, err := EnsureDevSigner(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	other := issue(t, certSpec{cn: "Someone else"}, nil)
	c := &Checker{Trust: signer.TrustPool(), Registry: db}

	d, good := registeredFixture(t, signer)
	register(t, db, d, signer, good)
	_, unregistered := registeredFixture(t, signer)
	d3, revoked := registeredFixture(t, signer)
	a3 := register(t, db, d3, signer, revoked)
	if _, err := db.RevokeAttestation(ctx, a3.ID, "risk@example.net", "Issued for the wrong contract."); err != nil {
		t.Fatal(err)
	}
	d4, foreign := registeredFixture(t, other)
	register(t, db, d4, other, foreign)
	tampered := append([]byte(nil), good...)
	i := strings.Index(string(tampered), "stream") + 40
	tampered[i] ^= 1

	tests := []struct {
		name    string
		pdf     []byte
		valid   bool
		revoked bool
		reason  string
	}{
		{"registered and intact", good, true, false, ""},
		{"one byte changed", tampered, false, false, "changed after signing"},
		{"not in the registry", unregistered, false, false, "is not in this Routewarden's registry"},
		{"revoked", revoked, false, true, "revoked on"},
		{"signed by an untrusted certificate", foreign, false, false, "is not trusted"},
		{"unsigned, no manifest", minimalPDF("{}"), false, false, "no document ID"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := c.VerifyAttestation(ctx, tc.pdf)
			if err != nil {
				t.Fatal(err)
			}
			if v.Valid != tc.valid || v.Revoked != tc.revoked {
				t.Fatalf("valid %v revoked %v (%s), want %v %v", v.Valid, v.Revoked, v.Summary(), tc.valid, tc.revoked)
			}
			if !strings.Contains(v.Summary(), tc.reason) {
				t.Errorf("summary %q lacks %q", v.Summary(), tc.reason)
			}
			// Who revoked and why is for staff: the public page shows the reasons to anyone.
			if tc.revoked && (strings.Contains(v.Summary(), "Issued for the wrong contract.") || strings.Contains(v.Summary(), "risk@example.net")) {
				t.Errorf("the verdict's reasons name the revoker or the reason: %s", v.Summary())
			}
			if tc.revoked && (v.Attestation == nil || v.Attestation.RevocationReason != "Issued for the wrong contract." || v.Attestation.RevokedBy != "risk@example.net") {
				t.Errorf("the registry entry lacks the revocation: %+v", v.Attestation)
			}
		})
	}
}

// TestCheckerRefusesUnreadable: a file the PDF reader refuses is an EINVALID error naming
// what was wrong, not a verdict.
func TestCheckerRefusesUnreadable(t *testing.T) {
	c := &Checker{Trust: x509.NewCertPool(), Registry: storetest.SQLite(t)}
	for name, tc := range map[string]struct {
		pdf  []byte
		want string
	}{
		"not a PDF":     {[]byte("hello"), "no %PDF- header"},
		"nested arrays": {nestedTrailer(10_000), "nesting deeper than 64 at byte"},
		"no %%EOF":      {noEOF(64 << 10), "no %%EOF in the last 1024 bytes"},
	} {
		t.Run(name, func(t *testing.T) {
			v, err := c.VerifyAttestation(context.Background(), tc.pdf)
			if rw.ErrorCode(err) != rw.EINVALID || !strings.Contains(rw.ErrorMessage(err), tc.want) || v != nil {
				t.Fatalf("VerifyAttestation = %v, %v; want EINVALID naming %q", v, err, tc.want)
			}
		})
	}
}

func TestCheckerRegistryMismatch(t *testing.T) {
	db := storetest.SQLite(t)
	signer, _, err := EnsureDevSigner(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	d, pdf := registeredFixture(t, signer)
	a := register(t, db, d, signer, pdf)
	// A second, differently signed file claiming the same document ID: signed again, so its
	// signature is valid but its bytes are not the registered ones.
	again, err := Sign(mustRender(t, d), signer)
	if err != nil {
		t.Fatal(err)
	}
	v, err := (&Checker{Trust: signer.TrustPool(), Registry: db}).VerifyAttestation(context.Background(), again)
	if err != nil {
		t.Fatal(err)
	}
	if v.Valid || !strings.Contains(v.Summary(), "differs from registered document") || v.Attestation == nil || v.Attestation.ID != a.ID {
		t.Errorf("verdict = %s", v.Summary())
	}
}

func mustRender(t *testing.T, d *Document) []byte {
	t.Helper()
	b, err := Render(d, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLoadTrust(t *testing.T) {
	ca := issue(t, certSpec{cn: "CA", ca: true}, nil)
	leaf := issue(t, certSpec{cn: "Signer"}, &ca)
	certFile, _ := writePEM(t, leaf)
	pool, err := LoadTrust(certFile)
	if err != nil {
		t.Fatal(err)
	}
	if !pool.Equal(leaf.TrustPool()) {
		t.Error("LoadTrust of leaf+CA does not trust the CA like Signer.TrustPool")
	}
	if _, err := LoadTrust(certFile + ".missing"); err == nil {
		t.Error("missing file accepted")
	}
}

// TestCheckerExpired: an attestation checked after the end of its validity is genuine but not
// valid, with a plain reason naming the day it ended; before that day it is valid and in force.
func TestCheckerExpired(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	signer, _, err := EnsureDevSigner(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	d := testDocument(t)
	d.ID = rw.NewDocumentID(d.IssuedAt)
	d.ValidFrom, d.ValidUntil = d.IssuedAt, d.IssuedAt.AddDate(1, 0, 0)
	pdf, err := Sign(mustRender(t, d), signer)
	if err != nil {
		t.Fatal(err)
	}
	register(t, db, d, signer, pdf)
	for _, tc := range []struct {
		name    string
		at      time.Time
		expired bool
	}{
		{"a day before", d.ValidUntil.AddDate(0, 0, -1), false},
		{"on the day it ends", d.ValidUntil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Checker{Trust: signer.TrustPool(), Registry: db, Now: func() time.Time { return tc.at }}
			v, err := c.VerifyAttestation(ctx, pdf)
			if err != nil {
				t.Fatal(err)
			}
			if v.Valid == tc.expired || v.Expired != tc.expired || !v.ValidUntil.Equal(d.ValidUntil.UTC()) {
				t.Fatalf("valid %v expired %v until %s: %s", v.Valid, v.Expired, v.ValidUntil, v.Summary())
			}
			validity := ""
			for _, f := range v.Facts() {
				if f.Label == "Validity" {
					validity = f.Value
				}
			}
			until := d.ValidUntil.UTC().Format("2 January 2006")
			if tc.expired && (!strings.Contains(v.Headline(), "validity ended on "+until) || !strings.HasPrefix(validity, "Expired on "+until)) ||
				!tc.expired && !strings.HasPrefix(validity, "In force until "+until) {
				t.Errorf("headline %q, validity %q", v.Headline(), validity)
			}
		})
	}
}
