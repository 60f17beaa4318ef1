package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
)

func (s *Server) portalComment(c *gin.Context) {
	a, sess := portalAssessment(c), portalSession(c)
	cm := &rw.Comment{AssessmentID: a.ID, QuestionID: c.PostForm("question"), Author: sess.Actor(), FromVendor: true, Body: c.PostForm("body")}
	var err error
	if cm.QuestionID != "" { // "" comments on the questionnaire as a whole
		_, _, err = s.portalMayAct(c, cm.QuestionID, false)
	}
	if err == nil {
		err = s.deps.Assessments.AddComment(c.Request.Context(), cm)
	}
	if err != nil {
		s.portalSaveFailed(c, false, nil, err)
		return
	}
	s.portalFlash(c, fmt.Sprintf("/portal/a/%d?section=%s#q-%s", a.ID, c.PostForm("section"), cm.QuestionID), "Comment added.")
}

// portalDelegate gives a colleague a link to one section only. The person with the full link
// may delegate; a delegate may not delegate further.
func (s *Server) portalDelegate(c *gin.Context) {
	a, sess := portalAssessment(c), portalSession(c)
	section, email := c.PostForm("section"), rw.NormalizeEmail(c.PostForm("email"))
	var err error
	switch {
	case sess.Section != "":
		err = rw.Errorf(rw.EFORBIDDEN, "Only the person who received the whole questionnaire can delegate sections.")
	case portalEditable(a) != nil:
		err = portalEditable(a)
	case !rw.ValidEmail(email):
		err = rw.FieldError("email", "Enter your colleague's e-mail address.")
	}
	if err == nil {
		if lib, lerr := s.libraryOf(a); lerr != nil {
			err = lerr
		} else if len(lib.ByFamily(section)) == 0 {
			err = rw.FieldError("section", "Choose a section of the questionnaire.")
		}
	}
	var link string
	if err == nil {
		link, err = s.issueLink(c, a, email, section, "delegation", sess.Actor())
	}
	if err != nil {
		s.portalSaveFailed(c, false, nil, err)
		return
	}
	if s.deps.MailEnabled {
		s.portalFlash(c, fmt.Sprintf("/portal/a/%d?section=%s", a.ID, section), "Section "+section+" delegated; a link was e-mailed to "+email+".")
		return
	}
	s.renderPortal(c, http.StatusOK, nil, "", link)
}

type portalMeasurementsView struct {
	A            *rw.Assessment
	CSRF         string
	Measurements []rw.Measurement
	Disputes     []*rw.Dispute
	Titles       map[string]string
	Error        string
}

func (v portalMeasurementsView) PageTitle() string { return "Measurements — " + v.A.VendorName }

// portalMeasurements shows the vendor what was measured about its own networks (the figures
// captured for this assessment) with a dispute form for each.
func (s *Server) portalMeasurements(c *gin.Context) {
	s.renderMeasurements(c, http.StatusOK, "")
}

func (s *Server) renderMeasurements(c *gin.Context, status int, msg string) {
	a := portalAssessment(c)
	ms, err := s.deps.Assessments.FindMeasurements(c.Request.Context(), a.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	ds, err := s.deps.Assessments.FindDisputes(c.Request.Context(), a.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	titles := map[string]string{}
	for _, d := range rw.Checks {
		titles[d.ID] = d.Title
	}
	s.render(c, status, "portal_measurements", portalMeasurementsView{A: a, CSRF: portalSession(c).CSRFToken, Measurements: ms, Disputes: ds, Titles: titles, Error: msg})
}

func (s *Server) portalDispute(c *gin.Context) {
	a := portalAssessment(c)
	asn, _ := strconv.ParseUint(c.PostForm("asn"), 10, 32)
	d := &rw.Dispute{AssessmentID: a.ID, ASN: uint32(asn), Check: c.PostForm("check"), Explanation: c.PostForm("explanation"), Author: portalSession(c).Actor()}
	ms, err := s.deps.Assessments.FindMeasurements(c.Request.Context(), a.ID)
	if err == nil {
		err = rw.FieldError("check", "There is no such measurement of your networks in this questionnaire.")
		for _, m := range ms {
			if m.ASN == d.ASN && m.Check == d.Check {
				err = s.deps.Assessments.AddDispute(c.Request.Context(), d)
				break
			}
		}
	}
	if err != nil {
		if rw.ErrorCode(err) == rw.EINTERNAL {
			s.fail(c, err)
			return
		}
		s.renderMeasurements(c, statusOf[rw.ErrorCode(err)], rw.ErrorMessage(err))
		return
	}
	s.portalFlash(c, fmt.Sprintf("/portal/a/%d/measurements", a.ID), "Dispute recorded; the reviewer will see it next to the measurement.")
}

func (s *Server) portalSubmit(c *gin.Context) {
	a, sess := portalAssessment(c), portalSession(c)
	var err error
	switch {
	case sess.Section != "":
		err = rw.Errorf(rw.EFORBIDDEN, "Only the person who received the whole questionnaire can submit it.")
	case !a.State.VendorCanEdit():
		err = portalEditable(a)
	default:
		_, err = s.submit(c, a, sess.Actor())
	}
	if err != nil {
		s.portalSaveFailed(c, false, nil, err)
		return
	}
	s.portalFlash(c, fmt.Sprintf("/portal/a/%d", a.ID), "Thank you — the questionnaire was submitted for review.")
}

// portalScript is the small progressive enhancement of the portal: answers save themselves a
// moment after each change. The forms work without it.
func (s *Server) portalScript(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, "text/javascript; charset=utf-8", []byte(autosaveJS))
}

const autosaveJS = `(function () {
  var form = document.getElementById('answers');
  if (!form || !window.fetch || !window.FormData) return;
  var status = document.getElementById('autosave-status');
  var timer = null;
  function say(t) { if (status) status.textContent = t; }
  function save() {
    var data = new URLSearchParams(new FormData(form));
    say('Saving…');
    fetch(form.action, {method: 'POST', body: data, credentials: 'same-origin',
      headers: {'X-Autosave': '1', 'X-CSRF-Token': form.elements['_csrf'].value}})
      .then(function (r) { return r.json().then(function (j) { return [r.status, j]; }); })
      .then(function (res) {
        var j = res[1];
        Object.keys(j.versions || {}).forEach(function (id) {
          var v = form.elements['v:' + id]; if (v) v.value = j.versions[id];
        });
        var problems = Object.assign({}, j.errors || {}, j.conflicts || {});
        Object.keys(problems).forEach(function (id) {
          var el = document.getElementById('msg-' + id); if (el) el.textContent = problems[id];
        });
        if (j.error) say(j.error);
        else if (Object.keys(problems).length) say('Some answers were not saved — see the messages.');
        else say('All changes saved.');
      })
      .catch(function () { say('Not saved (offline?). Use the Save button.'); });
  }
  form.addEventListener('change', function () { clearTimeout(timer); timer = setTimeout(save, 600); });
})();
`
