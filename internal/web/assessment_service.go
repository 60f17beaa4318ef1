package web

import (
	"context"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
)

// portalSessionTTL is how long a portal session lasts after the link was opened.
const portalSessionTTL = 8 * time.Hour

func (s *Server) assessmentsConfigured() error {
	if s.deps.Assessments == nil || s.deps.Invitations == nil || s.deps.Library == nil {
		return rw.Errorf(rw.EINTERNAL, "assessments are not configured (Deps.Assessments, Invitations, Library)")
	}
	return nil
}

// libraryOf returns the library version the assessment is pinned to, refusing one whose content
// no longer matches the pinned digest.
func (s *Server) libraryOf(a *rw.Assessment) (*control.Library, error) {
	if err := s.assessmentsConfigured(); err != nil {
		return nil, err
	}
	lib, ok := s.deps.Library.Library(a.Library, a.LibraryVersion)
	if !ok {
		return nil, rw.Errorf(rw.EINTERNAL, "control library %s %s is not shipped any more", a.Library, a.LibraryVersion)
	}
	if d := digestOf(lib); d != a.LibraryDigest { // cached: a canonical rendering costs milliseconds per call
		return nil, rw.Errorf(rw.EINTERNAL, "control library %s %s changed since the assessment pinned it (%s, now %s)", a.Library, a.LibraryVersion, a.LibraryDigest, d)
	}
	return lib, nil
}

// loadAssessment reads the :id parameter and the assessment.
func (s *Server) loadAssessment(c *gin.Context) (*rw.Assessment, bool) {
	err := s.assessmentsConfigured()
	if err == nil {
		var id int64
		if id, err = vendorID(c, "id"); err == nil {
			var a *rw.Assessment
			if a, err = s.deps.Assessments.FindAssessmentByID(c.Request.Context(), id); err == nil {
				return a, true
			}
		}
	}
	s.fail(c, err)
	return nil, false
}

// evaluate computes the assessment's report from its current data (no writes).
func (s *Server) evaluate(ctx context.Context, a *rw.Assessment) (score.Report, score.Input, error) {
	lib, err := s.libraryOf(a)
	if err != nil {
		return score.Report{}, score.Input{}, err
	}
	in, err := score.Gather(ctx, s.deps.Assessments, s.deps.Vendors, lib, a, s.now())
	if err != nil {
		return score.Report{}, in, err
	}
	return score.Evaluate(in), in, nil
}

// refresh recomputes and stores the assessment's summary after a change.
func (s *Server) refresh(ctx context.Context, a *rw.Assessment) (score.Report, error) {
	lib, err := s.libraryOf(a)
	if err != nil {
		return score.Report{}, err
	}
	r, _, err := score.Refresh(ctx, s.deps.Assessments, s.deps.Vendors, lib, a, s.now())
	return r, err
}

// newAssessment generates a draft for a vendor (assess.Service.Draft).
func (s *Server) newAssessment(ctx context.Context, vendorID int64, title, contact string, due time.Time, actor string) (*rw.Assessment, error) {
	if err := s.assessmentsConfigured(); err != nil {
		return nil, err
	}
	return s.assess.Draft(ctx, vendorID, title, contact, due, actor)
}

// issueLink creates an invitation link (revoking the previous one for the same person and
// section), queues the e-mail when SMTP is configured and returns the link.
func (s *Server) issueLink(c *gin.Context, a *rw.Assessment, email, section, purpose, actor string) (string, error) {
	return s.assess.Invite(c.Request.Context(), a, email, section, purpose, actor)
}

func actorOf(c *gin.Context) string {
	if u := currentUser(c); u != nil {
		return u.Email
	}
	return "anonymous"
}

// transition moves the assessment and refreshes its scores.
func (s *Server) transition(c *gin.Context, a *rw.Assessment, to rw.AssessmentState, note string) (*rw.Assessment, error) {
	next, err := s.deps.Assessments.Transition(c.Request.Context(), a.ID, to, rw.AuditEvent{Actor: actorOf(c), Detail: note})
	if err != nil {
		return nil, err
	}
	_, err = s.refresh(c.Request.Context(), next)
	return next, err
}

// approve checks the conditions of approval: in review, and no discrepancy left open.
func (s *Server) decide(c *gin.Context, a *rw.Assessment, to rw.AssessmentState, note string) (*rw.Assessment, error) {
	if to == rw.StateApproved {
		r, _, err := s.evaluate(c.Request.Context(), a)
		if err != nil {
			return nil, err
		}
		if open := r.OpenDiscrepancies(); len(open) > 0 {
			keys := make([]string, len(open))
			for i, d := range open {
				keys[i] = d.Key
			}
			return nil, rw.Errorf(rw.ECONFLICT, "Resolve the %d open discrepancies first (%s).", len(open), strings.Join(keys, ", "))
		}
	}
	if strings.TrimSpace(note) == "" && to == rw.StateRejected {
		return nil, rw.FieldError("note", "Say why the assessment is rejected.")
	}
	return s.transition(c, a, to, note)
}

// submit checks completeness and submits.
func (s *Server) submit(c *gin.Context, a *rw.Assessment, actor string) (*rw.Assessment, error) {
	r, _, err := s.evaluate(c.Request.Context(), a)
	if err != nil {
		return nil, err
	}
	if !r.Progress.Complete() {
		return nil, rw.Errorf(rw.ECONFLICT, "Not complete yet: %d required answer(s) missing (%s) and %d required document(s) missing (%s).",
			len(r.Progress.Missing), short(r.Progress.Missing), len(r.Progress.MissingEvidence), short(r.Progress.MissingEvidence))
	}
	if a.State == rw.StateSent {
		if a, err = s.deps.Assessments.Transition(c.Request.Context(), a.ID, rw.StateInProgress, rw.AuditEvent{Actor: actor}); err != nil {
			return nil, err
		}
	}
	next, err := s.deps.Assessments.Transition(c.Request.Context(), a.ID, rw.StateSubmitted, rw.AuditEvent{Actor: actor})
	if err != nil {
		return nil, err
	}
	_, err = s.refresh(c.Request.Context(), next)
	return next, err
}

func short(ids []string) string {
	if len(ids) > 5 {
		return strings.Join(ids[:5], ", ") + ", …"
	}
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}

// remeasure captures the vendor's current check results into the assessment, updates the
// measured answers and recomputes the scores (and so the discrepancies).
func (s *Server) remeasure(c *gin.Context, a *rw.Assessment) error {
	if a.State.Final() {
		return rw.Errorf(rw.ECONFLICT, "The assessment is closed; its measurements stay as decided.")
	}
	lib, err := s.libraryOf(a)
	if err != nil {
		return err
	}
	v, err := s.deps.Vendors.FindVendorByID(c.Request.Context(), a.VendorID)
	if err != nil {
		return err
	}
	ms, err := s.assess.Measurements(c.Request.Context(), v)
	if err != nil {
		return err
	}
	if err := s.deps.Assessments.ReplaceMeasurements(c.Request.Context(), a.ID, ms, score.Prefill(lib, a.ScopeStrings(), ms), actorOf(c)); err != nil {
		return err
	}
	_, err = s.refresh(c.Request.Context(), a)
	return err
}
