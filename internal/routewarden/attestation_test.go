package routewarden

import (
	"strings"
	"testing"
	"time"
)

func TestDocumentID(t *testing.T) {
	at := time.Date(2026, 11, 27, 23, 59, 0, 0, time.FixedZone("x", -3600))
	a, b := NewDocumentID(at), NewDocumentID(at)
	if a == b {
		t.Errorf("two document IDs are equal: %s", a)
	}
	if !strings.HasPrefix(a, "RW-2026-") || !ValidDocumentID(a) {
		t.Errorf("NewDocumentID = %q", a)
	}
	for _, s := range []string{"", "RW-2026-1a2b3c4d5e6f", "RW-2026-1A2B3C4D5E6", "RW-2026-1A2B3C4D5E6F\n", "X RW-2026-1A2B3C4D5E6F"} {
		if ValidDocumentID(s) {
			t.Errorf("ValidDocumentID(%q) = true", s)
		}
	}
}

func TestValidateRevocation(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"  Superseded by review 2027. ", "Superseded by review 2027.", true},
		{"four", "", false},
		{"     ", "", false},
		{strings.Repeat("é", 2000), strings.Repeat("é", 2000), true},
		{strings.Repeat("é", 2001), "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in[:min(len(tc.in), 12)], func(t *testing.T) {
			got, err := ValidateRevocation(tc.in)
			if (err == nil) != tc.ok || got != tc.want {
				t.Errorf("ValidateRevocation = %q, %v", got, err)
			}
			if err != nil && ErrorField(err) != "reason" {
				t.Errorf("error field = %q", ErrorField(err))
			}
		})
	}
}

func TestVerdictSummary(t *testing.T) {
	v := &Verdict{Revoked: true, Reasons: []string{"revoked on 2026-11-27 by risk@x: wrong vendor"}}
	if s := v.Summary(); !strings.Contains(s, "NOT VALID") || !strings.Contains(s, "revoked") {
		t.Errorf("Summary = %q", s)
	}
	v = &Verdict{Valid: true, DocumentID: "RW-2026-1A2B3C4D5E6F", SignerName: "Acme"}
	if s := v.Summary(); !strings.HasPrefix(s, "VALID") || !strings.Contains(s, v.DocumentID) {
		t.Errorf("Summary = %q", s)
	}
}
