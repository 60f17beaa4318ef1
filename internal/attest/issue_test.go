package attest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"routewarden/controls"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
	"routewarden/internal/store/storetest"
)

// issueEnv is a real database with one vendor and an assessment of it, and an Issuer over them.
type issueEnv struct {
	db     *store.DB
	is     *Issuer
	vendor *rw.Vendor
	a      *rw.Assessment
	ev     *rw.EvidenceFile
}

func newIssueEnv(t *testing.T) *issueEnv {
	t.Helper()
	ctx := context.Background()
	db := storetest.SQLite(t)
	set, err := controls.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	lib, ok := set.Library("routewarden-manrs", "2026.1")
	if !ok {
		t.Fatal("library routewarden-manrs 2026.1 not embedded")
	}
	v := &rw.Vendor{LegalName: "Société Générale des Réseaux, Zürich/Łódź", Country: "FR", Demo: true,
		Services: []*rw.Service{{Name: "IP transit", Type: "S10", ProviderType: rw.ProviderTransit, Critical: true,
			Regulations: []string{"DORA", "NIS2"}, Substitutability: "highly_complex"}},
		Networks: []*rw.Network{{ASN: 64496, ASSet: "AS-RWTEST", ExpectedPrefixes: []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}},
			{ASN: 4200000001}}}
	if err := db.CreateVendor(ctx, v); err != nil {
		t.Fatal(err)
	}
	fig := 0.62
	a := &rw.Assessment{VendorID: v.ID, Title: "Annual review 2026", Library: lib.Name, LibraryVersion: lib.Version, LibraryDigest: lib.Digest(),
		Scope: []rw.ProviderType{rw.ProviderTransit}, DueDate: time.Date(2030, 1, 31, 0, 0, 0, 0, time.UTC)}
	ms := []rw.Measurement{{ASN: 64496, Check: "rpki.roa-coverage", Status: rw.StatusFail, Figure: &fig, Summary: "62 %", ComputedAt: db.Now()}}
	answers := []*rw.Answer{{QuestionID: "RS-ORIG-01.Q1", Values: []string{"62"}, Measured: true, UpdatedBy: "system"}}
	if err := db.CreateAssessment(ctx, a, answers, ms, "procurement@example.net"); err != nil {
		t.Fatal(err)
	}
	data := []byte("%PDF-1.4 evidence")
	sum := sha256.Sum256(data)
	ev := &rw.EvidenceFile{AssessmentID: a.ID, QuestionID: "RS-ORIG-04.Q3", Name: "roa-policy.pdf", MediaType: "application/pdf",
		Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Data: data, UploadedBy: "vendor:noc@example.net"}
	if err := db.AddEvidence(ctx, ev); err != nil {
		t.Fatal(err)
	}
	signer, _, err := EnsureDevSigner(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	is := &Issuer{Assessments: db, Vendors: db, Snapshots: db, Registry: db, Controls: set, Signer: signer,
		Fonts: testOptions(t), VerifyURL: "https://rw.example/verify"}
	return &issueEnv{db: db, is: is, vendor: v, a: a, ev: ev}
}

// approve walks the assessment through its lifecycle to approved.
func (e *issueEnv) approve(t *testing.T) {
	t.Helper()
	for _, st := range []rw.AssessmentState{rw.StateSent, rw.StateInProgress, rw.StateSubmitted, rw.StateInReview, rw.StateApproved} {
		if _, err := e.db.Transition(context.Background(), e.a.ID, st, rw.AuditEvent{Actor: "risk@example.net"}); err != nil {
			t.Fatalf("to %s: %v", st, err)
		}
	}
}

