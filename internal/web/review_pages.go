package web

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"routewarden/internal/control"
	"routewarden/internal/report"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
)

// reviewItem is one visible question with its answer, evidence and comments for the reviewer.
type reviewItem struct {
	Control  *control.Control
	Q        *control.Question
	Answer   *rw.Answer
	Evidence []*rw.EvidenceFile
	Comments []*rw.Comment
	History  []*rw.AnswerVersion
	Result   score.ControlResult
	First    bool // first question of its control
	// Paths are differences between what the vendor declared about its upstreams and the
	// upstreams observed in BGP paths, on the first question of the control concerned.
	Paths []report.Discrepancy
}

type reviewView struct {
	A        *rw.Assessment
	R        score.Report
	Items    []reviewItem
	Error    string
	Changes  int
	Pending  int
	Findings []*rw.Finding
	V        verdict
	// Failed is the decision that was not recorded, shown again on its question with
	// QuestionError next to it.
	Failed        decisionForm
	QuestionError string
	handoff
}

// Choice returns the decision to show as chosen on question qid: the one that failed there,
// else none.
func (v reviewView) Choice(qid string) decisionForm {
	if v.Failed.Question == qid {
		return v.Failed
	}
	return decisionForm{}
}

func (v reviewView) PageTitle() string { return "Review — " + v.A.VendorName }

func (s *Server) reviewPage(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if ok {
		s.renderReview(c, http.StatusOK, a, "", decisionForm{})
	}
}

