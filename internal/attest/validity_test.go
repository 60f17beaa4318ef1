package attest

import (
	"context"
	"strings"
	"testing"
	"time"

	rw "routewarden/internal/routewarden"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestPeriodIsTheAssessmentWindow: the period runs from the oldest routing data or evidence the
// result rests on to the decision — not from when the assessment row was created, and not to
// the issue time; data dated after the decision does not stretch it.
func TestPeriodIsTheAssessmentWindow(t *testing.T) {
	vrpsTime, routesImported := at("2026-08-03T06:00:00Z"), at("2026-08-05T12:00:00Z")
	tests := []struct {
		name      string
		modify    func(*Source)
		wantStart time.Time
		wantNote  string
	}{
		{"oldest snapshot", func(s *Source) {
			s.Snapshots = []*rw.Snapshot{
				{Kind: "routes", ImportedAt: routesImported}, // no data time: its import time counts
				{Kind: "vrps", DataTime: &vrpsTime, ImportedAt: routesImported},
				{Kind: "irr", ImportedAt: at("2026-12-01T00:00:00Z")}, // after the decision
			}
		}, vrpsTime, "vrps snapshot of 2026-08-03 06:00 UTC"},
		{"evidence older than the data", func(s *Source) {
			s.Snapshots = []*rw.Snapshot{{Kind: "vrps", DataTime: &vrpsTime}}
			s.Evidence = []*rw.EvidenceFile{{Name: "policy.pdf", UploadedAt: at("2026-07-30T10:00:00Z")}}
		}, at("2026-07-30T10:00:00Z"), "first evidence file uploaded (policy.pdf"},
		{"only data after the decision", func(s *Source) {
			s.Snapshots = []*rw.Snapshot{{Kind: "vrps", ImportedAt: at("2026-12-01T00:00:00Z")}}
		}, at("2026-07-20T09:30:00Z"), "creation of the assessment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := handMadeSource()
			tt.modify(&src)
			d := Assemble(src)
			decided := *src.Assessment.DecidedAt
			if !d.PeriodStart.Equal(tt.wantStart) || !d.PeriodEnd.Equal(decided) {
				t.Errorf("period %s to %s, want %s to %s", d.PeriodStart, d.PeriodEnd, tt.wantStart, decided)
			}
			if !strings.Contains(d.PeriodNote, tt.wantNote) {
				t.Errorf("period note %q lacks %q", d.PeriodNote, tt.wantNote)
			}
			// Issuing later changes neither the period nor the validity.
			src.Now = src.Now.AddDate(0, 5, 0)
			later := Assemble(src)
			if !later.PeriodStart.Equal(d.PeriodStart) || !later.PeriodEnd.Equal(d.PeriodEnd) || !later.ValidUntil.Equal(d.ValidUntil) {
				t.Errorf("issued later: period %s–%s valid until %s, was %s–%s until %s", later.PeriodStart, later.PeriodEnd,
					later.ValidUntil, d.PeriodStart, d.PeriodEnd, d.ValidUntil)
			}
		})
	}
}

// TestValidityEndsWithTheEarliestWaiver: validity runs ValidityMonths from the decision, unless
// an active waiver expires before; an expired waiver does not shorten it.
func TestValidityEndsWithTheEarliestWaiver(t *testing.T) {
	src := handMadeSource()
	decided := *src.Assessment.DecidedAt
	d := Assemble(src)
	if !d.ValidFrom.Equal(decided) || !d.ValidUntil.Equal(decided.AddDate(0, ValidityMonths, 0)) {
		t.Errorf("valid %s until %s, want %s until 12 months later", d.ValidFrom, d.ValidUntil, decided)
	}
	src.Waivers = []*rw.Waiver{
		{ControlID: "RS-T-03", Justification: "later", CreatedBy: "risk@example.net", ExpiresAt: decided.AddDate(0, 9, 0)},
		{ControlID: "RS-T-03", Justification: "sooner", CreatedBy: "risk@example.net", ExpiresAt: decided.AddDate(0, 4, 0)},
		{ControlID: "RS-T-03", Justification: "lapsed", CreatedBy: "risk@example.net", ExpiresAt: src.Now.AddDate(0, 0, -1)},
	}
	d = Assemble(src)
	if want := decided.AddDate(0, 4, 0); !d.ValidUntil.Equal(want) || !strings.Contains(d.ValidityNote, "waiver on RS-T-03") {
		t.Errorf("valid until %s (%s), want %s by the waiver", d.ValidUntil, d.ValidityNote, want)
	}
	if d.Decision.By != "risk@example.net" || !d.Decision.At.Equal(decided) {
		t.Errorf("decision = %+v", d.Decision)
	}
}

