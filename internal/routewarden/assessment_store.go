package routewarden

import (
	"context"
	"time"
)

// AssessmentStore persists assessments and everything attached to them. Every write that
// changes an assessment appends its audit event in the same transaction.
type AssessmentStore interface {
	// CreateAssessment stores a draft with its pre-filled answers and captured measurements.
	CreateAssessment(ctx context.Context, a *Assessment, answers []*Answer, ms []Measurement, actor string) error
	FindAssessmentByID(ctx context.Context, id int64) (*Assessment, error)
	FindAssessments(ctx context.Context, f AssessmentFilter) ([]*Assessment, int, error)
	// Transition moves the assessment to state to when the lifecycle allows it, recording ev.
	// Approval freezes the vendor's scope (FindApprovedScope) in the same transaction.
	Transition(ctx context.Context, id int64, to AssessmentState, ev AuditEvent) (*Assessment, error)
	// FindApprovedScope returns the scope frozen when the assessment was approved; ENOTFOUND for
	// one not approved, or approved before scopes were frozen.
	FindApprovedScope(ctx context.Context, assessmentID int64) (*ApprovedScope, error)
	UpdateAssessment(ctx context.Context, id int64, upd AssessmentUpdate, ev *AuditEvent) (*Assessment, error)
	// FindOutcomes returns the per-control results kept with the scores of the given
	// assessments (AssessmentUpdate.Outcomes); one never scored since is absent.
	FindOutcomes(ctx context.Context, ids []int64) (map[int64]map[string]ControlOutcome, error)

	FindAnswers(ctx context.Context, assessmentID int64) ([]*Answer, error)
	// SaveAnswer stores a.Values and a.Comment when a.Version equals the stored version (0 for a
	// new answer); otherwise it fails with ECONFLICT and changes nothing. A measured answer keeps
	// its values. The old values go to the answer history.
	SaveAnswer(ctx context.Context, a *Answer, actor string) error
	// FindAnswerHistory returns the earlier versions of every answer, oldest first.
	FindAnswerHistory(ctx context.Context, assessmentID int64) ([]*AnswerVersion, error)
	// ReviewAnswer records a reviewer's verdict on one answer.
	ReviewAnswer(ctx context.Context, assessmentID int64, questionID string, st ReviewStatus, note, actor string) error

	AddEvidence(ctx context.Context, f *EvidenceFile) error
	FindEvidence(ctx context.Context, assessmentID int64) ([]*EvidenceFile, error) // without data
	OpenEvidence(ctx context.Context, assessmentID, id int64) (*EvidenceFile, error)
	DeleteEvidence(ctx context.Context, assessmentID, id int64, actor string) error

	AddComment(ctx context.Context, c *Comment) error
	FindComments(ctx context.Context, assessmentID int64) ([]*Comment, error)
	AddFinding(ctx context.Context, f *Finding) error
	FindFindings(ctx context.Context, assessmentID int64) ([]*Finding, error)
	// ResolveFinding closes an open finding with a note.
	ResolveFinding(ctx context.Context, assessmentID, id int64, note, actor string) error
	AddWaiver(ctx context.Context, w *Waiver) error
	FindWaivers(ctx context.Context, assessmentID int64) ([]*Waiver, error)
	ResolveDiscrepancy(ctx context.Context, r *Resolution) error
	FindResolutions(ctx context.Context, assessmentID int64) ([]*Resolution, error)
	AddDispute(ctx context.Context, d *Dispute) error
	FindDisputes(ctx context.Context, assessmentID int64) ([]*Dispute, error)
	FindMeasurements(ctx context.Context, assessmentID int64) ([]Measurement, error)
	// ReplaceMeasurements swaps the captured measurements for current ones and updates the
	// measured (pre-filled) answers; answers the vendor gave are left alone.
	ReplaceMeasurements(ctx context.Context, assessmentID int64, ms []Measurement, prefill []*Answer, actor string) error
}

// InvitationStore persists invitation links, portal sessions and the mail outbox.
type InvitationStore interface {
	// CreateInvitation stores inv; with revokeOthers it first revokes the open links of the same
	// assessment, e-mail and section (a reminder re-issues the link).
	CreateInvitation(ctx context.Context, inv *Invitation, revokeOthers bool) error
	FindInvitationByToken(ctx context.Context, tokenHash string) (*Invitation, error)
	FindInvitations(ctx context.Context, assessmentID int64) ([]*Invitation, error)
	RevokeInvitation(ctx context.Context, assessmentID, id int64, actor string) error
	CreatePortalSession(ctx context.Context, s *PortalSession) error
	FindPortalSession(ctx context.Context, tokenHash string, now time.Time) (*PortalSession, error)
	EnqueueMail(ctx context.Context, m *Mail) error
	// ClaimMail returns up to n messages due at now and pushes their next attempt back by
	// lease, so that a second worker does not send them too.
	ClaimMail(ctx context.Context, now time.Time, n int, lease time.Duration) ([]*Mail, error)
	MarkMailSent(ctx context.Context, id int64, at time.Time) error
	MarkMailFailed(ctx context.Context, id int64, msg string, next time.Time) error
	// GiveUpMail parks a message that will not be retried and drops its body.
	GiveUpMail(ctx context.Context, id int64, msg string) error
	// RemindersDue lists the open assessments whose due date makes purpose due at now and that
	// have not had that reminder yet.
	AssessmentsToRemind(ctx context.Context, now time.Time) ([]*Assessment, error)
}
