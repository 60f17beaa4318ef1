package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// checkValue validates an answer against its question; empty clears the answer.
func checkValue(q *control.Question, vals []string) ([]string, error) {
	var out []string
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	if q.Type != control.TypeMultipleChoice && len(out) > 1 {
		return nil, fmt.Errorf("give one answer")
	}
	switch q.Type {
	case control.TypeYesNo:
		if out[0] != "yes" && out[0] != "no" {
			return nil, fmt.Errorf("answer yes or no")
		}
	case control.TypeSingleChoice, control.TypeMultipleChoice:
		for _, v := range out {
			if !slices.ContainsFunc(q.Options, func(o control.Option) bool { return o.Value == v }) {
				return nil, fmt.Errorf("%q is not one of the choices", v)
			}
		}
	case control.TypeNumber, control.TypePercentage:
		return checkNumber(q, out[0])
	case control.TypeDate:
		if _, err := time.Parse(time.DateOnly, out[0]); err != nil {
			return nil, fmt.Errorf("enter a date as YYYY-MM-DD")
		}
	case control.TypeText:
		if len(out[0]) > 10000 {
			return nil, fmt.Errorf("at most 10000 characters")
		}
	default:
		return nil, fmt.Errorf("attach a file instead")
	}
	return out, nil
}

func checkNumber(q *control.Question, v string) ([]string, error) {
	n, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), "%"), 64)
	if err != nil {
		return nil, fmt.Errorf("enter a number")
	}
	lo, hi := q.Min, q.Max
	if q.Type == control.TypePercentage && lo == nil {
		lo = new(float64)
	}
	if q.Type == control.TypePercentage && hi == nil {
		h := 100.0
		hi = &h
	}
	if (lo != nil && n < *lo) || (hi != nil && n > *hi) {
		return nil, fmt.Errorf("enter a number between %s and %s", fmtBound(lo), fmtBound(hi))
	}
	return []string{strconv.FormatFloat(n, 'f', -1, 64)}, nil
}

func fmtBound(f *float64) string {
	if f == nil {
		return "any"
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// portalSave stores the answers of one section. Each answer carries the version the vendor
// saw; a concurrent change makes that one answer fail with a conflict while the others save,
// and the page shows both the other person's answer and the vendor's own input. Works as a
// plain form post and, with X-Autosave, as the background save of the script.
func (s *Server) portalSave(c *gin.Context) {
	a, sess := portalAssessment(c), portalSession(c)
	auto := c.GetHeader("X-Autosave") == "1"
	if err := portalEditable(a); err != nil {
		s.portalSaveFailed(c, auto, nil, err)
		return
	}
	lib, err := s.libraryOf(a)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.parseForm(c); err != nil {
		s.portalSaveFailed(c, auto, nil, err)
		return
	}
	current, err := s.deps.Assessments.FindAnswers(c.Request.Context(), a.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	stored := map[string]*rw.Answer{}
	for _, x := range current {
		stored[x.QuestionID] = x
	}
	kept := &portalInput{Values: map[string][]string{}, Comments: map[string]string{}, Errors: map[string]string{}, Conflict: map[string]string{}}
	versions, saved := map[string]int{}, 0
	for _, id := range c.Request.PostForm["q"] {
		// Questions the session may not change (another section, not sent back) are left as
		// they are; the page shows them read-only or not at all.
		q, _, err := portalMay(lib, a, sess, stored, id, true)
		if err != nil || q.Type == control.TypeFile {
			continue
		}
		n, v, err := s.saveOne(c, a, q, stored[id], sess.Actor(), kept)
		saved += n
		if v > 0 {
			versions[id] = v
		}
		if err != nil && rw.ErrorCode(err) == rw.EINTERNAL {
			s.fail(c, err)
			return
		}
	}
	s.portalSaved(c, a, auto, saved, versions, kept)
}

// firstScope returns the first provider type of the assessment's scope that the control applies
// to, or "" (the control is out of scope).
func firstScope(a *rw.Assessment, ctl *control.Control) string {
	for _, p := range a.ScopeStrings() {
		if slices.Contains(ctl.AppliesTo, p) {
			return p
		}
	}
	return ""
}

// saveOne saves one posted answer if it changed; it returns 1 when saved and the new version.
func (s *Server) saveOne(c *gin.Context, a *rw.Assessment, q *control.Question, old *rw.Answer, actor string, kept *portalInput) (int, int, error) {
	raw, comment := c.Request.PostForm["a:"+q.ID], strings.TrimSpace(c.PostForm("c:"+q.ID))
	version, _ := strconv.Atoi(c.PostForm("v:" + q.ID))
	kept.Values[q.ID], kept.Comments[q.ID] = raw, comment
	if !questionEditable(a, old) {
		return 0, 0, nil
	}
	vals, err := checkValue(q, raw)
	if err != nil {
		kept.Errors[q.ID] = "Not saved: " + err.Error() + "."
		return 0, 0, rw.FieldError(q.ID, "%s", err)
	}
	if old != nil && old.Measured {
		vals = old.Values // measured: the vendor may comment, not overwrite
	}
	if old == nil && vals == nil && comment == "" || old != nil && slices.Equal(old.Values, vals) && old.Comment == comment {
		return 0, version, nil
	}
	ans := &rw.Answer{AssessmentID: a.ID, QuestionID: q.ID, Values: vals, Comment: comment, Version: version}
	if err := s.deps.Assessments.SaveAnswer(c.Request.Context(), ans, actor); err != nil {
		if rw.ErrorCode(err) == rw.ECONFLICT {
			kept.Conflict[q.ID] = rw.ErrorMessage(err)
		} else {
			kept.Errors[q.ID] = rw.ErrorMessage(err)
		}
		return 0, 0, err
	}
	return 1, ans.Version, nil
}

func (s *Server) portalSaved(c *gin.Context, a *rw.Assessment, auto bool, saved int, versions map[string]int, kept *portalInput) {
	ctx := c.Request.Context()
	if saved > 0 && a.State == rw.StateSent {
		if next, err := s.deps.Assessments.Transition(ctx, a.ID, rw.StateInProgress, rw.AuditEvent{Actor: portalSession(c).Actor()}); err == nil {
			a = next
			c.Set(ctxPortalAsmt, a)
		}
	}
	if saved > 0 {
		if _, err := s.refresh(ctx, a); err != nil {
			s.fail(c, err)
			return
		}
	}
	failed := len(kept.Errors) + len(kept.Conflict)
	if auto {
		status := http.StatusOK
		if len(kept.Conflict) > 0 {
			status = http.StatusConflict
		}
		c.JSON(status, gin.H{"saved": saved, "versions": versions, "errors": kept.Errors, "conflicts": kept.Conflict})
		return
	}
	if failed > 0 {
		status := http.StatusBadRequest
		if len(kept.Conflict) > 0 {
			status = http.StatusConflict
		}
		msg := fmt.Sprintf("%d answer(s) saved; %d not saved — see the messages below. Your input is kept.", saved, failed)
		s.renderPortal(c, status, kept, msg, "")
		return
	}
	s.portalFlash(c, fmt.Sprintf("/portal/a/%d?section=%s", a.ID, c.PostForm("section")), fmt.Sprintf("Saved %d answer(s).", saved))
}

func (s *Server) portalSaveFailed(c *gin.Context, auto bool, kept *portalInput, err error) {
	if auto {
		c.JSON(statusOf[rw.ErrorCode(err)], gin.H{"error": rw.ErrorMessage(err)})
		return
	}
	s.renderPortal(c, statusOf[rw.ErrorCode(err)], kept, rw.ErrorMessage(err), "")
}
