package routewarden

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// AssessmentState is where an assessment stands in its lifecycle.
type AssessmentState string

// Assessment states. The lifecycle is draft → sent → in_progress → submitted → in_review ⇄
// changes_requested → approved | rejected; any open state → cancelled.
const (
	StateDraft            AssessmentState = "draft"
	StateSent             AssessmentState = "sent"
	StateInProgress       AssessmentState = "in_progress"
	StateSubmitted        AssessmentState = "submitted"
	StateInReview         AssessmentState = "in_review"
	StateChangesRequested AssessmentState = "changes_requested"
	StateApproved         AssessmentState = "approved"
	StateRejected         AssessmentState = "rejected"
	StateCancelled        AssessmentState = "cancelled"
)

// AssessmentStates lists every state in lifecycle order.
var AssessmentStates = []AssessmentState{StateDraft, StateSent, StateInProgress, StateSubmitted, StateInReview,
	StateChangesRequested, StateApproved, StateRejected, StateCancelled}

// transitions holds the allowed moves; cancelled is reachable from every open state (see CanMoveTo).
var transitions = map[AssessmentState][]AssessmentState{
	StateDraft:            {StateSent},
	StateSent:             {StateInProgress, StateSent},
	StateInProgress:       {StateSubmitted},
	StateSubmitted:        {StateInReview},
	StateInReview:         {StateChangesRequested, StateApproved, StateRejected},
	StateChangesRequested: {StateSubmitted, StateInReview},
}

// Label returns the state's human name.
func (s AssessmentState) Label() string {
	return strings.ToUpper(string(s[:1])) + strings.ReplaceAll(string(s[1:]), "_", " ")
}

// Valid reports whether s is one of AssessmentStates.
func (s AssessmentState) Valid() bool { return slices.Contains(AssessmentStates, s) }

// Final reports whether no further transition is possible.
func (s AssessmentState) Final() bool {
	return s == StateApproved || s == StateRejected || s == StateCancelled
}

// VendorCanEdit reports whether the vendor may change answers in this state.
func (s AssessmentState) VendorCanEdit() bool {
	return s == StateSent || s == StateInProgress || s == StateChangesRequested
}

// CanMoveTo reports whether the lifecycle allows moving from s to t.
func (s AssessmentState) CanMoveTo(t AssessmentState) bool {
	if t == StateCancelled {
		return !s.Final()
	}
	return slices.Contains(transitions[s], t)
}

// CheckTransition returns a conflict error naming both states when s cannot move to t.
func (s AssessmentState) CheckTransition(t AssessmentState) error {
	if s.CanMoveTo(t) {
		return nil
	}
	return Errorf(ECONFLICT, "An assessment that is %s cannot become %s.", strings.ToLower(s.Label()), strings.ToLower(t.Label()))
}

// Assessment is one questionnaire round with a vendor, pinned to a control-library version.
type Assessment struct {
	ID             int64
	VendorID       int64
	VendorName     string // filled on lookup
	VendorDemo     bool   // filled on lookup
	Title          string
	Library        string // e.g. "routewarden-manrs"
	LibraryVersion string // e.g. "2026.1"
	LibraryDigest  string // sha256 of the library version's content
	Scope          []ProviderType
	State          AssessmentState
	DueDate        time.Time // UTC midnight
	ContactEmail   string    // the vendor contact invited
	Summary        Summary   // the scores as last computed
	Version        int       // optimistic-locking counter
	CreatedBy      string    // e-mail of the user who created it
	Assignee       string    // e-mail of the staff member who owns it; "" for nobody
	CreatedAt      time.Time
	UpdatedAt      time.Time
	SubmittedAt    *time.Time
	DecidedAt      *time.Time
}

