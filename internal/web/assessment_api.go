package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
)

type assessmentJSON struct {
	ID             int64          `json:"id"`
	Vendor         vendorRefJSON  `json:"vendor"`
	Title          string         `json:"title"`
	State          string         `json:"state"`
	DueDate        string         `json:"due_date"`
	Overdue        bool           `json:"overdue"`
	Library        string         `json:"library"`
	LibraryVersion string         `json:"library_version"`
	LibraryDigest  string         `json:"library_digest"`
	Scope          []string       `json:"scope"`
	ContactEmail   string         `json:"contact_email"`
	Scores         rw.Summary     `json:"scores"`
	Version        int            `json:"version"`
	CreatedBy      string         `json:"created_by"`
	Assignee       string         `json:"assignee"` // the owner's e-mail, "" for nobody
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
	SubmittedAt    *time.Time     `json:"submitted_at,omitempty"`
	DecidedAt      *time.Time     `json:"decided_at,omitempty"`
	NextStep       *nextStepJSON  `json:"next_step,omitempty"` // in lists and GET: who acts next and why
	Detail         *assessmentRep `json:"result,omitempty"`
	Audit          []auditJSON    `json:"audit,omitempty"`
}

// nextStepJSON is rw.NextStep: the party the assessment waits for ("" when it waits for
// nobody), why, and the sentence the pages show.
type nextStepJSON struct {
	Party   string `json:"party"`
	Why     string `json:"why"`
	Text    string `json:"text"`
	Overdue bool   `json:"overdue"`
}

// withNextSteps fills next_step of rows from list (same order).
func (s *Server) withNextSteps(ctx context.Context, rows []assessmentJSON, list []*rw.Assessment) error {
	steps, err := s.nextSteps(ctx, list)
	if err != nil {
		return err
	}
	for i, a := range list {
		n := steps[a.ID]
		rows[i].NextStep = &nextStepJSON{Party: string(n.Party), Why: n.Why, Text: n.String(), Overdue: n.Overdue}
	}
	return nil
}

// auditJSON is one entry of the assessment's hash-chained audit trail.
type auditJSON struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Detail   string    `json:"detail"`
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

type vendorRefJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Demo bool   `json:"demo"`
}

// assessmentRep is the full result of an assessment: control results with their basis,
// readiness per MANRS action (keyed by action ID), discrepancies, findings and waivers.
type assessmentRep struct {
	Controls      []score.ControlResult      `json:"controls"`
	Readiness     map[string]score.Readiness `json:"readiness"`
	Discrepancies []score.Discrepancy        `json:"discrepancies"`
	Findings      []findingJSON              `json:"findings"`
	Waivers       []waiverJSON               `json:"waivers"`
	Progress      progressJSON               `json:"progress"`
	Inherent      score.Inherent             `json:"inherent_risk"`
	Residual      score.Residual             `json:"residual_risk"`
	Card          score.Card                 `json:"evaluation_card"`
}

