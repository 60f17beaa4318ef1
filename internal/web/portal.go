package web

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
)

const (
	portalCookie  = "rw_portal"
	ctxPortal     = "portal"
	ctxPortalAsmt = "portal_assessment"
)

// maxPortalBody bounds the body of a portal upload: one evidence file and the form around it
// (see uploadLimits; other portal requests get Config.MaxBodyBytes).
const maxPortalBody = MaxEvidenceBytes + 64<<10

// portalLimiters holds, per server, the limiter of invitation-link attempts per client address,
// so that tokens cannot be guessed at speed.
var portalLimiters sync.Map

func (s *Server) portalLimiter() *limiter {
	l, _ := portalLimiters.LoadOrStore(s, s.newLimiter("portal", 30, time.Minute))
	return l.(*limiter)
}

func portalSession(c *gin.Context) *rw.PortalSession {
	p, _ := c.Get(ctxPortal)
	ps, _ := p.(*rw.PortalSession)
	return ps
}

func portalAssessment(c *gin.Context) *rw.Assessment {
	a, _ := c.Get(ctxPortalAsmt)
	as, _ := a.(*rw.Assessment)
	return as
}

// portalGone answers with a clear page and no data: the link or session is not (or no longer)
// valid. Status 404 for unknown links, 410 for expired or revoked ones.
func (s *Server) portalGone(c *gin.Context, status int, title, msg string) {
	s.render(c, status, "error", errorView{Status: status, Title: title, Message: msg, RequestID: c.GetString(ctxRequestID)})
	c.Abort()
}

// portalOpen turns an invitation link (/portal/open?token=…) into a portal session bound to its
// assessment. The token travels in the query string, which the request log leaves out, and is
// exchanged at once for a session cookie, so it never stays in the address bar.
func (s *Server) portalOpen(c *gin.Context) {
	if err := s.assessmentsConfigured(); err != nil {
		s.fail(c, err)
		return
	}
	if ok, err := s.portalLimiter().allow(c.Request.Context(), "ip:"+c.ClientIP()); err != nil {
		s.fail(c, err)
		return
	} else if !ok {
		s.portalGone(c, http.StatusTooManyRequests, "Too many attempts", "Too many links were tried from your address. Wait a minute and open the link from your e-mail again.")
		return
	}
	ctx := c.Request.Context()
	inv, err := s.deps.Invitations.FindInvitationByToken(ctx, secret.HashToken(c.Query("token")))
	if err != nil {
		if rw.ErrorCode(err) == rw.ENOTFOUND {
			s.portalGone(c, http.StatusNotFound, "Link not valid", "This questionnaire link is not valid. Check that you copied the whole link from the e-mail, or ask your contact for a new one.")
			return
		}
		s.fail(c, err)
		return
	}
	switch inv.Usable(s.now()) {
	case "expired":
		s.portalGone(c, http.StatusGone, "Link expired", "This questionnaire link has expired. Ask your contact at the customer for a new link.")
		return
	case "revoked":
		s.portalGone(c, http.StatusGone, "Link withdrawn", "This questionnaire link was replaced or withdrawn (a newer link may have been sent to you). Use the most recent e-mail, or ask your contact for a new link.")
		return
	}
	a, err := s.deps.Assessments.FindAssessmentByID(ctx, inv.AssessmentID)
	if err != nil {
		s.fail(c, err)
		return
	}
	if !portalOpenTo(a) {
		s.portalGone(c, http.StatusGone, "Questionnaire withdrawn", "The customer withdrew this questionnaire; there is nothing to answer.")
		return
	}
	raw := secret.NewToken("")
	sess := &rw.PortalSession{TokenHash: secret.HashToken(raw), InvitationID: inv.ID, AssessmentID: a.ID, Email: inv.Email,
		Section: inv.Section, CSRFToken: secret.NewToken(""), ExpiresAt: minTime(s.now().Add(portalSessionTTL), inv.ExpiresAt)}
	if err := s.deps.Invitations.CreatePortalSession(ctx, sess); err != nil {
		s.fail(c, err)
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: portalCookie, Value: raw, Path: "/portal/", MaxAge: int(portalSessionTTL.Seconds()),
		HttpOnly: true, Secure: s.secure(c.Request), SameSite: http.SameSiteLaxMode})
	to := fmt.Sprintf("/portal/a/%d", a.ID)
	if inv.Section != "" {
		to += "?section=" + inv.Section
	}
	c.Redirect(http.StatusSeeOther, to)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// portalAuth admits a request only with a portal session for exactly the assessment in the
