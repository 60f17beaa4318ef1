package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
)

// boardRoutes serve the board / supervisor report: issuing one (generate, sign, register and
// download in one POST), the registry of issued reports with re-download, and revocation.
func (s *Server) boardRoutes() []route {
	read, attest := rw.PermRead, rw.PermAttest
	return []route{
		{"GET", "/reports/board", read, false, s.boardList},
		{"POST", "/reports/board", attest, false, s.boardIssue},
		{"GET", "/reports/board/:id/pdf", read, false, s.boardPDF},
		{"POST", "/reports/board/:id/revoke", attest, false, s.boardRevoke},
		{"GET", "/api/v1/reports/board", read, true, s.apiBoardList},
		{"POST", "/api/v1/reports/board", attest, true, s.apiBoardIssue},
		{"GET", "/api/v1/reports/board/:id/pdf", read, true, s.boardPDF},
		{"POST", "/api/v1/reports/board/:id/revoke", attest, true, s.apiBoardRevoke},
	}
}

func toBoardReportJSON(r *rw.BoardReport) signedDocumentJSON {
	return signedDocumentJSON{ID: r.ID, DocumentID: r.DocumentID, SHA256: r.SHA256, SignerName: r.SignerName,
		SignerFingerprint: r.SignerFingerprint, IssuedAt: r.IssuedAt, IssuedBy: r.IssuedBy, Revoked: r.Revoked(),
		RevokedAt: r.RevokedAt, RevokedBy: r.RevokedBy, RevocationReason: r.RevocationReason, Demo: r.Demo,
		DevCertificate: r.DevCertificate, Size: r.Size, PDFURL: fmt.Sprintf("/api/v1/reports/board/%d/pdf", r.ID)}
}

// boardRegistry returns the registry, or ENOTFOUND when the server was built without one.
func (s *Server) boardRegistry() (rw.BoardReportStore, error) {
	if s.deps.BoardReports == nil {
		return nil, rw.Errorf(rw.ENOTFOUND, "Board reports are not available on this server.")
	}
	return s.deps.BoardReports, nil
}

func (s *Server) apiBoardList(c *gin.Context) {
	offset, limit := queryInt(c, "offset", 0), min(queryInt(c, "limit", 100), 1000)
	reg, err := s.boardRegistry()
	var list []*rw.BoardReport
	var total int
	if err == nil {
		list, total, err = reg.FindBoardReports(c.Request.Context(), offset, limit)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]signedDocumentJSON, len(list))
	for i, r := range list {
		out[i] = toBoardReportJSON(r)
	}
	c.JSON(http.StatusOK, gin.H{"board_reports": out, "total": total, "offset": offset, "limit": limit})
}

// apiBoardIssue gathers, renders, signs and registers a board report and answers with its
// registry entry; the PDF is at pdf_url.
func (s *Server) apiBoardIssue(c *gin.Context) {
	r, err := s.issueBoard(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", fmt.Sprintf("/api/v1/reports/board/%d/pdf", r.ID))
	c.JSON(http.StatusCreated, toBoardReportJSON(r))
}

func (s *Server) apiBoardRevoke(c *gin.Context) {
	id, err := attestParamID(c, "board report")
	var in revokeInput
	if err == nil {
		err = s.bindJSON(c, &in)
	}
	reg, err2 := s.boardRegistry()
	var r *rw.BoardReport
	if err = firstErr(err, err2); err == nil {
		r, err = reg.RevokeBoardReport(c.Request.Context(), id, currentUser(c).Email, in.Reason)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.log.Info("board report revoked", "document_id", r.DocumentID, "by", r.RevokedBy, "request_id", c.GetString(ctxRequestID))
	c.JSON(http.StatusOK, toBoardReportJSON(r))
}

// boardListView is the registry of issued board reports.
type boardListView struct {
	Reports   []*rw.BoardReport
	Total     int
	CanIssue  bool
	Warning   string
	Available bool
}

func (boardListView) PageTitle() string { return "Board reports" }

func (s *Server) boardList(c *gin.Context) {
	v := boardListView{CanIssue: currentUser(c).Role.Can(rw.PermAttest), Warning: s.deps.AttestWarning,
		Available: s.deps.BoardReports != nil && s.deps.BoardIssuer != nil}
	if s.deps.BoardReports != nil {
		var err error
		if v.Reports, v.Total, err = s.deps.BoardReports.FindBoardReports(c.Request.Context(), queryInt(c, "offset", 0), 100); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.render(c, http.StatusOK, "board_reports", v)
}

// boardIssue gathers, renders, signs and registers a board report and sends it as a download.
func (s *Server) boardIssue(c *gin.Context) {
	r, err := s.issueBoard(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sendBoardPDF(c, r)
}

// issueBoard issues a board report in the name of the signed-in user.
func (s *Server) issueBoard(c *gin.Context) (*rw.BoardReport, error) {
	if s.deps.BoardIssuer == nil {
		return nil, rw.Errorf(rw.ENOTFOUND, "Board reports are not available on this server.")
	}
	return s.deps.BoardIssuer.IssueBoardReport(c.Request.Context(), currentUser(c).Email)
}

func (s *Server) boardPDF(c *gin.Context) {
	id, err := attestParamID(c, "board report")
	reg, err2 := s.boardRegistry()
	var r *rw.BoardReport
	if err = firstErr(err, err2); err == nil {
		r, err = reg.BoardReportPDF(c.Request.Context(), id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sendBoardPDF(c, r)
}

func (s *Server) sendBoardPDF(c *gin.Context, r *rw.BoardReport) {
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.pdf"`, r.DocumentID))
	c.Header("X-Content-SHA256", r.SHA256)
	c.Header("X-Document-ID", r.DocumentID)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/pdf", r.PDF)
}

func (s *Server) boardRevoke(c *gin.Context) {
	id, err := attestParamID(c, "board report")
	reg, err2 := s.boardRegistry()
	var r *rw.BoardReport
	if err = firstErr(err, err2); err == nil {
		r, err = reg.RevokeBoardReport(c.Request.Context(), id, currentUser(c).Email, c.PostForm("reason"))
	}
	switch rw.ErrorCode(err) {
	case "":
		s.redirectFlash(c, "/reports/board", "Board report "+r.DocumentID+" revoked.")
	case rw.EINVALID, rw.ECONFLICT:
		s.redirectFlash(c, "/reports/board", "Not revoked: "+rw.ErrorMessage(err))
	default:
		s.fail(c, err)
	}
}