func TestIssueOnlyApproved(t *testing.T) {
	e := newIssueEnv(t)
	_, err := e.is.IssueAttestation(context.Background(), e.a.ID, "risk@example.net", 0)
	if rw.ErrorCode(err) != rw.ECONFLICT || !strings.Contains(rw.ErrorMessage(err), "is draft") {
		t.Fatalf("draft assessment: %v, want conflict naming the state", err)
	}
	if _, err := e.is.IssueAttestation(context.Background(), 9999, "risk@example.net", 0); rw.ErrorCode(err) != rw.ENOTFOUND {
		t.Errorf("unknown assessment: %v, want not_found", err)
	}
	if list, _, _ := e.db.FindAttestations(context.Background(), rw.AttestationFilter{}); len(list) != 0 {
		t.Errorf("refused issues registered %d attestations", len(list))
	}
}

// TestIssueVerifyTamperRevoke is the whole life of an attestation: issue an approved
// assessment, check it with pdfsig and the registry-aware verifier, flip one byte, revoke.
func TestIssueVerifyTamperRevoke(t *testing.T) {
	ctx := context.Background()
	e := newIssueEnv(t)
	e.approve(t)
	att, err := e.is.IssueAttestation(ctx, e.a.ID, "risk@example.net", 0)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := e.db.AttestationPDF(ctx, att.ID)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(reg.PDF)
	if reg.SHA256 != hex.EncodeToString(sum[:]) || !reg.Demo || !reg.DevCertificate || reg.IssuedBy != "risk@example.net" || reg.VendorID != e.vendor.ID {
		t.Errorf("registry entry = %+v", reg)
	}
	checker := &Checker{Trust: e.is.Signer.TrustPool(), Registry: e.db}
	if v, err := checker.VerifyAttestation(ctx, reg.PDF); err != nil || !v.Valid {
		t.Fatalf("fresh attestation: %s %v", v.Summary(), err)
	}
	if out := pdfsig(t, reg.PDF); !strings.Contains(out, "Signature is Valid.") {
		t.Errorf("pdfsig:\n%s", out)
	}
	checkText(t, e, reg.PDF)
	checkManifest(t, e, reg)

	tampered := slices.Clone(reg.PDF)
	tampered[strings.Index(string(tampered[len(tampered)/4:]), "stream")+len(tampered)/4+40] ^= 1
	if v, _ := checker.VerifyAttestation(ctx, tampered); v.Valid {
		t.Error("a flipped byte still verifies")
	}
	if out := pdfsig(t, tampered); strings.Contains(out, "Signature is Valid.") {
		t.Errorf("pdfsig accepts a flipped byte:\n%s", out)
	}

	if _, err := e.db.RevokeAttestation(ctx, att.ID, "risk@example.net", "Superseded by the re-assessment."); err != nil {
		t.Fatal(err)
	}
	v, err := checker.VerifyAttestation(ctx, reg.PDF)
	if err != nil || v.Valid || !v.Revoked || !strings.Contains(v.Summary(), "revoked") || v.Attestation.RevocationReason != "Superseded by the re-assessment." {
		t.Errorf("revoked attestation: %s %v", v.Summary(), err)
	}
}

func checkText(t *testing.T, e *issueEnv, pdf []byte) {
	t.Helper()
	text := squash(strings.Join(pdfText(t, pdf), "\n"))
	for _, want := range []string{"Société Générale des Réseaux, Zürich/Łódź", "AS64496", "AS4200000001", "RS-ORIG-01", "RS-ROV-01",
		"DORA-28.4.d", "NIS2-21.2.d", "roa-policy.pdf", "DEMO", "rpki.roa-coverage = 0.62 on AS64496"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q", want)
		}
	}
	if !regexp.MustCompile(`DORA-[0-9]+`).MatchString(text) || !regexp.MustCompile(`NIS2-[0-9]+`).MatchString(text) {
		t.Error("no DORA or NIS2 obligation IDs in the text")
	}
}

