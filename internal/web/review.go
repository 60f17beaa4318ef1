package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
)

// Review decisions on one question.
const (
	decisionAccept  = "accept"
	decisionChanges = "request_changes"
	decisionFinding = "finding"
)

// startReview moves a submitted assessment into review; reviewing anything else is refused.
func (s *Server) startReview(c *gin.Context, a *rw.Assessment) (*rw.Assessment, error) {
	switch a.State {
	case rw.StateInReview:
		return a, nil
	case rw.StateSubmitted, rw.StateChangesRequested:
		return s.transition(c, a, rw.StateInReview, "")
	}
	return nil, rw.Errorf(rw.ECONFLICT, "Only a submitted assessment can be reviewed; this one is %s.", strings.ToLower(a.State.Label()))
}

// reviewQuestion records the verdict on one question: accept it, send it back with a comment
// (the vendor gets exactly these questions back), or raise a finding on its control.
func (s *Server) reviewQuestion(ctx context.Context, a *rw.Assessment, qid, decision, comment, severity, actor string) error {
	lib, err := s.libraryOf(a)
	if err != nil {
		return err
	}
	q, ctl, ok := lib.Question(qid)
	if !ok {
		return rw.FieldError("question", "There is no question %q in %s %s.", qid, a.Library, a.LibraryVersion)
	}
	comment = strings.TrimSpace(comment)
	switch decision {
	case decisionAccept:
		return s.deps.Assessments.ReviewAnswer(ctx, a.ID, q.ID, rw.ReviewAccepted, comment, actor)
	case decisionChanges:
		if comment == "" {
			return rw.FieldError("comment", "Tell the vendor what to change.")
		}
		return s.deps.Assessments.ReviewAnswer(ctx, a.ID, q.ID, rw.ReviewChanges, comment, actor)
	case decisionFinding:
		if severity == "" {
			severity = ctl.Severity
		}
		f := &rw.Finding{AssessmentID: a.ID, ControlID: ctl.ID, QuestionID: q.ID, Severity: severity, Title: comment, CreatedBy: actor}
		if err := s.deps.Assessments.AddFinding(ctx, f); err != nil {
			return err
		}
		return s.deps.Assessments.ReviewAnswer(ctx, a.ID, q.ID, rw.ReviewFinding, comment, actor)
	}
	return rw.FieldError("decision", "Decision must be accept, request_changes or finding (got %q).", decision)
}

// returnToVendor sends the assessment back when at least one question awaits changes.
func (s *Server) returnToVendor(c *gin.Context, a *rw.Assessment) (*rw.Assessment, error) {
	answers, err := s.deps.Assessments.FindAnswers(c.Request.Context(), a.ID)
	if err != nil {
		return nil, err
	}
	var back []string
	for _, x := range answers {
		if x.Review == rw.ReviewChanges {
			back = append(back, x.QuestionID)
		}
	}
	if len(back) == 0 {
		return nil, rw.Errorf(rw.ECONFLICT, "Request changes on at least one question before sending the assessment back.")
	}
	return s.transition(c, a, rw.StateChangesRequested, "Changes requested on "+strings.Join(back, ", "))
}

type reviewInput struct {
	Decisions []struct {
		Question string `json:"question" validate:"required"`
		Decision string `json:"decision" validate:"required"`
		Comment  string `json:"comment" validate:"max=5000"`
		Severity string `json:"severity"`
	} `json:"decisions" validate:"dive"`
	ReturnToVendor bool `json:"return_to_vendor"`
}

