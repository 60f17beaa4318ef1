package report

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// DORAEntryPoint is the EBA taxonomy 4.0 DORA module that report.json extends.
const DORAEntryPoint = "http://www.eba.europa.eu/eu/fr/xbrl/crr/fws/dora/4.0/mod/dora.json"

// PackageName is the name of the report package (and of its root folder): the EBA remittance
// convention {LEI}.IND_{country}_DORA010100_DORA_{reference date}_{creation timestamp}.
func (r *Register) PackageName() string {
	lei := r.Entity.LEI
	if lei == "" {
		lei = "NOLEI"
	}
	cc := r.Entity.Country
	if cc == "" {
		cc = "XX"
	}
	return fmt.Sprintf("%s.IND_%s_DORA010100_DORA_%s_%s", lei, cc, r.RefDate.Format("2006-01-02"), r.Created.Format("20060102150405000"))
}

// WriteXBRLCSV writes the register as an xBRL-CSV report package (a zip).
func (r *Register) WriteXBRLCSV(w io.Writer) error {
	zw := zip.NewWriter(w)
	root := r.PackageName() + "/"
	put := func(name string, data []byte) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: root + name, Method: zip.Deflate, Modified: r.Created})
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}
	pkg, _ := json.MarshalIndent(map[string]any{"documentInfo": map[string]any{"documentType": "https://xbrl.org/report-package/2023"}}, "", "  ")
	rep, _ := json.MarshalIndent(map[string]any{"documentInfo": map[string]any{"documentType": "https://xbrl.org/2021/xbrl-csv",
		"extends": []string{DORAEntryPoint}}}, "", "  ")
	cur := r.Entity.Currency
	if cur == "" {
		cur = "EUR"
	}
	params := [][]string{{"name", "value"}, {"entityID", "rs:" + r.Entity.LEI + ".IND"}, {"refPeriod", r.RefDate.Format("2006-01-02")},
		{"baseCurrency", "iso4217:" + cur}, {"decimalsInteger", "0"}, {"decimalsMonetary", "-3"}}
	ind := [][]string{{"templateID", "reported"}}
	for _, t := range r.Tables {
		ind = append(ind, []string{t.Template.ID, fmt.Sprint(len(t.Rows) > 0)})
	}
	files := []struct {
		name string
		data []byte
	}{{"META-INF/reportPackage.json", pkg}, {"reports/report.json", rep}, {"reports/parameters.csv", csvBytes(params)},
		{"reports/FilingIndicators.csv", csvBytes(ind)}}
	for _, t := range r.Tables {
		files = append(files, struct {
			name string
			data []byte
		}{"reports/" + t.Template.File(), csvBytes(append([][]string{t.Template.Header()}, t.Rows...))})
	}
	for _, f := range files {
		if err := put(f.name, f.data); err != nil {
			return err
		}
	}
	return zw.Close()
}

func csvBytes(rows [][]string) []byte {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	_ = cw.WriteAll(rows) // writes to memory; cannot fail
	return b.Bytes()
}

// SheetName is the worksheet name of a template in the XLSX ("B_05.01").
func SheetName(t *Template) string { return t.ID }

// WriteXLSX writes the register as a workbook: a sheet "Lint" with the problems, then one sheet
// per template with the human headers in row 1 and the column codes in row 2. Every value is a
// string cell, so nothing is evaluated as a formula.
func (r *Register) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const lint = "Lint"
	if err := f.SetSheetName("Sheet1", lint); err != nil {
		return err
	}
	lintRows := [][]string{{"Template", "Column", "Subject", "Problem", "Where to fix"}}
	for _, p := range r.Problems {
		lintRows = append(lintRows, []string{p.Template, p.Column, p.Subject, p.Message, p.Link})
	}
	if err := writeSheet(f, lint, lintRows); err != nil {
		return err
	}
	for _, t := range r.Tables {
		name := SheetName(t.Template)
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
		labels := make([]string, len(t.Template.Columns))
		for i, c := range t.Template.Columns {
			labels[i] = c.Label
		}
		rows := append([][]string{labels, t.Template.Header()}, t.Rows...)
		if err := writeSheet(f, name, rows); err != nil {
			return err
		}
	}
	return f.Write(w)
}

func writeSheet(f *excelize.File, sheet string, rows [][]string) error {
	for i, row := range rows {
		for j, v := range row {
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				return err
			}
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// ProblemsText renders the lint list, one problem per line.
func (r *Register) ProblemsText() string {
	var b strings.Builder
	for _, p := range r.Problems {
		b.WriteString(p.String())
		b.WriteByte('\n')
	}
	return b.String()
}
