package routewarden

import (
	"testing"
	"time"
)

// TestAssessmentNext: every state names who acts next and why, in the words the pages show.
func TestAssessmentNext(t *testing.T) {
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	due := time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)
	past := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		state   AssessmentState
		contact string
		due     time.Time
		w       Workload
		want    string
		party   Party
		overdue bool
	}{
		{"draft without contact", StateDraft, "", due, Workload{}, "Waiting for procurement: name the vendor contact, then send the questionnaire", PartyProcurement, false},
		{"draft", StateDraft, "noc@example.net", due, Workload{}, "Waiting for procurement: send the questionnaire to noc@example.net", PartyProcurement, false},
		{"sent", StateSent, "noc@example.net", due, Workload{OpenQuestions: 12}, "Waiting for the vendor: 12 questions open, due 2026-12-20", PartyVendor, false},
		{"in progress, one left", StateInProgress, "x@example.net", due, Workload{OpenQuestions: 1}, "Waiting for the vendor: 1 question open, due 2026-12-20", PartyVendor, false},
		{"in progress, overdue", StateInProgress, "x@example.net", past, Workload{OpenQuestions: 3}, "Waiting for the vendor: 3 questions open, overdue since 2026-11-30", PartyVendor, true},
		{"complete, not submitted", StateInProgress, "x@example.net", due, Workload{}, "Waiting for the vendor: all required answers given, not submitted yet, due 2026-12-20", PartyVendor, false},
		{"changes requested", StateChangesRequested, "x@example.net", due, Workload{ChangesRequested: 2}, "Waiting for the vendor: 2 questions sent back for changes, due 2026-12-20", PartyVendor, false},
		{"submitted", StateSubmitted, "x@example.net", due, Workload{AwaitingReview: 30}, "Waiting for procurement: start the review of the submitted answers", PartyProcurement, false},
		{"review: discrepancies", StateInReview, "x@example.net", due, Workload{OpenDiscrepancies: 3}, "Waiting for procurement: 3 discrepancies to resolve", PartyProcurement, false},
		{"review: discrepancy and answers", StateInReview, "x@example.net", due, Workload{OpenDiscrepancies: 1, AwaitingReview: 5}, "Waiting for procurement: 1 discrepancy to resolve, 5 answers awaiting a decision", PartyProcurement, false},
		{"review: send back", StateInReview, "x@example.net", due, Workload{ChangesRequested: 2}, "Waiting for procurement: send the 2 questions marked for changes back to the vendor", PartyProcurement, false},
		{"review: decision", StateInReview, "x@example.net", past, Workload{}, "Waiting for the risk officer: approve or reject", PartyRiskOfficer, false},
		{"approved", StateApproved, "x@example.net", due, Workload{}, "Waiting for the risk officer: issue the attestation", PartyRiskOfficer, false},
		{"attested", StateApproved, "x@example.net", due, Workload{Attested: true}, "Done: approved and attested.", PartyNobody, false},
		{"rejected", StateRejected, "x@example.net", due, Workload{}, "Closed: rejected.", PartyNobody, false},
		{"cancelled", StateCancelled, "x@example.net", past, Workload{OpenQuestions: 4}, "Closed: cancelled.", PartyNobody, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &Assessment{State: tt.state, ContactEmail: tt.contact, DueDate: tt.due}
			n := a.Next(tt.w, now)
			if n.String() != tt.want || n.Party != tt.party || n.Overdue != tt.overdue {
				t.Errorf("Next = %q (%q, overdue %v), want %q (%q, overdue %v)", n, n.Party, n.Overdue, tt.want, tt.party, tt.overdue)
			}
		})
	}
}

// TestNextStepFor: the step belongs to the role it waits for and to administrators; nobody
// on staff takes the vendor's step or a closed assessment's.
func TestNextStepFor(t *testing.T) {
	tests := []struct {
		party Party
		role  Role
		want  bool
	}{
		{PartyProcurement, RoleProcurement, true},
		{PartyProcurement, RoleRiskOfficer, false},
		{PartyProcurement, RoleAdmin, true},
		{PartyRiskOfficer, RoleRiskOfficer, true},
		{PartyRiskOfficer, RoleProcurement, false},
		{PartyRiskOfficer, RoleAuditor, false},
		{PartyVendor, RoleAdmin, false},
		{PartyNobody, RoleAdmin, false},
	}
	for _, tt := range tests {
		if got := (NextStep{Party: tt.party}).For(tt.role); got != tt.want {
			t.Errorf("step of %q for %q = %v, want %v", tt.party, tt.role, got, tt.want)
		}
	}
}