// renderReview shows the review page; msg is an error for the page, or, with failed.Question
// set, for that question (shown next to it with the choice kept).
func (s *Server) renderReview(c *gin.Context, status int, a *rw.Assessment, msg string, failed decisionForm) {
	ctx := c.Request.Context()
	r, in, err := s.evaluate(ctx, a)
	if err != nil {
		s.fail(c, err)
		return
	}
	files, err := s.deps.Assessments.FindEvidence(ctx, a.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	comments, err := s.deps.Assessments.FindComments(ctx, a.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	hist, err := s.deps.Assessments.FindAnswerHistory(ctx, a.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	st, err := s.approvalState(ctx, a)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := reviewView{A: a, R: r, Error: msg, Findings: in.Findings, handoff: s.handoffOf(a, r, st.Current != nil), V: verdictOf(a, r, in), Failed: failed}
	if failed.Question != "" {
		v.Error, v.QuestionError = "", msg
	}
	v.Items, v.Changes, v.Pending = reviewItems(in, r, files, comments, hist)
	s.attachPathDifferences(c, a, in, v.Items)
	if v.QuestionError != "" && !slices.ContainsFunc(v.Items, func(it reviewItem) bool { return it.Q.ID == failed.Question }) {
		v.Error, v.QuestionError, v.Failed = v.QuestionError, "", decisionForm{} // no such question on the page
	}
	s.render(c, status, "review", v)
}

// attachPathDifferences puts the differences between the vendor's declared and observed
// upstreams (report.PathDifferences) on the first question of their control. Routing data that
// cannot be loaded leaves them out (logged): the review goes on without them.
func (s *Server) attachPathDifferences(c *gin.Context, a *rw.Assessment, in score.Input, items []reviewItem) {
	if s.deps.Evidence == nil {
		return
	}
	ctx := c.Request.Context()
	d, err := s.deps.Evidence.Data(ctx)
	if err != nil {
		s.log.Warn("review: routing data for declared upstreams", "assessment", a.ID, "err", err)
		return
	}
	v, err := s.deps.Vendors.FindVendorByID(ctx, a.VendorID)
	if err != nil {
		s.log.Warn("review: vendor for declared upstreams", "assessment", a.ID, "err", err)
		return
	}
	answers := make([]*rw.Answer, 0, len(in.Answers))
	for _, x := range in.Answers {
		answers = append(answers, x)
	}
	for _, diff := range report.PathDifferences(v, a.ID, answers, d) {
		for i := range items {
			if items[i].First && items[i].Control.ID == diff.Control {
				items[i].Paths = append(items[i].Paths, diff)
				break
			}
		}
	}
}

// reviewItems lists the visible questions in library order with their answers, files, comments
// and earlier versions, and counts those sent back and those awaiting a decision.
func reviewItems(in score.Input, r score.Report, files []*rw.EvidenceFile, comments []*rw.Comment, hist []*rw.AnswerVersion) (items []reviewItem, changes, pending int) {
	values := answerMap(in.Answers)
	for _, ctl := range in.Library.ForProviders(in.Scope) {
		res, _ := r.Control(ctl.ID)
		first := true
		for qi := range ctl.Questions {
			q := &ctl.Questions[qi]
			if !in.Library.Visible(q.ID, values) {
				continue
			}
			it := reviewItem{Control: ctl, Q: q, Answer: in.Answers[q.ID], Result: res, First: first}
			first = false
			for _, f := range files {
				if f.QuestionID == q.ID {
					it.Evidence = append(it.Evidence, f)
				}
			}
			for _, cm := range comments {
				if cm.QuestionID == q.ID {
					it.Comments = append(it.Comments, cm)
				}
			}
			for _, h := range hist {
				if h.QuestionID == q.ID {
					it.History = append(it.History, h)
				}
			}
			if it.Answer != nil && it.Answer.Review == rw.ReviewChanges {
				changes++
			}
			// Awaiting a decision: answered, not yet decided — the rule of score's Progress, so
			// that this page and the "next step" count the same answers.
			if a := it.Answer; a != nil && !a.Empty() && (a.Review == rw.ReviewPending || a.Review == rw.ReviewResubmitted) {
				pending++
			}
			items = append(items, it)
		}
	}
	return items, changes, pending
}

// reviewFail shows the review page again with the error, or the error page for a bug.
func (s *Server) reviewFail(c *gin.Context, a *rw.Assessment, err error) {
	s.reviewFailOn(c, a, err, decisionForm{})
}

// reviewFailOn is reviewFail for the decision on one question: a invalid decision is shown on
// that question with the user's choice kept.
func (s *Server) reviewFailOn(c *gin.Context, a *rw.Assessment, err error, failed decisionForm) {
	if rw.ErrorCode(err) != rw.EINVALID {
		failed = decisionForm{}
	}
	if code := rw.ErrorCode(err); code == rw.EINTERNAL || code == rw.ENOTFOUND {
		s.fail(c, err)
		return
	}
	if fresh, ferr := s.deps.Assessments.FindAssessmentByID(c.Request.Context(), a.ID); ferr == nil {
		a = fresh
	}
	s.renderReview(c, statusOf[rw.ErrorCode(err)], a, rw.ErrorMessage(err), failed)
}

func (s *Server) reviewStart(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	if _, err := s.startReview(c, a); err != nil {
		s.afterAction(c, a, err, "")
		return
	}
	s.redirectFlash(c, fmt.Sprintf("/assessments/%d/review", a.ID), "Review started.")
}

type decisionForm struct {
	Question string `form:"question"`
	Decision string `form:"decision"`
	Comment  string `form:"comment"`
	Severity string `form:"severity"`
}

// reviewDecide records the verdict on one question.
func (s *Server) reviewDecide(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	var f decisionForm
	_ = c.ShouldBind(&f)
	var err error
	if a.State != rw.StateInReview {
		err = rw.Errorf(rw.ECONFLICT, "Start the review first (the assessment is %s).", a.State.Label())
	} else if err = s.reviewQuestion(c.Request.Context(), a, f.Question, f.Decision, f.Comment, f.Severity, actorOf(c)); err == nil {
		_, err = s.refresh(c.Request.Context(), a)
	}
	if err != nil {
		s.reviewFailOn(c, a, err, f)
		return
	}
	s.setCookie(c, "rw_flash", "Recorded: "+f.Question+" "+f.Decision+".", 60)
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/assessments/%d/review#q-%s", a.ID, f.Question))
}

func (s *Server) reviewReturn(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	if _, err := s.returnToVendor(c, a); err != nil {
		s.reviewFail(c, a, err)
		return
	}
	s.redirectFlash(c, fmt.Sprintf("/assessments/%d", a.ID), "Sent back to the vendor with the questions marked for changes.")
}

func (s *Server) reviewResolve(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	var in resolutionInput
	_ = c.ShouldBind(&in)
	s.afterAction(c, a, s.resolve(c, a, in), "Discrepancy "+in.Key+" resolved.")
}

func (s *Server) reviewWaive(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	var in waiverInput
	_ = c.ShouldBind(&in)
	s.afterAction(c, a, s.waive(c, a, in), "Risk of "+in.Control+" waived until "+in.ExpiresAt+".")
}

// findingResolve closes a finding once the vendor fixed the weakness.
func (s *Server) findingResolve(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	fid, err := vendorID(c, "fid")
	if err == nil {
		if a.State.Final() {
			err = rw.Errorf(rw.ECONFLICT, "The assessment is closed.")
		} else if err = s.deps.Assessments.ResolveFinding(c.Request.Context(), a.ID, fid, c.PostForm("note"), actorOf(c)); err == nil {
			_, err = s.refresh(c.Request.Context(), a)
		}
	}
	s.afterAction(c, a, err, "Finding resolved.")
}

// reviewAcceptPending accepts, in one go, every answered question still awaiting a decision
// (new or resubmitted answers); questions sent back or with findings keep their verdict.
func (s *Server) reviewAcceptPending(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	if a.State != rw.StateInReview {
		s.reviewFail(c, a, rw.Errorf(rw.ECONFLICT, "Start the review first (the assessment is %s).", a.State.Label()))
		return
	}
	_, in, err := s.evaluate(c.Request.Context(), a)
	n := 0
	for id, x := range in.Answers {
		if err != nil {
			break
		}
		if (x.Review == rw.ReviewPending || x.Review == rw.ReviewResubmitted) && !x.Empty() && in.Library.Visible(id, answerMap(in.Answers)) {
			err = s.deps.Assessments.ReviewAnswer(c.Request.Context(), a.ID, id, rw.ReviewAccepted, "", actorOf(c))
			n++
		}
	}
	if err == nil {
		_, err = s.refresh(c.Request.Context(), a)
	}
	if err != nil {
		s.reviewFail(c, a, err)
		return
	}
	s.redirectFlash(c, fmt.Sprintf("/assessments/%d/review", a.ID), fmt.Sprintf("Accepted %d answer(s).", n))
}
