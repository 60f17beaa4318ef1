package routewarden

import (
	"testing"
	"time"
)

func chain(n int) []*AuditEvent {
	var out []*AuditEvent
	prev := GenesisHash
	for i := 1; i <= n; i++ {
		e := &AuditEvent{ID: int64(i), AssessmentID: 7, Actor: "a@example.net", Action: "answer.saved", Detail: "x", At: time.Unix(int64(i), 0).UTC(), PrevHash: prev}
		e.Hash = e.ComputeHash()
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func TestVerifyChain(t *testing.T) {
	tests := []struct {
		name   string
		tamper func([]*AuditEvent) []*AuditEvent
		ok     bool
	}{
		{"intact", func(e []*AuditEvent) []*AuditEvent { return e }, true},
		{"detail changed", func(e []*AuditEvent) []*AuditEvent { e[1].Detail = "y"; return e }, false},
		{"actor changed", func(e []*AuditEvent) []*AuditEvent { e[2].Actor = "b@example.net"; return e }, false},
		{"entry removed", func(e []*AuditEvent) []*AuditEvent { return append(e[:1], e[2:]...) }, false},
		{"entries swapped", func(e []*AuditEvent) []*AuditEvent { e[1], e[2] = e[2], e[1]; return e }, false},
		{"rehashed but not relinked", func(e []*AuditEvent) []*AuditEvent { e[1].Detail = "y"; e[1].Hash = e[1].ComputeHash(); return e }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := VerifyChain(tt.tamper(chain(4))); (err == nil) != tt.ok {
				t.Errorf("VerifyChain = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestLifecycle(t *testing.T) {
	tests := []struct {
		from, to AssessmentState
		ok       bool
	}{
		{StateDraft, StateSent, true}, {StateDraft, StateSubmitted, false}, {StateSent, StateInProgress, true},
		{StateInProgress, StateSubmitted, true}, {StateSubmitted, StateInReview, true}, {StateInReview, StateChangesRequested, true},
		{StateChangesRequested, StateSubmitted, true}, {StateInReview, StateApproved, true}, {StateInReview, StateRejected, true},
		{StateSubmitted, StateApproved, false}, {StateApproved, StateCancelled, false}, {StateInProgress, StateCancelled, true},
		{StateRejected, StateInReview, false},
	}
	for _, tt := range tests {
		if got := tt.from.CanMoveTo(tt.to); got != tt.ok {
			t.Errorf("%s → %s = %v", tt.from, tt.to, got)
		}
	}
}

func TestReminderPurpose(t *testing.T) {
	due := time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		now  time.Time
		want string
	}{
		{time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC), "reminder-7"}, {time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC), "reminder-3"},
		{time.Date(2026, 12, 9, 23, 0, 0, 0, time.UTC), "reminder-1"}, {time.Date(2026, 12, 10, 12, 0, 0, 0, time.UTC), ""},
		{time.Date(2026, 12, 11, 0, 0, 0, 0, time.UTC), "overdue"}, {time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC), ""},
	} {
		if got := ReminderPurpose(due, tt.now); got != tt.want {
			t.Errorf("ReminderPurpose(%s) = %q, want %q", tt.now, got, tt.want)
		}
	}
}

func TestAssessmentPermissions(t *testing.T) {
	for _, tt := range []struct {
		role  Role
		perm  Permission
		allow bool
	}{
		{RoleProcurement, PermAssessmentWrite, true}, {RoleProcurement, PermAssessmentDecide, false},
		{RoleRiskOfficer, PermAssessmentDecide, true}, {RoleRiskOfficer, PermAssessmentWrite, false},
		{RoleRiskOfficer, PermAttest, true}, {RoleAuditor, PermAssessmentWrite, false}, {RoleAdmin, PermAssessmentDecide, true},
	} {
		if tt.role.Can(tt.perm) != tt.allow {
			t.Errorf("%s.Can(%s) != %v", tt.role, tt.perm, tt.allow)
		}
	}
}
