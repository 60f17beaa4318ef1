package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"routewarden/internal/report"
)

// safeCell and writeSafeCSV are report.SafeCell and report.WriteCSV: one formula-injection
// rule for every CSV Routewarden writes.
func safeCell(s string) string { return report.SafeCell(s) }

func writeSafeCSV(w io.Writer, rows [][]string) error { return report.WriteCSV(w, rows) }

// wantsCSV reports whether a list page was asked for its CSV export (?format=csv).
func wantsCSV(c *gin.Context) bool { return c.Query("format") == "csv" }

// sendCSV answers a list's CSV export as an attachment named name.csv.
func (s *Server) sendCSV(c *gin.Context, name string, rows [][]string) {
	var buf bytes.Buffer
	if err := writeSafeCSV(&buf, rows); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+"-"+s.now().Format("2006-01-02")+".csv"))
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// csvURL is the current list URL with format=csv added, for the "Download CSV" link.
func csvURL(path, rawQuery string) string {
	q := rawQuery
	if q != "" && !strings.HasSuffix(q, "&") {
		q += "&"
	}
	return path + "?" + q + "format=csv"
}