// checkManifest compares the attached manifest with the database.
func checkManifest(t *testing.T, e *issueEnv, reg *rw.Attestation) {
	t.Helper()
	m, err := ExtractManifest(reg.PDF)
	if err != nil {
		t.Fatal(err)
	}
	if m.DocumentID != reg.DocumentID || !m.IssuedAt.Equal(reg.IssuedAt) || !m.Demo || m.Vendor.LegalName != e.vendor.LegalName {
		t.Errorf("manifest identity = %s %s %v %q; registry %s %s", m.DocumentID, m.IssuedAt, m.Demo, m.Vendor.LegalName, reg.DocumentID, reg.IssuedAt)
	}
	if !slices.Equal(m.ASNs, []uint32{64496, 4200000001}) || m.Library.Digest != e.a.LibraryDigest || m.Library.Version != "2026.1" {
		t.Errorf("manifest ASNs %v library %+v", m.ASNs, m.Library)
	}
	lib, _ := e.is.Controls.Library("routewarden-manrs", "2026.1")
	if len(m.Controls) != len(lib.Controls) {
		t.Errorf("manifest has %d controls, library %d", len(m.Controls), len(lib.Controls))
	}
	var found bool
	for _, c := range m.Controls {
		for _, ev := range c.Evidence {
			found = found || (c.ID == "RS-ORIG-04" && ev.SHA256 == e.ev.SHA256 && ev.Name == e.ev.Name)
		}
		if c.ID == "RS-ORIG-01" && (c.Status != StatusNotMet || c.Basis != BasisMeasured) {
			t.Errorf("RS-ORIG-01 = %s/%s, want not_met/measured (62 %% ROA coverage)", c.Status, c.Basis)
		}
	}
	if !found {
		t.Error("the evidence file's SHA-256 is not in the manifest under RS-ORIG-04")
	}
	if len(m.Obligations) == 0 || !slices.ContainsFunc(m.Obligations, func(o ManifestObligation) bool {
		return o.ID == "DORA-28.4.d" && slices.Contains(o.ControlIDs, "RS-ORIG-01")
	}) {
		t.Errorf("obligation DORA-28.4.d → RS-ORIG-01 missing from the manifest")
	}
}

// TestIssueNamesSnapshotsOfTheDecision: the attestation names the routing-data snapshots the
// assessment's measurements were captured from, not a snapshot imported after approval.
func TestIssueNamesSnapshotsOfTheDecision(t *testing.T) {
	e := newIssueEnv(t)
	ctx := context.Background()
	old := &rw.Snapshot{Kind: "vrps", Source: "at decision", Digest: "old-digest", Files: []rw.SnapshotFile{{Name: "a.json", SHA256: "x", Data: []byte("{}")}}}
	if err := e.db.CreateSnapshot(ctx, old); err != nil {
		t.Fatal(err)
	}
	ms, err := e.db.FindMeasurements(ctx, e.a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ms {
		ms[i].Snapshots = []int64{old.ID}
	}
	if err := e.db.ReplaceMeasurements(ctx, e.a.ID, ms, nil, "system"); err != nil {
		t.Fatal(err)
	}
	e.approve(t)
	newer := &rw.Snapshot{Kind: "vrps", Source: "after approval", Digest: "new-digest", Files: []rw.SnapshotFile{{Name: "b.json", SHA256: "y", Data: []byte("{}")}}}
	if err := e.db.CreateSnapshot(ctx, newer); err != nil {
		t.Fatal(err)
	}
	fig := 1.0
	if err := e.db.SaveCheckResults(ctx, []rw.CheckResult{{ASN: 64496, Check: "rpki.roa-coverage", Status: rw.StatusPass, Figure: &fig,
		Snapshots: []int64{newer.ID}, ComputedAt: e.db.Now()}}); err != nil {
		t.Fatal(err)
	}
	att, err := e.is.IssueAttestation(ctx, e.a.ID, "risk@example.net", 0)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := e.db.AttestationPDF(ctx, att.ID)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ExtractManifest(reg.PDF)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Snapshots) != 1 || m.Snapshots[0].Digest != "old-digest" {
		t.Fatalf("manifest snapshots %+v, want only the one the decision rested on", m.Snapshots)
	}
}
