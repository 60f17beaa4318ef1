package routewarden

import (
	"fmt"
	"strings"
	"time"
)

// Party is who holds an assessment at a given moment: a staff role, the vendor, or nobody once
// it is closed.
type Party string

// Parties an assessment waits for.
const (
	PartyProcurement Party = "procurement"
	PartyRiskOfficer Party = "risk_officer"
	PartyVendor      Party = "vendor"
	PartyNobody      Party = ""
)

// Label returns the party as a sentence names it ("the vendor").
func (p Party) Label() string {
	switch p {
	case PartyProcurement:
		return "procurement"
	case PartyRiskOfficer:
		return "the risk officer"
	case PartyVendor:
		return "the vendor"
	}
	return "nobody"
}

// Workload holds the counts the next step of an assessment depends on; Summary carries them
// for lists, the detail page computes them fresh.
type Workload struct {
	OpenQuestions     int  // required answers and documents the vendor still owes
	AwaitingReview    int  // given answers no reviewer has decided on yet
	ChangesRequested  int  // questions marked for changes, not yet answered again
	OpenDiscrepancies int  // answers contradicted by measurement, not resolved
	Attested          bool // an attestation is in force
}

// Workload returns the counts kept with the summary.
func (s Summary) Workload() Workload {
	return Workload{OpenQuestions: s.OpenQuestions, AwaitingReview: s.AwaitingReview, ChangesRequested: s.ChangesRequested,
		OpenDiscrepancies: s.Discrepancies}
}

// NextStep says who acts next on an assessment and why.
type NextStep struct {
	Party   Party
	Why     string // e.g. "3 discrepancies to resolve"
	Overdue bool   // the vendor is past the due date
}

// String renders the step as one sentence: "Waiting for procurement: 3 discrepancies to resolve".
func (n NextStep) String() string {
	if n.Party == PartyNobody {
		return n.Why
	}
	return "Waiting for " + n.Party.Label() + ": " + n.Why
}

// Role returns the staff role that takes the step ("" for the vendor or nobody).
func (n NextStep) Role() Role {
	switch n.Party {
	case PartyProcurement:
		return RoleProcurement
	case PartyRiskOfficer:
		return RoleRiskOfficer
	}
	return ""
}

// For reports whether a user with role r can take the step: the role it waits for, or an
// administrator, who holds every permission.
func (n NextStep) For(r Role) bool {
	want := n.Role()
	return want != "" && (r == want || r == RoleAdmin)
}

// Next says who acts next on the assessment and why, from its state and workload. Within a
// review, procurement's open work (answers to decide, discrepancies to resolve, questions to
// send back) comes before the risk officer's decision.
func (a *Assessment) Next(w Workload, now time.Time) NextStep {
	due := "due " + a.DueDate.Format(time.DateOnly)
	overdue := a.Overdue(now)
	if overdue {
		due = "overdue since " + a.DueDate.Format(time.DateOnly)
	}
	switch a.State {
	case StateDraft:
		if a.ContactEmail == "" {
			return NextStep{Party: PartyProcurement, Why: "name the vendor contact, then send the questionnaire"}
		}
		return NextStep{Party: PartyProcurement, Why: "send the questionnaire to " + a.ContactEmail}
	case StateSent, StateInProgress:
		why := plural(w.OpenQuestions, "question", "questions") + " open, " + due
		if w.OpenQuestions == 0 {
			why = "all required answers given, not submitted yet, " + due
		}
		return NextStep{Party: PartyVendor, Why: why, Overdue: overdue}
	case StateChangesRequested:
		return NextStep{Party: PartyVendor, Why: plural(w.ChangesRequested, "question", "questions") + " sent back for changes, " + due, Overdue: overdue}
	case StateSubmitted:
		return NextStep{Party: PartyProcurement, Why: "start the review of the submitted answers"}
	case StateInReview:
		var todo []string
		if w.OpenDiscrepancies > 0 {
			todo = append(todo, plural(w.OpenDiscrepancies, "discrepancy", "discrepancies")+" to resolve")
		}
		if w.AwaitingReview > 0 {
			todo = append(todo, plural(w.AwaitingReview, "answer", "answers")+" awaiting a decision")
		}
		if len(todo) == 0 && w.ChangesRequested > 0 {
			todo = append(todo, "send the "+plural(w.ChangesRequested, "question", "questions")+" marked for changes back to the vendor")
		}
		if len(todo) > 0 {
			return NextStep{Party: PartyProcurement, Why: strings.Join(todo, ", ")}
		}
		return NextStep{Party: PartyRiskOfficer, Why: "approve or reject"}
	case StateApproved:
		if w.Attested {
			return NextStep{Why: "Done: approved and attested."}
		}
		return NextStep{Party: PartyRiskOfficer, Why: "issue the attestation"}
	case StateRejected:
		return NextStep{Why: "Closed: rejected."}
	case StateCancelled:
		return NextStep{Why: "Closed: cancelled."}
	}
	return NextStep{Why: fmt.Sprintf("Unknown state %q.", a.State)}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// CanOwnAssessments reports whether the user may be an assessment's owner: an active member of
// staff who works on or decides assessments.
func (u *User) CanOwnAssessments() bool {
	return u != nil && !u.Disabled && (u.Role.Can(PermAssessmentWrite) || u.Role.Can(PermAssessmentDecide))
}

// Work filters of the assessment list ("my work").
const (
	WorkAssigned = "assigned" // assigned to me
	WorkRole     = "role"     // waiting for my role
)
