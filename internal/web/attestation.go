package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
)

// signedDocumentJSON is what the registry holds of every signed document, attestation or board
// report; the API shows it, never the bytes (those are at PDFURL).
type signedDocumentJSON struct {
	ID                int64      `json:"id"`
	DocumentID        string     `json:"document_id"`
	SHA256            string     `json:"sha256"`
	SignerName        string     `json:"signer_name"`
	SignerFingerprint string     `json:"signer_fingerprint"`
	IssuedAt          time.Time  `json:"issued_at"`
	IssuedBy          string     `json:"issued_by"`
	Revoked           bool       `json:"revoked"`
	RevokedAt         *time.Time `json:"revoked_at,omitempty"`
	RevokedBy         string     `json:"revoked_by,omitempty"`
	RevocationReason  string     `json:"revocation_reason,omitempty"`
	Demo              bool       `json:"demo"`
	DevCertificate    bool       `json:"dev_certificate"`
	Size              int64      `json:"size"`
	PDFURL            string     `json:"pdf_url"`
}

type attestationJSON struct {
	signedDocumentJSON
	AssessmentID int64     `json:"assessment_id"`
	VendorID     int64     `json:"vendor_id"`
	VendorName   string    `json:"vendor_name"`
	ValidUntil   time.Time `json:"valid_until"` // printed on the cover; twelve months from issue for older attestations
}

func toAttestationJSON(a *rw.Attestation) attestationJSON {
	return attestationJSON{signedDocumentJSON: signedDocumentJSON{ID: a.ID, DocumentID: a.DocumentID, SHA256: a.SHA256,
		SignerName: a.SignerName, SignerFingerprint: a.SignerFingerprint, IssuedAt: a.IssuedAt, IssuedBy: a.IssuedBy,
		Revoked: a.Revoked(), RevokedAt: a.RevokedAt, RevokedBy: a.RevokedBy, RevocationReason: a.RevocationReason,
		Demo: a.Demo, DevCertificate: a.DevCertificate, Size: a.Size, PDFURL: fmt.Sprintf("/api/v1/attestations/%d/pdf", a.ID)},
		AssessmentID: a.AssessmentID, VendorID: a.VendorID, VendorName: a.VendorName, ValidUntil: a.Expires()}
}

// attestations returns the registry, or an internal error when the server was built without one.
func (s *Server) attestations() (rw.AttestationStore, error) {
	if s.deps.Attestations == nil {
		return nil, fmt.Errorf("web: Deps.Attestations is not set")
	}
	return s.deps.Attestations, nil
}

func (s *Server) apiAttestationList(c *gin.Context) {
	f := rw.AttestationFilter{Offset: queryInt(c, "offset", 0), Limit: min(queryInt(c, "limit", 100), 1000)}
	f.AssessmentID, f.VendorID = int64(queryInt(c, "assessment_id", 0)), int64(queryInt(c, "vendor_id", 0))
	reg, err := s.attestations()
	var list []*rw.Attestation
	var total int
	if err == nil {
		list, total, err = reg.FindAttestations(c.Request.Context(), f)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]attestationJSON, len(list))
	for i, a := range list {
		out[i] = toAttestationJSON(a)
	}
	c.JSON(http.StatusOK, gin.H{"attestations": out, "total": total, "offset": f.Offset, "limit": f.Limit})
}