// Summary is the headline of an assessment's scores, kept with it for lists.
type Summary struct {
	Rating        string             `json:"rating,omitempty"`          // residual rating: low, medium, high, severe
	Tier          string             `json:"tier,omitempty"`            // inherent risk tier
	Compliance    float64            `json:"compliance"`                // weighted share of controls met, 0..1
	Met           int                `json:"met"`                       // controls met
	Controls      int                `json:"controls"`                  // controls in scope
	Readiness     map[string]float64 `json:"readiness,omitempty"`       // per MANRS action, 0..1
	Discrepancies int                `json:"open_discrepancies"`        // unresolved
	Progress      float64            `json:"progress"`                  // share of required questions answered
	ComputedAt    *time.Time         `json:"computed_at,omitempty"`     // when it was computed
	Levels        map[string]string  `json:"readiness_level,omitempty"` // per MANRS action
	Provisional   bool               `json:"provisional,omitempty"`     // rating before the vendor submitted: measured controls only
	// The counts the next step depends on (see Assessment.Next).
	OpenQuestions    int `json:"open_questions"`    // required answers and documents missing
	AwaitingReview   int `json:"awaiting_review"`   // given answers without a reviewer's decision
	ChangesRequested int `json:"changes_requested"` // questions marked for changes
}

// Overdue reports whether the due date has passed while the vendor still owes answers.
func (a *Assessment) Overdue(now time.Time) bool {
	return a.State.VendorCanEdit() && now.After(a.DueDate.Add(24*time.Hour))
}

// Validate checks the fields a user sets when creating an assessment.
func (a *Assessment) Validate(now time.Time) error {
	var errs ValidationErrors
	a.Title = strings.TrimSpace(a.Title)
	a.ContactEmail = NormalizeEmail(a.ContactEmail)
	if a.VendorID <= 0 {
		errs = append(errs, FieldError("vendor_id", "Choose the vendor to assess."))
	}
	if utf8.RuneCountInString(a.Title) > 200 {
		errs = append(errs, FieldError("title", "Title must be at most 200 characters."))
	}
	if a.DueDate.IsZero() {
		errs = append(errs, FieldError("due_date", "Due date is required (YYYY-MM-DD)."))
	} else if a.DueDate.Before(now.Truncate(24 * time.Hour)) {
		errs = append(errs, FieldError("due_date", "Due date must not be in the past."))
	}
	if a.ContactEmail != "" && !ValidEmail(a.ContactEmail) {
		errs = append(errs, FieldError("contact_email", "Contact e-mail must be an address such as noc@example.net."))
	}
	if len(a.Scope) == 0 {
		errs = append(errs, FieldError("vendor_id", "The vendor has no services, so no controls apply: add its services first."))
	}
	return errs.Err()
}

// ScopeStrings returns the scope as plain strings, as the control library names provider types.
func (a *Assessment) ScopeStrings() []string {
	out := make([]string, len(a.Scope))
	for i, p := range a.Scope {
		out[i] = string(p)
	}
	return out
}

// AssessmentFilter selects assessments for a list. Zero values select everything.
type AssessmentFilter struct {
	VendorID int64
	States   []AssessmentState
	Query    string // matches the vendor's legal name or the title
	Assignee string // the owner's e-mail
	Overdue  bool
	Now      time.Time // for Overdue
	Offset   int
	Limit    int
}

// AssessmentUpdate changes the fields of an assessment that may change outside transitions; nil
// means unchanged.
type AssessmentUpdate struct {
	DueDate  *time.Time
	Summary  *Summary
	Assignee *string // "" unassigns
	// Outcomes, when set, replaces the per-control results kept with the scores (portfolio
	// reports read them without re-scoring every assessment).
	Outcomes map[string]ControlOutcome
}

// ControlOutcome is one control's result as last scored: its status (met, partially_met,
// not_met, not_applicable, unknown), the basis it rests on (measured, evidenced, declared) and
// whether an active waiver accepts the risk of a shortfall.
type ControlOutcome struct {
	Status string `json:"s"`
	Basis  string `json:"b,omitempty"`
	Waived bool   `json:"w,omitempty"`
}

// KeptOutcome is one control's kept result in a list of them (sorted by control ID): the
// obligations coverage reads thousands of such lists per request, and building a map of each
// cost more than the coverage itself.
type KeptOutcome struct {
	Control string
	ControlOutcome
}

// ProgressPercent returns the share of required answers and documents given, in whole percent.
func (s Summary) ProgressPercent() int { return int(s.Progress*100 + 0.5) }

// CompliancePercent returns the weighted compliance in whole percent.
func (s Summary) CompliancePercent() int { return int(s.Compliance*100 + 0.5) }