// apiAssessmentReview starts the review if needed, records per-question decisions and, when
// asked, sends the assessment back to the vendor.
func (s *Server) apiAssessmentReview(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	var in reviewInput
	if err := s.bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	a, err := s.startReview(c, a)
	for i := 0; err == nil && i < len(in.Decisions); i++ {
		d := in.Decisions[i]
		err = s.reviewQuestion(c.Request.Context(), a, d.Question, d.Decision, d.Comment, d.Severity, actorOf(c))
	}
	if err == nil && in.ReturnToVendor {
		a, err = s.returnToVendor(c, a)
	} else if err == nil {
		_, err = s.refresh(c.Request.Context(), a)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	a, _ = s.deps.Assessments.FindAssessmentByID(c.Request.Context(), a.ID)
	c.JSON(http.StatusOK, s.toAssessmentJSON(a))
}

type resolutionInput struct {
	Key     string `json:"key" form:"key" validate:"required"`
	Outcome string `json:"outcome" form:"outcome"`
	Reason  string `json:"reason" form:"reason"`
}

// resolve settles one open discrepancy of the assessment.
func (s *Server) resolve(c *gin.Context, a *rw.Assessment, in resolutionInput) error {
	r, _, err := s.evaluate(c.Request.Context(), a)
	if err != nil {
		return err
	}
	found := false
	for _, d := range r.Discrepancies {
		found = found || d.Key == in.Key
	}
	if !found {
		return rw.FieldError("key", "There is no discrepancy %q in this assessment.", in.Key)
	}
	res := &rw.Resolution{AssessmentID: a.ID, Key: in.Key, Outcome: in.Outcome, Reason: in.Reason, ResolvedBy: actorOf(c)}
	if err := s.deps.Assessments.ResolveDiscrepancy(c.Request.Context(), res); err != nil {
		return err
	}
	_, err = s.refresh(c.Request.Context(), a)
	return err
}

func (s *Server) apiResolveDiscrepancy(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	var in resolutionInput
	err := s.bindJSON(c, &in)
	if err == nil {
		err = s.resolve(c, a, in)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"resolved": in.Key})
}

type waiverInput struct {
	Control       string `json:"control" form:"control" validate:"required"`
	Justification string `json:"justification" form:"justification"`
	ExpiresAt     string `json:"expires_at" form:"expires_at"`
}

func (s *Server) waive(c *gin.Context, a *rw.Assessment, in waiverInput) error {
	lib, err := s.libraryOf(a)
	if err != nil {
		return err
	}
	if _, ok := lib.Control(in.Control); !ok {
		return rw.FieldError("control", "There is no control %q in %s %s.", in.Control, a.Library, a.LibraryVersion)
	}
	w := &rw.Waiver{AssessmentID: a.ID, ControlID: in.Control, Justification: in.Justification, CreatedBy: actorOf(c)}
	if d := parseDay(in.ExpiresAt); d != nil {
		w.ExpiresAt = *d
	}
	if err := s.deps.Assessments.AddWaiver(c.Request.Context(), w); err != nil {
		return err
	}
	_, err = s.refresh(c.Request.Context(), a)
	return err
}

func (s *Server) apiWaive(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	var in waiverInput
	err := s.bindJSON(c, &in)
	if err == nil {
		err = s.waive(c, a, in)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"control": in.Control, "expires_at": in.ExpiresAt})
}

type dueInput struct {
	DueDate string `json:"due_date" form:"due_date"`
}

// extendDue moves the due date later (never earlier, never into the past).
func (s *Server) extendDue(c *gin.Context, a *rw.Assessment, in dueInput) (*rw.Assessment, error) {
	d := parseDay(in.DueDate)
	if d == nil {
		return nil, rw.FieldError("due_date", "Due date must be a date (YYYY-MM-DD).")
	}
	if !d.After(a.DueDate) || d.Before(s.now().Truncate(24*time.Hour)) {
		return nil, rw.FieldError("due_date", "The new due date must be after %s and not in the past.", a.DueDate.Format(time.DateOnly))
	}
	if a.State.Final() {
		return nil, rw.Errorf(rw.ECONFLICT, "The assessment is closed.")
	}
	ev := rw.Event(a.ID, actorOf(c), "assessment.due_extended", "%s → %s", a.DueDate.Format(time.DateOnly), d.Format(time.DateOnly))
	return s.deps.Assessments.UpdateAssessment(c.Request.Context(), a.ID, rw.AssessmentUpdate{DueDate: d}, &ev)
}

func (s *Server) apiExtendDue(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	var in dueInput
	err := s.bindJSON(c, &in)
	if err == nil {
		a, err = s.extendDue(c, a, in)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.toAssessmentJSON(a))
}