// TestIssuedPeriodComesFromTheAssessment issues a real attestation from the database: the
// assessment is created long before its routing data was measured and decided weeks later;
// the PDF is issued a month after that. The manifest's period is data time → decision, its
// validity twelve months from the decision, and the cover prints both.
func TestIssuedPeriodComesFromTheAssessment(t *testing.T) {
	ctx := context.Background()
	e := newIssueEnv(t)
	clock := at("2026-09-01T08:00:00Z")
	e.db.Now = func() time.Time { return clock }
	dataTime := at("2026-09-28T06:00:00Z")
	snap := &rw.Snapshot{Kind: "vrps", Source: "rpki-client", DataTime: &dataTime, Digest: "sha256:" + strings.Repeat("1", 64),
		Files: []rw.SnapshotFile{{Name: "vrps.json", SHA256: strings.Repeat("1", 64), Data: []byte("{}")}}}
	if err := e.db.CreateSnapshot(ctx, snap); err != nil {
		t.Fatal(err)
	}
	ms, err := e.db.FindMeasurements(ctx, e.a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ms {
		ms[i].Snapshots = []int64{snap.ID}
	}
	if err := e.db.ReplaceMeasurements(ctx, e.a.ID, ms, nil, "system"); err != nil {
		t.Fatal(err)
	}
	clock = at("2026-10-14T15:00:00Z")
	e.approve(t)
	decided := clock
	e.is.Now = func() time.Time { return at("2026-11-16T10:00:00Z") }
	att, err := e.is.IssueAttestation(ctx, e.a.ID, "risk@example.net", 0)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ExtractManifest(att.PDF)
	if err != nil {
		t.Fatal(err)
	}
	// The evidence file of newIssueEnv was uploaded on the real clock, after the decision, so
	// it does not move the start.
	if !m.PeriodStart.Equal(dataTime) || !m.PeriodEnd.Equal(decided) {
		t.Errorf("manifest period %s to %s, want %s to %s", m.PeriodStart, m.PeriodEnd, dataTime, decided)
	}
	if m.Decision == nil || m.Decision.By != "risk@example.net" || !m.Decision.At.Equal(decided) ||
		!m.ValidFrom.Equal(decided) || !m.ValidUntil.Equal(decided.AddDate(1, 0, 0)) {
		t.Errorf("manifest decision %+v valid %s until %s", m.Decision, m.ValidFrom, m.ValidUntil)
	}
	// The registry keeps the end of validity the cover prints (the dashboard's renewal list
	// reads it).
	reg, err := e.db.FindAttestationByID(ctx, att.ID)
	if err != nil || reg.ValidUntil == nil || !reg.ValidUntil.Equal(decided.AddDate(1, 0, 0)) || !reg.Expires().Equal(decided.AddDate(1, 0, 0)) {
		t.Errorf("registered validity = %v (%v), want %s", reg, err, decided.AddDate(1, 0, 0))
	}
	cover := squash(pdfText(t, att.PDF)[0])
	for _, want := range []string{"Assessment period 2026-09-28 to 2026-10-14", "vrps snapshot of 2026-09-28 06:00 UTC",
		"valid until 2027-10-14", "Approved by risk@example.net on 2026-10-14 15:00 UTC"} {
		if !strings.Contains(cover, want) {
			t.Errorf("cover lacks %q:\n%s", want, cover)
		}
	}
}
