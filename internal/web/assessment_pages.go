package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
)

type assessmentListView struct {
	Title       string
	Assessments []*rw.Assessment
	Total       int
	Q, State    string
	Overdue     bool
	States      []rw.AssessmentState
	Queue       bool
	Now         time.Time
	Vendors     []*rw.Vendor
	VendorID    int64
	Next        map[int64]rw.NextStep
	Work        string // the "my work" filter: "", rw.WorkAssigned or rw.WorkRole
	// Mine and Others split the review queue: the assessments whose next step is the
	// signed-in user's role, and the rest.
	Mine, Others []*rw.Assessment
	// SameTitle is the one title every listed assessment shares, shown once above the table
	// instead of in every row ("" when the titles differ: the table has a title column).
	SameTitle string
}

// sameTitle returns the title all assessments share, or "" when they differ.
func sameTitle(list []*rw.Assessment) string {
	if len(list) < 2 {
		return ""
	}
	for _, a := range list[1:] {
		if a.Title != list[0].Title {
			return ""
		}
	}
	return list[0].Title
}

func (v assessmentListView) PageTitle() string { return v.Title }

func (s *Server) assessmentList(c *gin.Context) {
	f := s.assessmentFilter(c)
	work, err := workFilter(c, &f)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.listAssessments(c, f, false, work)
}

// reviewQueue lists what waits for an analyst or a risk officer: submitted and in review,
// oldest due first.
func (s *Server) reviewQueue(c *gin.Context) {
	f := s.assessmentFilter(c)
	f.States = []rw.AssessmentState{rw.StateSubmitted, rw.StateInReview}
	s.listAssessments(c, f, true, "")
}

// listAssessments renders a list; work is the "my work" filter (see workFilter).
func (s *Server) listAssessments(c *gin.Context, f rw.AssessmentFilter, queue bool, work string) {
	if wantsCSV(c) {
		s.assessmentCSV(c, f)
		return
	}
	if err := s.assessmentsConfigured(); err != nil {
		s.fail(c, err)
		return
	}
	f.Limit = 200
	if work == rw.WorkRole { // the step is decided per row, after the query
		f.Limit = 1000
	}
	list, total, err := s.deps.Assessments.FindAssessments(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	vendors, _, err := s.deps.Vendors.FindVendors(c.Request.Context(), rw.VendorFilter{Limit: 1000})
	if err != nil {
		s.fail(c, err)
		return
	}
	v := assessmentListView{Title: "Assessments", Assessments: list, Total: total, Q: f.Query, State: c.Query("state"), Overdue: f.Overdue,
		States: rw.AssessmentStates, Queue: queue, Now: s.now(), Vendors: vendors, VendorID: f.VendorID}
	if v.Next, err = s.nextSteps(c.Request.Context(), list); err != nil {
		s.fail(c, err)
		return
	}
	v.Work = work
	if work == rw.WorkRole {
		v.Assessments = waitingFor(list, v.Next, currentUser(c).Role)
		v.Total = len(v.Assessments)
	}
	v.SameTitle = sameTitle(v.Assessments)
	if queue {
		v.Title = "Review queue"
		role := currentUser(c).Role
		for _, a := range list {
			if v.Next[a.ID].For(role) {
				v.Mine = append(v.Mine, a)
			} else {
				v.Others = append(v.Others, a)
			}
		}
	}
	s.render(c, http.StatusOK, "assessments", v)
}

type assessmentFormView struct {
	In      assessmentInput
	Vendors []*rw.Vendor
	Errors  map[string]string
}

func (assessmentFormView) PageTitle() string { return "New assessment" }

func (s *Server) assessmentNew(c *gin.Context) {
	in := assessmentInput{DueDate: s.now().AddDate(0, 0, 30).Format(time.DateOnly)}
	in.VendorID, _ = strconv.ParseInt(c.Query("vendor"), 10, 64)
	s.renderAssessmentForm(c, http.StatusOK, in, nil)
}

func (s *Server) renderAssessmentForm(c *gin.Context, status int, in assessmentInput, errs map[string]string) {
	vendors, _, err := s.deps.Vendors.FindVendors(c.Request.Context(), rw.VendorFilter{Limit: 1000})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, "assessment_new", assessmentFormView{In: in, Vendors: vendors, Errors: errs})
}

