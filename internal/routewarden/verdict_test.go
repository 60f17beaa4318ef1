package routewarden

import (
	"strings"
	"testing"
	"time"
)

func factsOf(v *Verdict) map[string]string {
	out := map[string]string{}
	for _, f := range v.Facts() {
		out[f.Label] = f.Value
	}
	return out
}

// TestVerdictPlainSummary: the plain summary says what the document is, its rating and whether
// it is in force (attestations), when it was issued and who signed it, and never who revoked it
// or why.
func TestVerdictPlainSummary(t *testing.T) {
	issued := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	revoked := issued.AddDate(0, 1, 0)
	att := func() *Attestation {
		return &Attestation{DocumentID: "RW-2026-1A2B3C4D5E6F", VendorName: "Northwind Transit AG", AssessmentID: 12, IssuedAt: issued}
	}
	tests := []struct {
		name     string
		v        *Verdict
		headline string
		facts    map[string]string
	}{
		{"valid attestation", &Verdict{Valid: true, Kind: KindAttestation, DocumentID: "RW-2026-1A2B3C4D5E6F", SignerName: "Risk Office",
			Rating: "medium", PeriodStart: issued.AddDate(0, -1, 0), PeriodEnd: issued, Attestation: att()},
			"Valid: attestation RW-2026-1A2B3C4D5E6F for Northwind Transit AG, issued on 2 March 2026.",
			map[string]string{"Document": "Attestation of the routing security of Northwind Transit AG", "Residual rating": "medium",
				"Validity":  "In force: the current attestation of assessment #12, neither revoked nor replaced; it covers the assessment period 2 February 2026 – 2 March 2026",
				"Issued on": "2 March 2026", "Signed by": "Risk Office"}},
		{"valid board report", &Verdict{Valid: true, Kind: KindBoardReport, DocumentID: "RW-BOARD-2026-1A2B3C4D5E6F", SignerName: "Risk Office",
			BoardReport: &BoardReport{DocumentID: "RW-BOARD-2026-1A2B3C4D5E6F", IssuedAt: issued}},
			"Valid: board report RW-BOARD-2026-1A2B3C4D5E6F, issued on 2 March 2026.",
			map[string]string{"Document": "Board / supervisor report on the routing security of the supplier portfolio",
				"Validity": "Registered and not revoked; it states the portfolio as on 2 March 2026", "Issued on": "2 March 2026", "Residual rating": ""}},
		{"revoked attestation", &Verdict{Revoked: true, Kind: KindAttestation, Rating: "low", Reasons: []string{"document … was revoked on 2026-04-02 09:00 UTC"},
			Plain: []string{"Document RW-2026-1A2B3C4D5E6F was revoked on 2 April 2026: it is no longer valid."},
			Attestation: func() *Attestation {
				a := att()
				a.RevokedAt, a.RevokedBy, a.RevocationReason = &revoked, "admin@x", "secret why"
				return a
			}()},
			"Not valid: document RW-2026-1A2B3C4D5E6F was revoked on 2 April 2026: it is no longer valid.",
			map[string]string{"Validity": "Revoked on 2 April 2026"}},
		{"tampered, nothing registered", &Verdict{Reasons: []string{"pkcs7: Message digest mismatch"}, Plain: []string{"The document was changed after signing."}},
			"Not valid: the document was changed after signing.", map[string]string{"Document": "", "Issued on": ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if h := tc.v.Headline(); h != tc.headline {
				t.Errorf("Headline = %q, want %q", h, tc.headline)
			}
			got := factsOf(tc.v)
			for k, want := range tc.facts {
				if got[k] != want {
					t.Errorf("%s = %q, want %q", k, got[k], want)
				}
			}
			all := tc.v.Headline() + " " + strings.Join(tc.v.PlainReasons(), " ")
			for _, f := range tc.v.Facts() {
				all += " " + f.Value
			}
			if strings.Contains(all, "admin@x") || strings.Contains(all, "secret why") || strings.Contains(all, "pkcs7") {
				t.Errorf("the plain summary leaks who revoked, why, or technical text: %s", all)
			}
		})
	}
}
