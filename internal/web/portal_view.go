package web

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
)

// portalQuestion is one question as the vendor sees it.
type portalQuestion struct {
	Q          *control.Question
	Control    *control.Control
	Values     []string
	Comment    string
	Version    int
	Measured   bool
	Review     rw.ReviewStatus
	ReviewNote string
	Editable   bool
	Required   bool
	NeedsFile  bool
	Evidence   []*rw.EvidenceFile
	Comments   []*rw.Comment
	Error      string
	Conflict   string
}

type portalView struct {
	A            *rw.Assessment
	Sess         *rw.PortalSession
	CSRF         string
	Sections     []score.SectionProgress
	Section      string
	SectionTitle string
	Questions    []portalQuestion
	Progress     score.Progress
	Percent      int
	Editable     bool
	Delegated    bool
	Error        string
	Link         string // a delegation link to pass on by hand
	Returned     int    // questions sent back for changes
	// NextOpen is the first section, after the one shown, with required answers or documents
	// still missing (else the first such section): where "what next" sends the vendor.
	NextOpen *score.SectionProgress
	// CurrentOpen: the section shown still misses required answers or documents.
	CurrentOpen bool
}

// nextOpenSection returns the first section after current that still misses required answers
// or documents, wrapping round to the ones before it; nil when no other section does (the one
// shown is all that is left, or everything is in).
func nextOpenSection(sections []score.SectionProgress, current string) *score.SectionProgress {
	at := slices.IndexFunc(sections, func(sp score.SectionProgress) bool { return sp.Family == current })
	for i := range sections {
		sp := sections[(at+1+i)%len(sections)]
		if sp.Family != current && sp.Done < sp.Required {
			return &sp
		}
	}
	return nil
}

func (v portalView) PageTitle() string { return "Questionnaire — " + v.A.VendorName }

// portalInput is what the vendor typed, kept when a save fails so that nothing is lost.
type portalInput struct {
	Values   map[string][]string
	Comments map[string]string
	Errors   map[string]string
	Conflict map[string]string
}

func (s *Server) portalShow(c *gin.Context) {
	s.renderPortal(c, http.StatusOK, nil, "", "")
}

func (s *Server) renderPortal(c *gin.Context, status int, kept *portalInput, msg, link string) {
	a, sess := portalAssessment(c), portalSession(c)
	r, in, err := s.evaluate(c.Request.Context(), a)
	if err != nil {
		s.fail(c, err)
		return
	}
	files, err := s.deps.Assessments.FindEvidence(c.Request.Context(), a.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	comments, err := s.deps.Assessments.FindComments(c.Request.Context(), a.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := portalView{A: a, Sess: sess, CSRF: sess.CSRFToken, Progress: r.Progress, Percent: int(r.Progress.Share()*100 + 0.5),
		Editable: a.State.VendorCanEdit(), Delegated: sess.Section != "", Error: msg, Link: link}
	for _, sp := range r.Progress.Sections {
		if sess.Section == "" || sp.Family == sess.Section {
			v.Sections = append(v.Sections, sp)
		}
	}
	v.Section = c.Query("section")
	if c.Request.Method == http.MethodPost {
		v.Section = c.PostForm("section")
	}
	if sess.Section != "" {
		v.Section = sess.Section
	}
	if !slices.ContainsFunc(v.Sections, func(sp score.SectionProgress) bool { return sp.Family == v.Section }) && len(v.Sections) > 0 {
		v.Section = v.Sections[0].Family
	}
	if f, ok := in.Library.Family(v.Section); ok {
		v.SectionTitle = f.Title
	}
	v.NextOpen = nextOpenSection(v.Sections, v.Section)
	v.CurrentOpen = slices.ContainsFunc(v.Sections, func(sp score.SectionProgress) bool { return sp.Family == v.Section && sp.Done < sp.Required })
	v.Questions, v.Returned = portalQuestions(in, a, v.Section, files, comments, kept)
	s.render(c, status, "portal", v)
}

// portalQuestions lists the visible questions of one section with their answers; kept input
// overrides stored values so that a failed save shows what the vendor typed.
func portalQuestions(in score.Input, a *rw.Assessment, section string, files []*rw.EvidenceFile, comments []*rw.Comment, kept *portalInput) ([]portalQuestion, int) {
	values := answerMap(in.Answers)
	var out []portalQuestion
	returned := 0
	for _, ctl := range in.Library.ForProviders(in.Scope) {
		for qi := range ctl.Questions {
			q := &ctl.Questions[qi]
			if x := in.Answers[q.ID]; x != nil && x.Review == rw.ReviewChanges {
				returned++
			}
			if ctl.Family != section || !in.Library.Visible(q.ID, values) {
				continue
			}
			pq := portalQuestion{Q: q, Control: ctl, NeedsFile: score.RequiresEvidence(ctl, q),
				Required: q.Type != control.TypeFile && !q.Optional}
			if x := in.Answers[q.ID]; x != nil {
				pq.Values, pq.Comment, pq.Version, pq.Measured, pq.Review, pq.ReviewNote = x.Values, x.Comment, x.Version, x.Measured, x.Review, x.ReviewNote
			}
			pq.Editable = questionEditable(a, in.Answers[q.ID])
			for _, f := range files {
				if f.QuestionID == q.ID {
					pq.Evidence = append(pq.Evidence, f)
				}
			}
			for _, cm := range comments {
				if cm.QuestionID == q.ID {
					pq.Comments = append(pq.Comments, cm)
				}
			}
			if kept != nil {
				if v, ok := kept.Values[q.ID]; ok && !pq.Measured {
					pq.Values = v
				}
				if cm, ok := kept.Comments[q.ID]; ok {
					pq.Comment = cm
				}
				pq.Error, pq.Conflict = kept.Errors[q.ID], kept.Conflict[q.ID]
			}
			out = append(out, pq)
		}
	}
	return out, returned
}

func answerMap(answers map[string]*rw.Answer) map[string][]string {
	out := map[string][]string{}
	for id, x := range answers {
		if x != nil && !x.Empty() {
			out[id] = x.Values
		}
	}
	return out
}

// questionEditable: while changes are requested, only the questions sent back can change.
func questionEditable(a *rw.Assessment, x *rw.Answer) bool {
	switch a.State {
	case rw.StateSent, rw.StateInProgress:
		return true
	case rw.StateChangesRequested:
		return x != nil && (x.Review == rw.ReviewChanges || x.Review == rw.ReviewResubmitted)
	}
	return false
}