func (s *Server) assessmentCreate(c *gin.Context) {
	var in assessmentInput
	_ = c.ShouldBind(&in)
	a, err := s.newAssessment(c.Request.Context(), in.VendorID, in.Title, in.ContactEmail, in.due(), actorOf(c))
	if err != nil {
		if rw.ErrorCode(err) != rw.EINVALID {
			s.fail(c, err)
			return
		}
		s.renderAssessmentForm(c, http.StatusBadRequest, in, fieldErrors(err))
		return
	}
	s.redirectFlash(c, fmt.Sprintf("/assessments/%d", a.ID), "Draft created: "+strconv.Itoa(len(a.Scope))+" provider type(s) in scope. Review it, then send it.")
}

// fieldErrors turns a validation error into messages by field.
func fieldErrors(err error) map[string]string {
	if ve, ok := err.(rw.ValidationErrors); ok {
		return ve.ByField()
	}
	f := rw.ErrorField(err)
	if f == "" {
		f = "_"
	}
	return map[string]string{f: rw.ErrorMessage(err)}
}

type assessmentView struct {
	A           *rw.Assessment
	R           score.Report
	In          score.Input
	Invitations []*rw.Invitation
	Events      []*rw.AuditEvent
	Evidence    []*rw.EvidenceFile
	Disputes    []*rw.Dispute
	Comments    []*rw.Comment
	InviteLink  string
	Error       string
	Now         time.Time
	MailEnabled bool
	Levels      []string
	Owners      []*rw.User // who may be assigned, for users who may assign
	V           verdict
	approvalState
	handoff
}

func (v assessmentView) PageTitle() string { return v.A.VendorName + " — " + v.A.Title }

// Stale reports whether a captured measurement is older than the staleness limit of figures.
func (v assessmentView) Stale(m rw.Measurement) bool { return v.Now.Sub(m.ComputedAt) > staleAfter }

// AnyStale reports whether any captured measurement is stale.
func (v assessmentView) AnyStale() bool {
	for _, m := range v.In.Measurements {
		if v.Stale(m) {
			return true
		}
	}
	return false
}

func (s *Server) assessmentShow(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if ok {
		s.renderAssessment(c, http.StatusOK, a, "", "")
	}
}

