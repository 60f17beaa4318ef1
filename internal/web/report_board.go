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
	}
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
	if s.deps.BoardIssuer == nil {
		s.fail(c, rw.Errorf(rw.ENOTFOUND, "Board reports are not available on this server."))
		return
	}
	r, err := s.deps.BoardIssuer.IssueBoardReport(c.Request.Context(), currentUser(c).Email)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sendBoardPDF(c, r)
}

func (s *Server) boardPDF(c *gin.Context) {
	id, err := attestParamID(c, "board report")
	if err == nil && s.deps.BoardReports == nil {
		err = rw.Errorf(rw.ENOTFOUND, "Board reports are not available on this server.")
	}
	var r *rw.BoardReport
	if err == nil {
		r, err = s.deps.BoardReports.BoardReportPDF(c.Request.Context(), id)
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
	if err == nil && s.deps.BoardReports == nil {
		err = rw.Errorf(rw.ENOTFOUND, "Board reports are not available on this server.")
	}
	var r *rw.BoardReport
	if err == nil {
		r, err = s.deps.BoardReports.RevokeBoardReport(c.Request.Context(), id, currentUser(c).Email, c.PostForm("reason"))
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
