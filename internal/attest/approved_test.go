package attest

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"

	rw "routewarden/internal/routewarden"
)

// TestAttestationStatesApprovedScope: vendor renamed and given another ASN after approval; the
// attestation names the vendor and networks as approved and lists the edits as changes since
// approval — in the PDF text, the manifest and the registry.
func TestAttestationStatesApprovedScope(t *testing.T) {
	ctx := context.Background()
	e := newIssueEnv(t)
	e.approve(t)
	approvedName := e.vendor.LegalName
	v, _ := e.db.FindVendorByID(ctx, e.vendor.ID)
	renamed := "Renamed Networks SA"
	if _, err := e.db.UpdateVendor(ctx, v.ID, rw.VendorUpdate{LegalName: &renamed, Version: v.Version}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateNetwork(ctx, &rw.Network{VendorID: v.ID, ASN: 64511,
		ExpectedPrefixes: []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24")}}); err != nil {
		t.Fatal(err)
	}
	att, err := e.is.IssueAttestation(ctx, e.a.ID, "risk@example.net", 0)
	if err != nil {
		t.Fatal(err)
	}
	if att.VendorName != approvedName {
		t.Errorf("registry vendor name %q, want the approved %q", att.VendorName, approvedName)
	}
	text := squash(strings.Join(pdfText(t, att.PDF), " "))
	for _, want := range []string{approvedName, "Changed since approval", `legal name "` + approvedName + `" → "Renamed Networks SA"`,
		"AS64511 added", "as approved on"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	m, err := ExtractManifest(att.PDF)
	if err != nil {
		t.Fatal(err)
	}
	if m.Vendor.LegalName != approvedName || slices.Contains(m.ASNs, 64511) || len(m.ChangedSinceApproval) != 2 {
		t.Errorf("manifest: vendor %q ASNs %v changes %v", m.Vendor.LegalName, m.ASNs, m.ChangedSinceApproval)
	}
}

// TestReissueSupersedes: a second issue needs the current attestation's ID; the re-issue
// supersedes it and the verifier reports the earlier file as superseded, not valid.
func TestReissueSupersedes(t *testing.T) {
	ctx := context.Background()
	e := newIssueEnv(t)
	e.approve(t)
	first, err := e.is.IssueAttestation(ctx, e.a.ID, "risk@example.net", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.is.IssueAttestation(ctx, e.a.ID, "risk@example.net", 0); rw.ErrorCode(err) != rw.ECONFLICT ||
		!strings.Contains(rw.ErrorMessage(err), first.DocumentID) {
		t.Fatalf("second issue without confirmation: %v, want a conflict naming %s", err, first.DocumentID)
	}
	second, err := e.is.IssueAttestation(ctx, e.a.ID, "risk@example.net", first.ID)
	if err != nil {
		t.Fatal(err)
	}
	checker := &Checker{Trust: e.is.Signer.TrustPool(), Registry: e.db}
	v, err := checker.VerifyAttestation(ctx, first.PDF)
	if err != nil || v.Valid || !v.Superseded || !strings.Contains(v.Summary(), "superseded by #") ||
		!strings.Contains(v.Summary(), second.DocumentID) {
		t.Errorf("earlier attestation: %s %v", v.Summary(), err)
	}
	if v, err := checker.VerifyAttestation(ctx, second.PDF); err != nil || !v.Valid {
		t.Errorf("re-issued attestation: %s %v", v.Summary(), err)
	}
}