type findingJSON struct {
	ID        int64     `json:"id"`
	Control   string    `json:"control"`
	Question  string    `json:"question,omitempty"`
	Severity  string    `json:"severity"`
	Title     string    `json:"title"`
	Status    string    `json:"status"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

type waiverJSON struct {
	Control       string    `json:"control"`
	Justification string    `json:"justification"`
	ExpiresAt     string    `json:"expires_at"`
	Active        bool      `json:"active"`
	CreatedBy     string    `json:"created_by"`
	CreatedAt     time.Time `json:"created_at"`
}

type progressJSON struct {
	Share           float64  `json:"share"`
	Complete        bool     `json:"complete"`
	Missing         []string `json:"missing_answers"`
	MissingEvidence []string `json:"missing_evidence"`
}

func (s *Server) toAssessmentJSON(a *rw.Assessment) assessmentJSON {
	return assessmentJSON{ID: a.ID, Vendor: vendorRefJSON{a.VendorID, a.VendorName, a.VendorDemo}, Title: a.Title, State: string(a.State),
		DueDate: a.DueDate.Format(time.DateOnly), Overdue: a.Overdue(s.now()), Library: a.Library, LibraryVersion: a.LibraryVersion,
		LibraryDigest: a.LibraryDigest, Scope: a.ScopeStrings(), ContactEmail: a.ContactEmail, Scores: a.Summary, Version: a.Version,
		CreatedBy: a.CreatedBy, Assignee: a.Assignee, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, SubmittedAt: a.SubmittedAt, DecidedAt: a.DecidedAt}
}

func toReportJSON(r score.Report, in score.Input, now time.Time) *assessmentRep {
	out := &assessmentRep{Controls: r.Controls, Readiness: map[string]score.Readiness{}, Discrepancies: r.Discrepancies,
		Findings: []findingJSON{}, Waivers: []waiverJSON{}, Inherent: r.Inherent, Residual: r.Residual, Card: r.Card,
		Progress: progressJSON{Share: r.Progress.Share(), Complete: r.Progress.Complete(), Missing: r.Progress.Missing, MissingEvidence: r.Progress.MissingEvidence}}
	if out.Discrepancies == nil {
		out.Discrepancies = []score.Discrepancy{}
	}
	for _, a := range r.Readiness {
		out.Readiness[a.Action] = a
	}
	for _, f := range in.Findings {
		out.Findings = append(out.Findings, findingJSON{f.ID, f.ControlID, f.QuestionID, f.Severity, f.Title, f.Status, f.CreatedBy, f.CreatedAt})
	}
	for _, w := range in.Waivers {
		out.Waivers = append(out.Waivers, waiverJSON{w.ControlID, w.Justification, w.ExpiresAt.Format(time.DateOnly), w.Active(now), w.CreatedBy, w.CreatedAt})
	}
	return out
}

// assessmentFilter reads the list filters shared by the page and the API.
func (s *Server) assessmentFilter(c *gin.Context) rw.AssessmentFilter {
	f := rw.AssessmentFilter{Query: c.Query("q"), Overdue: c.Query("overdue") == "yes" || c.Query("overdue") == "true", Now: s.now()}
	for _, st := range strings.Split(c.Query("state"), ",") {
		if st := rw.AssessmentState(strings.TrimSpace(st)); st.Valid() {
			f.States = append(f.States, st)
		}
	}
	if v := c.Query("vendor"); v != "" {
		var id int64
		if _, err := fmtSscan(v, &id); err == nil {
			f.VendorID = id
		}
	}
	return f
}

func (s *Server) apiAssessmentList(c *gin.Context) {
	if err := s.assessmentsConfigured(); err != nil {
		s.fail(c, err)
		return
	}
	f := s.assessmentFilter(c)
	f.Offset, f.Limit = queryInt(c, "offset", 0), min(queryInt(c, "limit", 100), 1000)
	list, total, err := s.deps.Assessments.FindAssessments(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	rows := make([]assessmentJSON, len(list))
	for i, a := range list {
		rows[i] = s.toAssessmentJSON(a)
	}
	if err := s.withNextSteps(c.Request.Context(), rows, list); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"assessments": rows, "total": total, "offset": f.Offset, "limit": f.Limit})
}

func (s *Server) apiAssessmentGet(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	r, in, err := s.evaluate(c.Request.Context(), a)
	if err != nil {
		s.fail(c, err)
		return
	}
	rows := []assessmentJSON{s.toAssessmentJSON(a)}
	if err := s.withNextSteps(c.Request.Context(), rows, []*rw.Assessment{a}); err != nil {
		s.fail(c, err)
		return
	}
	out := rows[0]
	out.Detail = toReportJSON(r, in, s.now())
	if s.deps.Audit != nil {
		evs, err := s.deps.Audit.FindAuditEvents(c.Request.Context(), a.ID)
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, e := range evs {
			out.Audit = append(out.Audit, auditJSON{e.ID, e.At, e.Actor, e.Action, e.Detail, e.PrevHash, e.Hash})
		}
	}
	c.JSON(http.StatusOK, out)
}

type assessmentInput struct {
	VendorID     int64  `json:"vendor_id" form:"vendor_id"`
	Title        string `json:"title" form:"title" validate:"max=200"`
	DueDate      string `json:"due_date" form:"due_date"`
	ContactEmail string `json:"contact_email" form:"contact_email"`
}

func (in assessmentInput) due() time.Time {
	if d := parseDay(in.DueDate); d != nil {
		return *d
	}
	return time.Time{}
}

func (s *Server) apiAssessmentCreate(c *gin.Context) {
	var in assessmentInput
	if err := s.bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	a, err := s.newAssessment(c.Request.Context(), in.VendorID, in.Title, in.ContactEmail, in.due(), actorOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	a, _ = s.deps.Assessments.FindAssessmentByID(c.Request.Context(), a.ID)
	c.JSON(http.StatusCreated, s.toAssessmentJSON(a))
}

// apiAssessmentSend sends a draft (or re-sends a sent assessment) with a fresh link. Without
// SMTP the link is in the answer, to be passed on by hand.
func (s *Server) apiAssessmentSend(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	link, err := s.send(c, a)
	if err != nil {
		s.fail(c, err)
		return
	}
	a, _ = s.deps.Assessments.FindAssessmentByID(c.Request.Context(), a.ID)
	body := gin.H{"assessment": s.toAssessmentJSON(a), "mailed": s.deps.MailEnabled}
	if !s.deps.MailEnabled {
		body["invitation_url"] = link
	}
	c.JSON(http.StatusOK, body)
}

// send invites the assessment's contact and moves it to sent (assess.Service.Send).
func (s *Server) send(c *gin.Context, a *rw.Assessment) (string, error) {
	return s.assess.Send(c.Request.Context(), a, actorOf(c))
}

type noteInput struct {
	Note string `json:"note" form:"note" validate:"max=5000"`
}

// apiAssessmentAction returns a handler for a plain state change with an optional note.
func (s *Server) apiAssessmentAction(to rw.AssessmentState) gin.HandlerFunc {
	return func(c *gin.Context) {
		a, ok := s.loadAssessment(c)
		if !ok {
			return
		}
		var in noteInput
		if c.Request.ContentLength != 0 {
			if err := s.bindJSON(c, &in); err != nil {
				s.fail(c, err)
				return
			}
		}
		var err error
		switch to {
		case rw.StateSubmitted:
			a, err = s.submit(c, a, actorOf(c)+" (on behalf of the vendor)")
		case rw.StateApproved, rw.StateRejected:
			a, err = s.decide(c, a, to, in.Note)
		default:
			a, err = s.transition(c, a, to, in.Note)
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, s.toAssessmentJSON(a))
	}
}

func (s *Server) apiRemeasure(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	if err := s.remeasure(c, a); err != nil {
		s.fail(c, err)
		return
	}
	a, _ = s.deps.Assessments.FindAssessmentByID(c.Request.Context(), a.ID)
	c.JSON(http.StatusOK, s.toAssessmentJSON(a))
}