// renderAssessment shows the detail page; link is a freshly issued invitation link (shown once),
// msg an error to show above the actions.
func (s *Server) renderAssessment(c *gin.Context, status int, a *rw.Assessment, link, msg string) {
	ctx := c.Request.Context()
	r, in, err := s.evaluate(ctx, a)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := assessmentView{A: a, R: r, In: in, InviteLink: link, Error: msg, Now: s.now(), MailEnabled: s.deps.MailEnabled}
	if v.Invitations, err = s.deps.Invitations.FindInvitations(ctx, a.ID); err == nil {
		if v.Evidence, err = s.deps.Assessments.FindEvidence(ctx, a.ID); err == nil {
			if v.Disputes, err = s.deps.Assessments.FindDisputes(ctx, a.ID); err == nil {
				v.Comments, err = s.deps.Assessments.FindComments(ctx, a.ID)
			}
		}
	}
	if err == nil && s.deps.Audit != nil {
		v.Events, err = s.deps.Audit.FindAuditEvents(ctx, a.ID)
	}
	if err == nil {
		v.approvalState, err = s.approvalState(ctx, a)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if u := currentUser(c); err == nil && u != nil && u.Role.Can(rw.PermAssessmentWrite) {
		v.Owners, err = s.owners(c)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	v.handoff = s.handoffOf(a, r, v.Current != nil)
	v.V = verdictOf(a, r, in)
	s.render(c, status, "assessment", v)
}

// afterAction shows the outcome of a form action: back to the page with a flash on success,
// the page with the error otherwise.
func (s *Server) afterAction(c *gin.Context, a *rw.Assessment, err error, ok string) {
	if err == nil {
		s.redirectFlash(c, fmt.Sprintf("/assessments/%d", a.ID), ok)
		return
	}
	if code := rw.ErrorCode(err); code == rw.EINTERNAL || code == rw.ENOTFOUND {
		s.fail(c, err)
		return
	}
	if fresh, ferr := s.deps.Assessments.FindAssessmentByID(c.Request.Context(), a.ID); ferr == nil {
		a = fresh
	}
	s.renderAssessment(c, statusOf[rw.ErrorCode(err)], a, "", rw.ErrorMessage(err))
}

func (s *Server) assessmentSend(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	link, err := s.send(c, a)
	if err != nil {
		s.afterAction(c, a, err, "")
		return
	}
	a, _ = s.deps.Assessments.FindAssessmentByID(c.Request.Context(), a.ID)
	if s.deps.MailEnabled {
		s.redirectFlash(c, fmt.Sprintf("/assessments/%d", a.ID), "Invitation e-mailed to "+a.ContactEmail+".")
		return
	}
	s.renderAssessment(c, http.StatusOK, a, link, "")
}

// assessmentRemind re-issues the link (the old one stops working) and shows or mails it.
func (s *Server) assessmentRemind(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	if !a.State.VendorCanEdit() {
		s.afterAction(c, a, rw.Errorf(rw.ECONFLICT, "Only an assessment waiting for the vendor can be chased."), "")
		return
	}
	link, err := s.issueLink(c, a, a.ContactEmail, "", "reminder", actorOf(c))
	if err != nil || s.deps.MailEnabled {
		s.afterAction(c, a, err, "Reminder e-mailed to "+a.ContactEmail+"; the previous link no longer works.")
		return
	}
	s.renderAssessment(c, http.StatusOK, a, link, "")
}

func (s *Server) invitationRevoke(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	iid, err := vendorID(c, "iid")
	if err == nil {
		err = s.deps.Invitations.RevokeInvitation(c.Request.Context(), a.ID, iid, actorOf(c))
	}
	s.afterAction(c, a, err, "Link revoked; it no longer opens the questionnaire.")
}

func (s *Server) assessmentCancel(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	_, err := s.transition(c, a, rw.StateCancelled, c.PostForm("note"))
	s.afterAction(c, a, err, "Assessment cancelled.")
}

func (s *Server) assessmentDue(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	_, err := s.extendDue(c, a, dueInput{DueDate: c.PostForm("due_date")})
	s.afterAction(c, a, err, "Due date extended to "+c.PostForm("due_date")+".")
}

func (s *Server) assessmentDecide(to rw.AssessmentState) gin.HandlerFunc {
	return func(c *gin.Context) {
		a, ok := s.loadAssessment(c)
		if !ok {
			return
		}
		_, err := s.decide(c, a, to, c.PostForm("note"))
		if code := rw.ErrorCode(err); code == rw.EINVALID || code == rw.ECONFLICT {
			// Back to the confirmation, with the note kept and the reason next to the form.
			if fresh, ferr := s.deps.Assessments.FindAssessmentByID(c.Request.Context(), a.ID); ferr == nil {
				a = fresh
			}
			s.renderConfirm(c, statusOf[code], a, string(to), c.PostForm("note"), rw.ErrorMessage(err))
			return
		}
		s.afterAction(c, a, err, "Assessment "+string(to)+".")
	}
}

func (s *Server) evidenceDownload(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	s.sendEvidence(c, a.ID)
}

// sendEvidence serves a stored evidence file as a download, never rendered inline.
func (s *Server) sendEvidence(c *gin.Context, assessmentID int64) {
	eid, err := vendorID(c, "eid")
	var f *rw.EvidenceFile
	if err == nil {
		f, err = s.deps.Assessments.OpenEvidence(c.Request.Context(), assessmentID, eid)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	writeEvidence(c, f)
}

// writeEvidence sends an evidence file as a download.
func writeEvidence(c *gin.Context, f *rw.EvidenceFile) {
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=%q", safeFileName(f.Name)))
	c.Header("X-Evidence-SHA256", f.SHA256)
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, f.MediaType, f.Data)
}

func (s *Server) assessmentRemeasure(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if ok {
		s.afterAction(c, a, s.remeasure(c, a), "Measurements refreshed from the current routing data.")
	}
}
