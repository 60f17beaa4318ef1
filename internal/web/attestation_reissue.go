package web

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
)

// approvalState is what the assessment page and the re-issue confirmation show about an
// approved assessment: the scope frozen at approval, the vendor edits since, and the
// attestation in force.
type approvalState struct {
	Approved     *rw.ApprovedScope
	ScopeChanges []string
	Current      *rw.Attestation
}

func (s *Server) approvalState(ctx context.Context, a *rw.Assessment) (approvalState, error) {
	var st approvalState
	if a.State != rw.StateApproved {
		return st, nil
	}
	sc, err := s.deps.Assessments.FindApprovedScope(ctx, a.ID)
	switch rw.ErrorCode(err) {
	case "":
		v, err := s.deps.Vendors.FindVendorByID(ctx, a.VendorID)
		if err != nil {
			return st, err
		}
		st.Approved, st.ScopeChanges = sc, sc.ChangesSince(rw.ScopeOf(v))
	case rw.ENOTFOUND: // approved before scopes were frozen
	default:
		return st, err
	}
	if s.deps.Attestations != nil {
		cur, err := s.deps.Attestations.CurrentAttestation(ctx, a.ID)
		switch rw.ErrorCode(err) {
		case "":
			st.Current = cur
		case rw.ENOTFOUND:
		default:
			return st, err
		}
	}
	return st, nil
}

// reissueView is the confirmation step before a re-issue supersedes the current attestation.
type reissueView struct {
	A *rw.Assessment
	approvalState
}

func (reissueView) PageTitle() string { return "Re-issue attestation" }

// attestationReissue shows what a re-issue does before the user confirms it; without a
// current attestation there is nothing to supersede and the page sends the user back.
func (s *Server) attestationReissue(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	st, err := s.approvalState(c.Request.Context(), a)
	if err != nil {
		s.fail(c, err)
		return
	}
	if st.Current == nil {
		s.redirectFlash(c, "/assessments/"+c.Param("id"), "This assessment has no current attestation to supersede.")
		return
	}
	s.render(c, http.StatusOK, "attestation_reissue", reissueView{A: a, approvalState: st})
}
