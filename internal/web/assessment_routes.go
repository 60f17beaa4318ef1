package web

import (
	rw "routewarden/internal/routewarden"
)

// assessmentRoutes are the routes of assessments (analysts, risk officers, API) and of the
// vendor portal. The portal routes are public in the role sense: the portal session cookie,
// bound to one assessment, is checked by the handlers themselves (see portalAuth).
func (s *Server) assessmentRoutes() []route {
	read, aw, decide := rw.PermRead, rw.PermAssessmentWrite, rw.PermAssessmentDecide
	return []route{
		{"GET", "/assessments", read, false, s.assessmentList},
		{"GET", "/assessments/queue", read, false, s.reviewQueue},
		{"GET", "/assessments/new", aw, false, s.assessmentNew},
		{"POST", "/assessments", aw, false, s.assessmentCreate},
		{"GET", "/assessments/:id", read, false, s.assessmentShow},
		{"POST", "/assessments/:id/send", aw, false, s.assessmentSend},
		{"POST", "/assessments/:id/remind", aw, false, s.assessmentRemind},
		{"POST", "/assessments/:id/invitations/:iid/revoke", aw, false, s.invitationRevoke},
		{"POST", "/assessments/:id/cancel", aw, false, s.assessmentCancel},
		{"POST", "/assessments/:id/due", aw, false, s.assessmentDue},
		{"POST", "/assessments/:id/assignee", aw, false, s.assessmentAssign},
		{"POST", "/assessments/:id/remeasure", aw, false, s.assessmentRemeasure},
		{"GET", "/assessments/:id/review", read, false, s.reviewPage},
		{"POST", "/assessments/:id/review", aw, false, s.reviewStart},
		{"POST", "/assessments/:id/review/decide", aw, false, s.reviewDecide},
		{"POST", "/assessments/:id/review/accept-pending", aw, false, s.reviewAcceptPending},
		{"POST", "/assessments/:id/return", aw, false, s.reviewReturn},
		{"POST", "/assessments/:id/discrepancies", aw, false, s.reviewResolve},
		{"POST", "/assessments/:id/waivers", decide, false, s.reviewWaive},
		{"POST", "/assessments/:id/findings/:fid/resolve", aw, false, s.findingResolve},
		{"GET", "/assessments/:id/approve", decide, false, s.confirmDecision(rw.StateApproved)},
		{"POST", "/assessments/:id/approve", decide, false, s.assessmentDecide(rw.StateApproved)},
		{"GET", "/assessments/:id/reject", decide, false, s.confirmDecision(rw.StateRejected)},
		{"POST", "/assessments/:id/reject", decide, false, s.assessmentDecide(rw.StateRejected)},
		{"GET", "/assessments/:id/evidence/:eid", read, false, s.evidenceDownload},
		{"GET", "/assessments/:id/attestations/issue", rw.PermAttest, false, s.confirmIssue},

		{"GET", "/portal/open", Public, false, s.portalOpen},
		{"GET", "/portal/autosave.js", Public, false, s.portalScript},
		{"GET", "/portal/a/:id", Public, false, s.portalAuth(s.portalShow)},
		{"POST", "/portal/a/:id/answers", Public, false, s.portalAuth(s.portalSave)},
		{"POST", "/portal/a/:id/evidence", Public, false, s.portalAuth(s.portalUpload)},
		{"GET", "/portal/a/:id/evidence/:eid", Public, false, s.portalAuth(s.portalDownload)},
		{"POST", "/portal/a/:id/evidence/:eid/delete", Public, false, s.portalAuth(s.portalDeleteEvidence)},
		{"POST", "/portal/a/:id/comments", Public, false, s.portalAuth(s.portalComment)},
		{"POST", "/portal/a/:id/delegate", Public, false, s.portalAuth(s.portalDelegate)},
		{"GET", "/portal/a/:id/measurements", Public, false, s.portalAuth(s.portalMeasurements)},
		{"POST", "/portal/a/:id/disputes", Public, false, s.portalAuth(s.portalDispute)},
		{"POST", "/portal/a/:id/submit", Public, false, s.portalAuth(s.portalSubmit)},

		{"GET", "/api/v1/assessments", read, true, s.apiAssessmentList},
		{"POST", "/api/v1/assessments", aw, true, s.apiAssessmentCreate},
		{"GET", "/api/v1/assessments/:id", read, true, s.apiAssessmentGet},
		{"POST", "/api/v1/assessments/:id/send", aw, true, s.apiAssessmentSend},
		{"POST", "/api/v1/assessments/:id/submit", aw, true, s.apiAssessmentAction(rw.StateSubmitted)},
		{"POST", "/api/v1/assessments/:id/review", aw, true, s.apiAssessmentReview},
		{"POST", "/api/v1/assessments/:id/discrepancies", aw, true, s.apiResolveDiscrepancy},
		{"POST", "/api/v1/assessments/:id/due-date", aw, true, s.apiExtendDue},
		{"POST", "/api/v1/assessments/:id/remeasure", aw, true, s.apiRemeasure},
		{"POST", "/api/v1/assessments/:id/cancel", aw, true, s.apiAssessmentAction(rw.StateCancelled)},
		{"POST", "/api/v1/assessments/:id/waivers", decide, true, s.apiWaive},
		{"POST", "/api/v1/assessments/:id/approve", decide, true, s.apiAssessmentAction(rw.StateApproved)},
		{"POST", "/api/v1/assessments/:id/reject", decide, true, s.apiAssessmentAction(rw.StateRejected)},
	}
}
