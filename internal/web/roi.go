package web

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"routewarden/internal/evidence"
	"routewarden/internal/report"
	rw "routewarden/internal/routewarden"
)

// roiRoutes serve the DORA register of information: the page with the lint and the entity
// maintaining the register, and its export.
func (s *Server) roiRoutes() []route {
	read, write := rw.PermRead, rw.PermVendorWrite
	return []route{
		{"GET", "/reports/roi", read, false, s.roiPage},
		{"POST", "/reports/roi/entity", write, false, s.roiEntitySave},
		{"GET", "/api/v1/reports/roi", read, true, s.apiROI},
	}
}

type roiView struct {
	Register    *report.Register
	Entity      rw.RegisterEntity
	EntityTypes []struct{ Code, Label string }
	Countries   []string
	CanEdit     bool
	Errors      map[string]string
}

func (v *roiView) setErrors(m map[string]string) { v.Errors = m }

// PageTitle names the page.
func (v *roiView) PageTitle() string { return "Register of information" }

func (s *Server) registerStore() (rw.RegisterStore, bool) {
	rs, ok := s.deps.Vendors.(rw.RegisterStore)
	return rs, ok
}

type registerSource struct {
	rw.VendorStore
	rw.RegisterStore
}

func (s *Server) loadRegister(c *gin.Context) (*report.Register, bool) {
	rs, ok := s.registerStore()
	if !ok {
		s.fail(c, rw.Errorf(rw.ENOTFOUND, "The register of information is not available on this server."))
		return nil, false
	}
	// The routing data, when loaded, adds the subcontractors the observed upstreams identify.
	var d *evidence.Data
	if s.deps.Evidence != nil {
		var err error
		if d, err = s.deps.Evidence.Data(c.Request.Context()); err != nil {
			s.fail(c, err)
			return nil, false
		}
	}
	reg, err := report.LoadRegister(c.Request.Context(), registerSource{s.deps.Vendors, rs}, d, s.now())
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return reg, true
}

func (s *Server) roiPage(c *gin.Context) {
	reg, ok := s.loadRegister(c)
	if !ok {
		return
	}
	s.render(c, http.StatusOK, "roi", s.roiViewOf(c, reg, reg.Entity))
}

func (s *Server) roiViewOf(c *gin.Context, reg *report.Register, e rw.RegisterEntity) *roiView {
	return &roiView{Register: reg, Entity: e, EntityTypes: rw.RegisterEntityTypes, Countries: rw.Countries(),
		CanEdit: currentUser(c).Role.Can(rw.PermVendorWrite)}
}

type registerEntityInput struct {
	LEI                string `form:"lei" validate:"max=20"`
	Name               string `form:"name" validate:"max=200"`
	Country            string `form:"country" validate:"max=2"`
	EntityType         string `form:"entity_type" validate:"max=20"`
	CompetentAuthority string `form:"competent_authority" validate:"max=200"`
	Currency           string `form:"currency" validate:"max=3"`
}

func (s *Server) roiEntitySave(c *gin.Context) {
	rs, ok := s.registerStore()
	if !ok {
		s.fail(c, rw.Errorf(rw.ENOTFOUND, "The register of information is not available on this server."))
		return
	}
	var in registerEntityInput
	_ = c.ShouldBind(&in)
	e := rw.RegisterEntity{LEI: in.LEI, Name: in.Name, Country: in.Country, EntityType: in.EntityType,
		CompetentAuthority: in.CompetentAuthority, Currency: in.Currency}
	err := s.check(&in)
	if err == nil {
		err = rs.SaveRegisterEntity(c.Request.Context(), &e)
	}
	if err != nil {
		reg, ok := s.loadRegister(c)
		if !ok {
			return
		}
		s.formError(c, err, "roi", s.roiViewOf(c, reg, e))
		return
	}
	s.redirectFlash(c, "/reports/roi", "Entity maintaining the register saved.")
}

// apiROI exports the register: format=xbrl-csv (default; the EBA report package), xlsx, csv (a
// zip of one spreadsheet-friendly CSV per template, formula-safe) or json (the lint only). The
// lint's findings travel in the X-Register-Problems header; strict=true refuses the export with
// 422 and the list when there are any.
func (s *Server) apiROI(c *gin.Context) {
	format := c.DefaultQuery("format", "xbrl-csv")
	switch format {
	case "xbrl-csv", "xlsx", "csv", "json":
	default:
		s.fail(c, &rw.Error{Code: rw.EINVALID, Field: "format", Message: fmt.Sprintf("format must be xbrl-csv, xlsx, csv or json (got %q).", format)})
		return
	}
	reg, ok := s.loadRegister(c)
	if !ok {
		return
	}
	problems := make([]gin.H, len(reg.Problems))
	for i, p := range reg.Problems {
		problems[i] = gin.H{"template": p.Template, "column": p.Column, "subject": p.Subject, "message": p.Message, "link": p.Link}
	}
	if format == "json" || (c.Query("strict") == "true" && len(problems) > 0) {
		status := http.StatusOK
		if format != "json" {
			status = http.StatusUnprocessableEntity
		}
		c.JSON(status, gin.H{"reference_date": reg.RefDate.Format("2006-01-02"), "problems": problems})
		return
	}
	var buf bytes.Buffer
	var err error
	name, ctype := reg.PackageName(), "application/zip"
	switch format {
	case "xlsx":
		err = reg.WriteXLSX(&buf)
		name, ctype = name+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case "csv":
		err = writeROICSV(&buf, reg)
		name += "-csv.zip"
	default:
		err = reg.WriteXBRLCSV(&buf)
		name += ".zip"
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("X-Register-Problems", fmt.Sprint(len(problems)))
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	c.Data(http.StatusOK, ctype, buf.Bytes())
}

// writeROICSV writes one CSV per template (human headers, then the column codes, then the
// rows) and lint.csv, all through the formula-safe CSV writer.
func writeROICSV(buf *bytes.Buffer, reg *report.Register) error {
	zw := zip.NewWriter(buf)
	put := func(name string, rows [][]string) error {
		f, err := zw.Create(name)
		if err != nil {
			return err
		}
		return writeSafeCSV(f, rows)
	}
	lint := [][]string{{"Template", "Column", "Subject", "Problem", "Where to fix"}}
	for _, p := range reg.Problems {
		lint = append(lint, []string{p.Template, p.Column, p.Subject, p.Message, p.Link})
	}
	if err := put("lint.csv", lint); err != nil {
		return err
	}
	for _, t := range reg.Tables {
		labels := make([]string, len(t.Template.Columns))
		for i, col := range t.Template.Columns {
			labels[i] = col.Label
		}
		if err := put(strings.TrimSuffix(t.Template.File(), ".csv")+".csv", append([][]string{labels, t.Template.Header()}, t.Rows...)); err != nil {
			return err
		}
	}
	return zw.Close()
}
