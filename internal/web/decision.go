package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"routewarden/internal/attest"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
)

// verdict is the card that leads the assessment, review and confirmation pages: what a
// decision on the assessment would sign off.
type verdict struct {
	AssessmentID      int64
	Rating, Tier      string
	Provisional       bool
	Compliance        int // percent
	Readiness         []score.Readiness
	OpenDiscrepancies int
	Discrepancies     int
	OpenFindings      []*rw.Finding
	Findings          int
	Waivers           []*rw.Waiver
}

func verdictOf(a *rw.Assessment, r score.Report, in score.Input) verdict {
	v := verdict{AssessmentID: a.ID, Rating: r.Residual.Rating, Tier: r.Inherent.Tier, Provisional: r.Residual.Provisional,
		Compliance: int(r.Residual.Compliance*100 + 0.5), Readiness: r.Readiness, OpenDiscrepancies: len(r.OpenDiscrepancies()),
		Discrepancies: len(r.Discrepancies), Findings: len(in.Findings), Waivers: in.Waivers}
	for _, f := range in.Findings {
		if f.Status == "open" {
			v.OpenFindings = append(v.OpenFindings, f)
		}
	}
	return v
}

// validity says until when an attestation resting on a decision taken at from stays valid:
// attest.ValidityMonths after it, or earlier when a waiver expires (as the document states).
func validity(from time.Time, waivers []*rw.Waiver) string {
	until := from.AddDate(0, attest.ValidityMonths, 0)
	why := fmt.Sprintf("%d months after the decision", attest.ValidityMonths)
	for _, w := range waivers {
		if !w.ExpiresAt.IsZero() && w.ExpiresAt.Before(until) {
			until, why = w.ExpiresAt, "when the waiver on "+w.ControlID+" expires"
		}
	}
	return fmt.Sprintf("until %s (%s)", until.UTC().Format(time.DateOnly), why)
}

// confirmView is the confirmation page of approve, reject and issue: the summary of what is
// signed off, then the form that does it.
type confirmView struct {
	A        *rw.Assessment
	V        verdict
	Action   string // approve, reject, issue
	Title    string // "Approve this assessment?"
	Button   string
	PostTo   string
	Who      *rw.User
	Validity string
	Blocked  string   // why the action would fail now; the form is not offered
	Warnings []string // what the signer should know but does not block
	Note     string   // the note or reason typed before a failed submit
	Error    string
	approvalState
}

func (v confirmView) PageTitle() string { return v.Title }

// confirmDecision shows the confirmation page of approving or rejecting the assessment.
func (s *Server) confirmDecision(to rw.AssessmentState) gin.HandlerFunc {
	return func(c *gin.Context) {
		a, ok := s.loadAssessment(c)
		if ok {
			s.renderConfirm(c, http.StatusOK, a, string(to), "", "")
		}
	}
}

// confirmIssue shows the confirmation page of issuing the attestation; with one in force the
// re-issue confirmation takes over.
func (s *Server) confirmIssue(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if ok {
		s.renderConfirm(c, http.StatusOK, a, "issue", "", "")
	}
}

// renderConfirm builds and renders the confirmation of action ("approved", "rejected" or
// "issue"); note and msg come back from a failed submit.
func (s *Server) renderConfirm(c *gin.Context, status int, a *rw.Assessment, action, note, msg string) {
	ctx := c.Request.Context()
	r, in, err := s.evaluate(ctx, a)
	var st approvalState
	if err == nil {
		st, err = s.approvalState(ctx, a)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if action == "issue" && st.Current != nil {
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/assessments/%d/attestations/reissue", a.ID))
		return
	}
	v := confirmView{A: a, V: verdictOf(a, r, in), Who: currentUser(c), Note: note, Error: msg, approvalState: st}
	h := s.handoffOf(a, r, false)
	switch action {
	case string(rw.StateApproved):
		v.Action, v.Title, v.Button, v.PostTo = "approve", "Approve this assessment?", "Approve", fmt.Sprintf("/assessments/%d/approve", a.ID)
		v.Validity = "An attestation issued on this approval is valid " + validity(s.now(), in.Waivers) + "."
		v.Blocked = h.ApproveBlocked
		if n := r.Progress.AwaitingReview; n > 0 {
			v.Warnings = append(v.Warnings, fmt.Sprintf("%d answer(s) still await a reviewer's decision; the verdict above takes them as the vendor gave them (declared, not reviewed).", n))
		}
	case string(rw.StateRejected):
		v.Action, v.Title, v.Button, v.PostTo = "reject", "Reject this assessment?", "Reject", fmt.Sprintf("/assessments/%d/reject", a.ID)
	default:
		v.Action, v.Title, v.Button, v.PostTo = "issue", "Issue the attestation?", "Sign and issue the attestation", fmt.Sprintf("/assessments/%d/attestations", a.ID)
		if a.DecidedAt != nil {
			v.Validity = "The attestation is valid " + validity(*a.DecidedAt, in.Waivers) + "."
		}
		if a.State != rw.StateApproved {
			v.Blocked = "Only an approved assessment can be attested; this one is " + a.State.Label() + "."
		}
	}
	if v.Action != "issue" && a.State != rw.StateInReview {
		v.Blocked = "Only an assessment in review can be decided; this one is " + a.State.Label() + "."
	}
	s.render(c, status, "confirm_decision", v)
}
