package routewarden

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Answer is the current answer to one question of an assessment. Values follow the control
// library's encoding: "yes"/"no", option values, decimal text, YYYY-MM-DD.
type Answer struct {
	AssessmentID int64
	QuestionID   string
	Values       []string
	Comment      string // the vendor's remark; on a measured answer the only thing it may change
	Measured     bool   // pre-filled from a routing measurement; the vendor may not overwrite it
	Review       ReviewStatus
	ReviewNote   string // the reviewer's comment, e.g. what to change
	Version      int    // optimistic-locking counter; 0 for a new answer
	UpdatedBy    string
	UpdatedAt    time.Time
}

// AnswerVersion is an earlier version of an answer, kept when it was changed.
type AnswerVersion struct {
	QuestionID string
	Values     []string
	Comment    string
	Version    int
	ChangedBy  string
	ChangedAt  time.Time
}

// ReviewStatus is a reviewer's verdict on one answer.
type ReviewStatus string

// Review verdicts. Pending is the empty string.
const (
	ReviewPending     ReviewStatus = ""
	ReviewAccepted    ReviewStatus = "accepted"
	ReviewChanges     ReviewStatus = "changes_requested"
	ReviewFinding     ReviewStatus = "finding"
	ReviewResubmitted ReviewStatus = "resubmitted" // the vendor changed an answer sent back
)

// Validate checks sizes; the meaning of the values is checked against the question elsewhere.
func (a *Answer) Validate() error {
	var errs ValidationErrors
	for i, v := range a.Values {
		a.Values[i] = strings.TrimSpace(v)
		if utf8.RuneCountInString(v) > 10000 {
			errs = append(errs, FieldError(a.QuestionID, "The answer is too long (at most 10000 characters)."))
		}
	}
	if utf8.RuneCountInString(a.Comment) > 5000 {
		errs = append(errs, FieldError(a.QuestionID+".comment", "The comment is too long (at most 5000 characters)."))
	}
	if len(a.Values) > 50 {
		errs = append(errs, FieldError(a.QuestionID, "Too many values."))
	}
	return errs.Err()
}

// Empty reports whether the answer carries no value.
func (a *Answer) Empty() bool {
	for _, v := range a.Values {
		if v != "" {
			return false
		}
	}
	return true
}

// EvidenceFile is a document the vendor attached to a question. Its bytes live in the database
// so that every instance serves them.
type EvidenceFile struct {
	ID           int64
	AssessmentID int64
	QuestionID   string
	Name         string
	MediaType    string // sniffed from the content, never taken from the client
	Size         int64
	SHA256       string
	Data         []byte // set on upload and when opened
	UploadedBy   string
	UploadedAt   time.Time
}

// Comment is a remark by the vendor or a reviewer, on a question or the whole assessment.
type Comment struct {
	ID           int64
	AssessmentID int64
	QuestionID   string // "" for the whole assessment
	Author       string
	FromVendor   bool
	Body         string
	CreatedAt    time.Time
}

// Validate checks the comment's body.
func (c *Comment) Validate() error {
	c.Body = strings.TrimSpace(c.Body)
	if c.Body == "" || utf8.RuneCountInString(c.Body) > 5000 {
		return FieldError("body", "Write a comment (at most 5000 characters).")
	}
	return nil
}

// Finding is a weakness a reviewer raised on a control.
type Finding struct {
	ID           int64
	AssessmentID int64
	ControlID    string
	QuestionID   string
	Severity     string // low, medium, high, critical
	Title        string
	Status       string // open, resolved
	CreatedBy    string
	CreatedAt    time.Time
}

// Validate checks the finding's fields.
func (f *Finding) Validate() error {
	var errs ValidationErrors
	f.Title = strings.TrimSpace(f.Title)
	if f.Title == "" || utf8.RuneCountInString(f.Title) > 500 {
		errs = append(errs, FieldError("title", "Describe the finding (at most 500 characters)."))
	}
	switch f.Severity {
	case "low", "medium", "high", "critical":
	default:
		errs = append(errs, FieldError("severity", "Severity must be low, medium, high or critical."))
	}
	if f.Status == "" {
		f.Status = "open"
	}
	return errs.Err()
}

// Waiver accepts the risk of a control not being met, with a justification, until it expires.
type Waiver struct {
	ID            int64
	AssessmentID  int64
	ControlID     string
	Justification string
	ExpiresAt     time.Time
	CreatedBy     string
	CreatedAt     time.Time
}

// Validate checks the waiver's fields.
func (w *Waiver) Validate(now time.Time) error {
	var errs ValidationErrors
	w.Justification = strings.TrimSpace(w.Justification)
	if utf8.RuneCountInString(w.Justification) < 10 || utf8.RuneCountInString(w.Justification) > 5000 {
		errs = append(errs, FieldError("justification", "Give a justification of at least 10 characters."))
	}
	if w.ExpiresAt.IsZero() || !w.ExpiresAt.After(now) {
		errs = append(errs, FieldError("expires_at", "A waiver needs an expiry date in the future."))
	} else if w.ExpiresAt.After(now.AddDate(3, 0, 0)) {
		errs = append(errs, FieldError("expires_at", "A waiver may last at most three years."))
	}
	return errs.Err()
}

// Active reports whether the waiver is in force at now.
func (w *Waiver) Active(now time.Time) bool { return now.Before(w.ExpiresAt) }

// Resolution records how a reviewer settled a discrepancy between an answer and a measurement.
type Resolution struct {
	AssessmentID int64
	Key          string // the discrepancy key: question ID and check, e.g. "RS-ORIG-01.Q1/rpki.roa-coverage"
	Outcome      string // "measurement" (the measurement stands) or "answer" (the answer is right)
	Reason       string
	ResolvedBy   string
	ResolvedAt   time.Time
}

// Validate checks the resolution's fields.
func (r *Resolution) Validate() error {
	var errs ValidationErrors
	r.Reason = strings.TrimSpace(r.Reason)
	if r.Outcome != "measurement" && r.Outcome != "answer" {
		errs = append(errs, FieldError("outcome", "Say which side stands: the measurement or the answer."))
	}
	if utf8.RuneCountInString(r.Reason) < 5 || utf8.RuneCountInString(r.Reason) > 5000 {
		errs = append(errs, FieldError("reason", "Give the reason for the resolution (at least 5 characters)."))
	}
	return errs.Err()
}

// Measurement is a routing-evidence check result captured for an assessment, so that the
// decision keeps the figures it rested on.
type Measurement struct {
	AssessmentID int64
	ASN          uint32
	Check        string
	Status       CheckStatus
	Figure       *float64
	Summary      string
	Details      []Detail // the offending prefixes, paths and objects
	Snapshots    []int64  // the routing-data snapshots the measurement rests on
	ComputedAt   time.Time
}

// Dispute is the vendor's objection to a measurement about its own network.
type Dispute struct {
	ID           int64
	AssessmentID int64
	ASN          uint32
	Check        string
	Explanation  string
	Author       string
	CreatedAt    time.Time
}

// Validate checks the dispute's fields.
func (d *Dispute) Validate() error {
	d.Explanation = strings.TrimSpace(d.Explanation)
	if utf8.RuneCountInString(d.Explanation) < 10 || utf8.RuneCountInString(d.Explanation) > 5000 {
		return FieldError("explanation", "Explain why the measurement is wrong (at least 10 characters).")
	}
	if _, ok := FindCheck(d.Check); !ok {
		return FieldError("check", "Unknown check %q.", d.Check)
	}
	return nil
}
