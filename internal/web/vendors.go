package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

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
	// Assessments are the vendor's latest assessments (latest due first, at most
	// vendorAssessmentsShown) with their next steps; AssessmentsTotal counts them all.
	Assessments      []*rw.Assessment
	AssessmentsTotal int
	Next             map[int64]rw.NextStep
	Now              time.Time
}

// vendorAssessmentsShown is how many of a vendor's assessments its page lists.
const vendorAssessmentsShown = 5

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
	view := vendorView{Vendor: v, Warnings: w, Evidence: ev, Now: s.now()}
	if err := s.vendorMonitoring(c, &view); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.vendorAssessments(c, &view); err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "vendor", view)
}

// vendorAssessments adds the vendor's latest assessments, with who acts next on each, so that
// the page answers "where do we stand with this supplier" without a second click.
func (s *Server) vendorAssessments(c *gin.Context, view *vendorView) error {
	if s.deps.Assessments == nil {
		return nil
	}
	ctx := c.Request.Context()
	var all []*rw.Assessment
	for off := 0; ; {
		page, total, err := s.deps.Assessments.FindAssessments(ctx, rw.AssessmentFilter{VendorID: view.Vendor.ID, Offset: off, Limit: 500})
		if err != nil {
			return err
		}
		all = append(all, page...)
		view.AssessmentsTotal = total
		if off += len(page); len(page) == 0 || off >= total {
			break
		}
	}
	// The store lists soonest due first; the page wants the latest round first.
	slices.Reverse(all)
	view.Assessments = all[:min(len(all), vendorAssessmentsShown)]
	var err error
	view.Next, err = s.nextSteps(ctx, view.Assessments)
	return err
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
	Countries []rw.Country
	// The new-vendor form's service and contact rows, the choices of their selects, and the
	// row errors naming row and field.
	Services      []serviceRow
	Contacts      []contactRow
	ServiceTypes  []rw.ServiceType
	ProviderTypes []rw.ProviderType
	RowErrors     []string
	// Shared lists the ASNs that already belong to other vendors; saving them needs Confirm.
	Shared  []rw.ASNOwner
	Confirm bool
}

func (v vendorFormView) PageTitle() string {
	if v.New {
		return "New vendor"
	}
	return "Edit " + v.Vendor.LegalName
}

func newVendorForm(in vendorInput, asns string, svcs []serviceRow, cons []contactRow) vendorFormView {
	for i := range svcs {
		svcs[i].N = i + 1
	}
	for i := range cons {
		cons[i].N = i + 1
	}
	return vendorFormView{New: true, Action: "/vendors", In: in, ASNs: asns, Countries: rw.CountriesByName(),
		Services: svcs, Contacts: cons, ServiceTypes: rw.ServiceTypes, ProviderTypes: rw.ProviderTypes}
}

func (s *Server) vendorNew(c *gin.Context) {
	s.render(c, http.StatusOK, "vendor_form", newVendorForm(vendorInput{}, "", make([]serviceRow, defaultRows), make([]contactRow, defaultRows)))
}

// vendorCreate saves the new-vendor form with its networks, services and contacts in one
// transaction. "Add another" re-renders the form with one more row and saves nothing; ASNs
// that already belong to another vendor are saved only once the confirmation is ticked.
func (s *Server) vendorCreate(c *gin.Context) {
	var in vendorInput
	_ = c.ShouldBind(&in)
	asns := c.PostForm("asns")
	svcs, cons := formRows(c)
	view := newVendorForm(in, asns, svcs, cons)
	view.Confirm = c.PostForm("confirm_shared_asns") == "yes"
	if c.PostForm("add") != "" {
		s.render(c, http.StatusOK, "vendor_form", view)
		return
	}
	ctx := c.Request.Context()
	v, err := s.vendorFromForm(&in, asns, &view)
	if err == nil && !view.Confirm {
		view.Shared, err = s.asnOwners(ctx, 0, v.Networks, func(int) string { return "asns" })
		if err == nil {
			err = rw.SharedASNError(view.Shared, "tick the box below the warning")
		}
	}
	if err == nil {
		err = s.deps.Vendors.CreateVendor(ctx, v)
	}
	if err != nil {
		s.formError(c, err, "vendor_form", &view)
		return
	}
	s.log.Info("vendor created", "request_id", c.GetString(ctxRequestID), "vendor_id", v.ID, "user_id", currentUser(c).ID)
	s.redirectFlash(c, fmt.Sprintf("/vendors/%d", v.ID), fmt.Sprintf("Vendor %s created with %d service(s), %d network(s) and %d contact(s).",
		v.LegalName, len(v.Services), len(v.Networks), len(v.Contacts)))
}

// vendorFromForm validates the form, turns the optional ASN list into networks and adds the
// non-empty service and contact rows.
func (s *Server) vendorFromForm(in *vendorInput, asns string, view *vendorFormView) (*rw.Vendor, error) {
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
	rowErrs, summary := addRows(v, view.Services, view.Contacts)
	errs = append(errs, rowErrs...)
	view.RowErrors = summary
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
	s.render(c, http.StatusOK, "vendor_form", vendorFormView{Action: fmt.Sprintf("/vendors/%d", v.ID), Vendor: v, In: in, Countries: rw.CountriesByName()})
}

func (s *Server) vendorUpdate(c *gin.Context) {
	v, ok := s.loadVendor(c)
	if !ok {
		return
	}
	var in vendorInput
	_ = c.ShouldBind(&in)
	view := vendorFormView{Action: fmt.Sprintf("/vendors/%d", v.ID), Vendor: v, In: in, Countries: rw.CountriesByName()}
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
