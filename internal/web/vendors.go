package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"routewarden/internal/monitor"
	rw "routewarden/internal/routewarden"
)

type vendorView struct {
	Vendor   *rw.Vendor
	Warnings map[uint32]string
	Evidence []networkEvidence
	// Alerts are the vendor's active monitoring alerts; Changed those critical ones opened
	// since Attestation, its latest valid attestation, was issued.
	Alerts      []rw.Alert
	Changed     []rw.Alert
	Attestation *rw.Attestation
	Monitoring  bool
}

func (v vendorView) PageTitle() string { return v.Vendor.LegalName }

// vendorID reads the :id parameter; a malformed one is a 404 like any missing vendor.
func vendorID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, rw.Errorf(rw.ENOTFOUND, "There is no %s with ID %q.", strings.TrimSuffix(name, "id"), c.Param(name))
	}
	return id, nil
}

func (s *Server) loadVendor(c *gin.Context) (*rw.Vendor, bool) {
	id, err := vendorID(c, "id")
	if err == nil {
		var v *rw.Vendor
		if v, err = s.deps.Vendors.FindVendorByID(c.Request.Context(), id); err == nil {
			return v, true
		}
	}
	s.fail(c, err)
	return nil, false
}

func (s *Server) vendorShow(c *gin.Context) {
	v, ok := s.loadVendor(c)
	if !ok {
		return
	}
	w := map[uint32]string{}
	for _, n := range v.Networks {
		if msg := rw.ASNWarning(n.ASN); msg != "" {
			w[n.ASN] = msg
		}
	}
	ev, err := s.vendorEvidence(c, v)
	if err != nil {
		s.fail(c, err)
		return
	}
	view := vendorView{Vendor: v, Warnings: w, Evidence: ev}
	if err := s.vendorMonitoring(c, &view); err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "vendor", view)
}

// vendorMonitoring adds the vendor's active alerts and, when critical alerts opened after its
// latest valid attestation, marks the page "changed since attestation".
func (s *Server) vendorMonitoring(c *gin.Context, view *vendorView) error {
	if s.deps.Monitor == nil {
		return nil
	}
	ctx := c.Request.Context()
	view.Monitoring = true
	var err error
	if view.Alerts, err = s.deps.Monitor.FindAlerts(ctx, rw.AlertFilter{VendorID: view.Vendor.ID, State: "active"}); err != nil {
		return err
	}
	if s.deps.Attestations == nil {
		return nil
	}
	atts, _, err := s.deps.Attestations.FindAttestations(ctx, rw.AttestationFilter{VendorID: view.Vendor.ID, Limit: 20})
	if err != nil {
		return err
	}
	for _, a := range atts {
		if !a.Revoked() && (view.Attestation == nil || a.IssuedAt.After(view.Attestation.IssuedAt)) {
			view.Attestation = a
		}
	}
	view.Changed, err = monitor.SinceAttestation(ctx, s.deps.Monitor, view.Attestation)
	return err
}

type vendorFormView struct {
	New       bool
	Action    string
	Vendor    *rw.Vendor
	In        vendorInput
	ASNs      string
	Errors    map[string]string
	Countries []string
}

func (v vendorFormView) PageTitle() string {
	if v.New {
		return "New vendor"
	}
	return "Edit " + v.Vendor.LegalName
}

func (s *Server) vendorNew(c *gin.Context) {
	s.render(c, http.StatusOK, "vendor_form", vendorFormView{New: true, Action: "/vendors", Countries: rw.Countries()})
}

func (s *Server) vendorCreate(c *gin.Context) {
	var in vendorInput
	_ = c.ShouldBind(&in)
	asns := c.PostForm("asns")
	view := vendorFormView{New: true, Action: "/vendors", In: in, ASNs: asns, Countries: rw.Countries()}
	v, err := s.vendorFromForm(&in, asns)
	if err == nil {
		err = s.deps.Vendors.CreateVendor(c.Request.Context(), v)
	}
	if err != nil {
		s.formError(c, err, "vendor_form", &view)
		return
	}
	s.log.Info("vendor created", "request_id", c.GetString(ctxRequestID), "vendor_id", v.ID, "user_id", currentUser(c).ID)
	s.redirectFlash(c, fmt.Sprintf("/vendors/%d", v.ID), "Vendor "+v.LegalName+" created.")
}

