package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// safeCell neutralises a spreadsheet formula: a cell that starts with = + - @, a tab or a
// carriage return is prefixed with an apostrophe, so Excel, LibreOffice and Google Sheets show
// it as text instead of evaluating it (OWASP "CSV injection").
func safeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// writeSafeCSV writes rows with every cell neutralised.
func writeSafeCSV(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	for _, row := range rows {
		out := make([]string, len(row))
		for i, v := range row {
			out[i] = safeCell(v)
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

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