// path, while that assessment is open to the vendor, and, on POST, with the session's CSRF
// token. Anything else gets a page without data. The body was bounded by limitBody.
func (s *Server) portalAuth(h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := s.assessmentsConfigured(); err != nil {
			s.fail(c, err)
			return
		}
		raw, _ := c.Cookie(portalCookie)
		if raw == "" {
			s.portalGone(c, http.StatusNotFound, "Not found", "Open the questionnaire with the link from your e-mail.")
			return
		}
		sess, err := s.deps.Invitations.FindPortalSession(c.Request.Context(), secret.HashToken(raw), s.now())
		if err != nil {
			if rw.ErrorCode(err) == rw.EINTERNAL {
				s.fail(c, err)
				return
			}
			s.portalGone(c, http.StatusGone, "Session ended", "Your session has ended or its link was withdrawn. Open the most recent link from your e-mail again.")
			return
		}
		id, err := strconv.ParseInt(c.Param("id"), 10, 64)
		if err != nil || id != sess.AssessmentID {
			// Another assessment's data is never shown, nor whether it exists.
			s.portalGone(c, http.StatusNotFound, "Not found", "Your link opens one questionnaire only.")
			return
		}
		a, err := s.deps.Assessments.FindAssessmentByID(c.Request.Context(), id)
		if err != nil {
			s.fail(c, err)
			return
		}
		// Checked on every request: a session opened before a cancellation ends with it.
		if !portalOpenTo(a) {
			s.portalGone(c, http.StatusGone, "Questionnaire withdrawn", "The customer withdrew this questionnaire; there is nothing to answer.")
			return
		}
		if c.Request.Method == http.MethodPost {
			got := c.GetHeader("X-CSRF-Token")
			if got == "" {
				if err := s.parseForm(c); err != nil {
					s.fail(c, err)
					return
				}
				got = c.PostForm("_csrf")
			}
			if subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRFToken)) != 1 {
				s.portalGone(c, http.StatusForbidden, "Form expired", "The form expired or did not come from this site. Reload the page and try again.")
				return
			}
		}
		c.Set(ctxPortal, sess)
		c.Set(ctxPortalAsmt, a)
		h(c)
	}
}

// portalOpenTo says whether the vendor may see the assessment at all: not before it was sent,
// not after it was cancelled. Submitted, reviewed and decided ones stay visible, read-only.
func portalOpenTo(a *rw.Assessment) bool {
	return a.State != rw.StateDraft && a.State != rw.StateCancelled
}

// portalMay is the one rule of what a portal session may do with a question; every portal
// handler that names a question asks it. The question must belong to the assessment's
// questionnaire (its library version and scope) and, for a delegate, to the delegated
// section. A change (answer, upload, delete evidence) also needs the questionnaire open for
// answers and, while changes are requested, the question sent back (answers: the stored ones).
func portalMay(lib *control.Library, a *rw.Assessment, sess *rw.PortalSession, answers map[string]*rw.Answer, qid string, change bool) (*control.Question, *control.Control, error) {
	q, ctl, ok := lib.Question(qid)
	if !ok || firstScope(a, ctl) == "" {
		return nil, nil, rw.FieldError("question", "Choose a question of this questionnaire.")
	}
	if sess.Section != "" && ctl.Family != sess.Section {
		return nil, nil, &rw.Error{Code: rw.EFORBIDDEN, Field: "question",
			Message: fmt.Sprintf("Your link covers section %s only; question %s belongs to section %s.", sess.Section, q.ID, ctl.Family)}
	}
	if !change {
		return q, ctl, nil
	}
	if err := portalEditable(a); err != nil {
		return nil, nil, err
	}
	if !questionEditable(a, answers[q.ID]) {
		return nil, nil, &rw.Error{Code: rw.ECONFLICT, Field: "question",
			Message: fmt.Sprintf("Question %s was not sent back; only the questions sent back can change now.", q.ID)}
	}
	return q, ctl, nil
}

// portalMayAct asks portalMay for the request's session and assessment.
func (s *Server) portalMayAct(c *gin.Context, qid string, change bool) (*control.Question, *control.Control, error) {
	a := portalAssessment(c)
	lib, err := s.libraryOf(a)
	if err != nil {
		return nil, nil, err
	}
	answers := map[string]*rw.Answer{}
	if change && a.State == rw.StateChangesRequested {
		list, err := s.deps.Assessments.FindAnswers(c.Request.Context(), a.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, x := range list {
			answers[x.QuestionID] = x
		}
	}
	return portalMay(lib, a, portalSession(c), answers, qid, change)
}

// portalFlash redirects back to a portal page with a one-time message.
func (s *Server) portalFlash(c *gin.Context, to, msg string) {
	s.redirectFlash(c, to, msg)
}

// portalEditable says whether the vendor may change answers now.
func portalEditable(a *rw.Assessment) error {
	if a.State.VendorCanEdit() {
		return nil
	}
	return rw.Errorf(rw.ECONFLICT, "The questionnaire is %s; it can no longer be changed here.", a.State.Label())
}