func (s *Server) apiAttestationGet(c *gin.Context) {
	id, err := attestParamID(c, "attestation")
	reg, err2 := s.attestations()
	var a *rw.Attestation
	if err = firstErr(err, err2); err == nil {
		a, err = reg.FindAttestationByID(c.Request.Context(), id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toAttestationJSON(a))
}

// attestationPDF serves the signed file exactly as registered; API and pages share it.
func (s *Server) attestationPDF(c *gin.Context) {
	id, err := attestParamID(c, "attestation")
	reg, err2 := s.attestations()
	var a *rw.Attestation
	if err = firstErr(err, err2); err == nil {
		a, err = reg.AttestationPDF(c.Request.Context(), id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.pdf"`, a.DocumentID))
	c.Header("X-Content-SHA256", a.SHA256)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/pdf", a.PDF)
}

type revokeInput struct {
	Reason string `json:"reason" form:"reason"`
}

func (s *Server) apiAttestationRevoke(c *gin.Context) {
	id, err := attestParamID(c, "attestation")
	var in revokeInput
	if err == nil {
		err = s.bindJSON(c, &in)
	}
	a, err := s.revoke(c, id, in.Reason, err)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toAttestationJSON(a))
}

func (s *Server) revoke(c *gin.Context, id int64, reason string, err error) (*rw.Attestation, error) {
	reg, err2 := s.attestations()
	if err = firstErr(err, err2); err != nil {
		return nil, err
	}
	a, err := reg.RevokeAttestation(c.Request.Context(), id, currentUser(c).Email, reason)
	if err == nil {
		s.log.Info("attestation revoked", "document_id", a.DocumentID, "by", a.RevokedBy, "reason", a.RevocationReason,
			"request_id", c.GetString(ctxRequestID))
	}
	return a, err
}

// apiAttestationIssue issues an attestation; ?supersede=ID confirms the re-issue that replaces
// the current attestation ID (409 without it while one is current).
func (s *Server) apiAttestationIssue(c *gin.Context) {
	a, err := s.issue(c, int64(queryInt(c, "supersede", 0)))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", fmt.Sprintf("/api/v1/attestations/%d", a.ID))
	c.JSON(http.StatusCreated, toAttestationJSON(a))
}

// issue attests the assessment named by :id for the signed-in user; supersede confirms the
// replacement of the current attestation.
func (s *Server) issue(c *gin.Context, supersede int64) (*rw.Attestation, error) {
	id, err := attestParamID(c, "assessment")
	if err != nil {
		return nil, err
	}
	if s.deps.Attester == nil {
		return nil, fmt.Errorf("web: Deps.Attester is not set")
	}
	a, err := s.deps.Attester.IssueAttestation(c.Request.Context(), id, currentUser(c).Email, supersede)
	if err == nil {
		s.log.Info("attestation issued", "document_id", a.DocumentID, "assessment_id", id, "by", a.IssuedBy,
			"supersedes", supersede, "dev_certificate", a.DevCertificate, "request_id", c.GetString(ctxRequestID))
	}
	return a, err
}

// attestParamID reads the :id parameter; a malformed one is a 404 like any missing entity.
func attestParamID(c *gin.Context, what string) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, rw.Errorf(rw.ENOTFOUND, "There is no %s with ID %q.", what, c.Param("id"))
	}
	return id, nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// attestationListView is the registry page.
type attestationListView struct {
	Attestations []*rw.Attestation
	Total        int
	Now          time.Time
	Warning      string // the development-certificate warning, if it applies
	CanRevoke    bool
}

func (attestationListView) PageTitle() string { return "Attestations" }

// attestationFilter reads the list's filters: ?assessment_id= and ?vendor=.
func attestationFilter(c *gin.Context) rw.AttestationFilter {
	return rw.AttestationFilter{AssessmentID: int64(queryInt(c, "assessment_id", 0)), VendorID: int64(queryInt(c, "vendor", 0))}
}

func (s *Server) attestationList(c *gin.Context) {
	if wantsCSV(c) {
		s.attestationCSV(c)
		return
	}
	reg, err := s.attestations()
	view := attestationListView{Warning: s.deps.AttestWarning, CanRevoke: currentUser(c).Role.Can(rw.PermAttest), Now: s.now()}
	if err == nil {
		f := attestationFilter(c)
		f.Limit = 200
		view.Attestations, view.Total, err = reg.FindAttestations(c.Request.Context(), f)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "attestations", view)
}

func (s *Server) attestationRevoke(c *gin.Context) {
	id, err := attestParamID(c, "attestation")
	a, err := s.revoke(c, id, c.PostForm("reason"), err)
	if err != nil {
		if rw.ErrorCode(err) == rw.EINVALID || rw.ErrorCode(err) == rw.ECONFLICT {
			s.redirectFlash(c, "/attestations", "Not revoked: "+rw.ErrorMessage(err))
			return
		}
		s.fail(c, err)
		return
	}
	s.redirectFlash(c, "/attestations", "Attestation "+a.DocumentID+" revoked.")
}

// attestationIssue issues from the assessment page, or re-issues from the confirmation page
// (form field supersede). A conflict — another click or user issued meanwhile — leads to the
// confirmation page when a current attestation exists, and never issues a second one.
func (s *Server) attestationIssue(c *gin.Context) {
	supersede, _ := strconv.ParseInt(c.PostForm("supersede"), 10, 64)
	a, err := s.issue(c, supersede)
	if err != nil {
		if rw.ErrorCode(err) == rw.ECONFLICT {
			to := "/assessments/" + c.Param("id")
			if id, perr := attestParamID(c, "assessment"); perr == nil && s.deps.Attestations != nil {
				if _, cerr := s.deps.Attestations.CurrentAttestation(c.Request.Context(), id); cerr == nil {
					to += "/attestations/reissue"
				}
			}
			s.redirectFlash(c, to, "Not attested: "+rw.ErrorMessage(err))
			return
		}
		s.fail(c, err)
		return
	}
	s.redirectFlash(c, "/attestations?assessment_id="+strconv.FormatInt(a.AssessmentID, 10),
		"Attestation "+a.DocumentID+" issued and signed.")
}
