package report

import (
	"encoding/csv"
	"io"
)

// SafeCell neutralises a spreadsheet formula: a cell that starts with = + - @, a tab or a
// carriage return is prefixed with an apostrophe, so Excel, LibreOffice and Google Sheets show
// it as text instead of evaluating it (OWASP "CSV injection"). Every CSV Routewarden writes
// (list pages, reports, the CLI) goes through it.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// WriteCSV writes rows with every cell neutralised by SafeCell.
func WriteCSV(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	out := []string{}
	for _, row := range rows {
		out = out[:0]
		for _, v := range row {
			out = append(out, SafeCell(v))
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
