package web

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
)

const (
	portalCookie  = "rw_portal"
	ctxPortal     = "portal"
	ctxPortalAsmt = "portal_assessment"
)

// maxPortalBody bounds every portal request body: one evidence file and the form around it.
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
	if a.State == rw.StateCancelled {
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
// path (and, on POST, its CSRF token). Anything else gets a page without data.
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
		if c.Request.Method == http.MethodPost {
			// Bound the body before anything reads the form (an upload is parsed there).
			if c.Request.ContentLength > maxPortalBody {
				s.portalGone(c, http.StatusRequestEntityTooLarge, "Too large", fmt.Sprintf("The upload is larger than %d MiB; nothing was stored. Go back and choose a smaller file.", MaxEvidenceBytes>>20))
				return
			}
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxPortalBody)
			got := c.GetHeader("X-CSRF-Token")
			if got == "" {
				got = c.PostForm("_csrf")
			}
			if subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRFToken)) != 1 {
				s.portalGone(c, http.StatusForbidden, "Form expired", "The form expired or did not come from this site. Reload the page and try again.")
				return
			}
		}
		a, err := s.deps.Assessments.FindAssessmentByID(c.Request.Context(), id)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.Set(ctxPortal, sess)
		c.Set(ctxPortalAsmt, a)
		h(c)
	}
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