// vendorFromForm validates the form and turns the optional ASN list into networks.
func (s *Server) vendorFromForm(in *vendorInput, asns string) (*rw.Vendor, error) {
	errs, _ := s.check(in).(rw.ValidationErrors)
	v, _ := in.domain()
	for i, f := range strings.FieldsFunc(asns, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' }) {
		asn, err := rw.ParseASN(f)
		if err != nil || asn == 0 {
			errs = append(errs, rw.FieldError("asns", "Entry %d (%q) is not an AS number such as 64500 or AS64500.", i+1, f))
			continue
		}
		v.Networks = append(v.Networks, &rw.Network{ASN: asn})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return v, nil
}

// formError re-renders a form with the field errors next to their fields, or fails outright for
// errors that are not about the input.
func (s *Server) formError(c *gin.Context, err error, page string, view formView) {
	code := rw.ErrorCode(err)
	if code != rw.EINVALID && code != rw.ECONFLICT {
		s.fail(c, err)
		return
	}
	m := map[string]string{}
	if ve, ok := err.(rw.ValidationErrors); ok {
		m = ve.ByField()
	} else {
		m[rw.ErrorField(err)] = rw.ErrorMessage(err)
	}
	if msg, ok := m[""]; ok {
		m["_form"] = msg
	}
	view.setErrors(m)
	s.render(c, statusOf[code], page, view)
}

// formView is a page view that shows field errors next to the fields.
type formView interface{ setErrors(map[string]string) }

func (v *vendorFormView) setErrors(m map[string]string) { v.Errors = m }

func (s *Server) vendorEdit(c *gin.Context) {
	v, ok := s.loadVendor(c)
	if !ok {
		return
	}
	in := vendorInput{LegalName: v.LegalName, LEI: v.LEI, Country: v.Country, Website: v.Website, Description: v.Description, Version: v.Version}
	s.render(c, http.StatusOK, "vendor_form", vendorFormView{Action: fmt.Sprintf("/vendors/%d", v.ID), Vendor: v, In: in, Countries: rw.Countries()})
}

func (s *Server) vendorUpdate(c *gin.Context) {
	v, ok := s.loadVendor(c)
	if !ok {
		return
	}
	var in vendorInput
	_ = c.ShouldBind(&in)
	view := vendorFormView{Action: fmt.Sprintf("/vendors/%d", v.ID), Vendor: v, In: in, Countries: rw.Countries()}
	err := s.check(&in)
	if err == nil {
		upd := rw.VendorUpdate{LegalName: &in.LegalName, LEI: &in.LEI, Country: &in.Country, Website: &in.Website, Description: &in.Description, Version: in.Version}
		_, err = s.deps.Vendors.UpdateVendor(c.Request.Context(), v.ID, upd)
	}
	if err != nil {
		s.formError(c, err, "vendor_form", &view)
		return
	}
	s.redirectFlash(c, fmt.Sprintf("/vendors/%d", v.ID), "Changes saved.")
}

func (s *Server) vendorDelete(c *gin.Context) {
	v, ok := s.loadVendor(c)
	if !ok {
		return
	}
	if err := s.deps.Vendors.DeleteVendor(c.Request.Context(), v.ID); err != nil {
		s.fail(c, err)
		return
	}
	s.log.Info("vendor deleted", "request_id", c.GetString(ctxRequestID), "vendor_id", v.ID, "user_id", currentUser(c).ID)
	s.redirectFlash(c, "/vendors", "Vendor "+v.LegalName+" deleted.")
}
