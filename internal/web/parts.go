package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
)

// partFormView is the form page for a service, network or contact of a vendor.
type partFormView struct {
	Kind             string // "service", "network", "contact"
	Vendor           *rw.Vendor
	Action           string
	New              bool
	Service          serviceInput
	Network          networkForm
	Contact          contactInput
	Errors           map[string]string
	ServiceTypes     []rw.ServiceType
	ProviderTypes    []rw.ProviderType
	Regulations      []string
	Substitutability []string
	Reliance         []string
	// Shared is set when the network's ASN already belongs to another vendor: the form then
	// asks for a confirmation.
	Shared bool
}

func (v *partFormView) PageTitle() string {
	verb := "Edit"
	if v.New {
		verb = "Add"
	}
	return fmt.Sprintf("%s %s — %s", verb, v.Kind, v.Vendor.LegalName)
}

func (v *partFormView) setErrors(m map[string]string) { v.Errors = m }

func (s *Server) partForm(kind string, v *rw.Vendor, action string, isNew bool) *partFormView {
	return &partFormView{Kind: kind, Vendor: v, Action: action, New: isNew, ServiceTypes: rw.ServiceTypes,
		ProviderTypes: rw.ProviderTypes, Regulations: rw.Regulations, Substitutability: rw.Substitutability, Reliance: rw.Reliance}
}

func (s *Server) serviceNew(c *gin.Context) {
	if v, ok := s.loadVendor(c); ok {
		view := s.partForm("service", v, fmt.Sprintf("/vendors/%d/services", v.ID), true)
		view.Service.Type, view.Service.ProviderType = "S10", "transit"
		s.render(c, http.StatusOK, "part_form", view)
	}
}

func (s *Server) serviceCreate(c *gin.Context) { s.saveService(c, true) }
func (s *Server) serviceUpdate(c *gin.Context) { s.saveService(c, false) }

func (s *Server) saveService(c *gin.Context, isNew bool) {
	v, ok := s.loadVendor(c)
	if !ok {
		return
	}
	var in serviceInput
	_ = c.ShouldBind(&in)
	action := fmt.Sprintf("/vendors/%d/services", v.ID)
	var sid int64
	if !isNew {
		var err error
		if sid, err = vendorID(c, "sid"); err != nil {
			s.fail(c, err)
			return
		}
		action += fmt.Sprintf("/%d", sid)
	}
	view := s.partForm("service", v, action, isNew)
	view.Service = in
	err := s.check(&in)
	if err == nil {
		svc, _ := in.domain()
		svc.VendorID, svc.ID = v.ID, sid
		if isNew {
			err = s.deps.Vendors.CreateService(c.Request.Context(), svc)
		} else {
			err = s.deps.Vendors.UpdateService(c.Request.Context(), svc)
		}
	}
	if err != nil {
		s.formError(c, err, "part_form", view)
		return
	}
	s.redirectFlash(c, fmt.Sprintf("/vendors/%d#services", v.ID), "Service saved.")
}

func (s *Server) serviceEdit(c *gin.Context) {
	v, ok := s.loadVendor(c)
	if !ok {
		return
	}
	sid, _ := vendorID(c, "sid")
	for _, svc := range v.Services {
		if svc.ID == sid {
			view := s.partForm("service", v, fmt.Sprintf("/vendors/%d/services/%d", v.ID, sid), false)
			view.Service = serviceInput{Name: svc.Name, Type: svc.Type, ProviderType: string(svc.ProviderType), Critical: svc.Critical,
				Regulations: svc.Regulations, Substitutability: svc.Substitutability, ContractRef: svc.ContractRef,
				ContractStart: day(svc.ContractStart), ContractEnd: day(svc.ContractEnd),
				FunctionName: svc.FunctionName, Reliance: svc.Reliance, ExitPlan: svc.ExitPlan, RTOText: hoursText(svc.RTOHours), RPOText: hoursText(svc.RPOHours)}
			s.render(c, http.StatusOK, "part_form", view)
			return
		}
	}
	s.fail(c, rw.Errorf(rw.ENOTFOUND, "The service does not exist."))
}

func (s *Server) serviceDelete(c *gin.Context) {
	s.deletePart(c, "sid", "services", s.deps.Vendors.DeleteService)
}

func (s *Server) networkNew(c *gin.Context) {
	if v, ok := s.loadVendor(c); ok {
		s.render(c, http.StatusOK, "part_form", s.partForm("network", v, fmt.Sprintf("/vendors/%d/networks", v.ID), true))
	}
}

func (s *Server) networkCreate(c *gin.Context) { s.saveNetwork(c, true) }
func (s *Server) networkUpdate(c *gin.Context) { s.saveNetwork(c, false) }

func (s *Server) saveNetwork(c *gin.Context, isNew bool) {
	v, ok := s.loadVendor(c)
	if !ok {
		return
	}
	var f networkForm
	_ = c.ShouldBind(&f)
	action := fmt.Sprintf("/vendors/%d/networks", v.ID)
	var nid int64
	if !isNew {
		var err error
		if nid, err = vendorID(c, "nid"); err != nil {
			s.fail(c, err)
			return
		}
		action += fmt.Sprintf("/%d", nid)
	}
	view := s.partForm("network", v, action, isNew)
	view.Network = f
	err := s.check(&f)
	if err == nil {
		var n *rw.Network
		if n, err = f.domain(); err == nil {
			n.VendorID, n.ID = v.ID, nid
			if isNew && !f.Confirm && n.Validate() == nil {
				err = s.sharedASNConflict(c.Request.Context(), v.ID, []*rw.Network{n}, "asn")
				view.Shared = err != nil && rw.ErrorCode(err) == rw.ECONFLICT
			}
			switch {
			case err != nil: // shown next to the AS number with the confirmation box
			case isNew:
				err = s.deps.Vendors.CreateNetwork(c.Request.Context(), n)
			default:
				err = s.deps.Vendors.UpdateNetwork(c.Request.Context(), n)
			}
		}
	}
	if err != nil {
		s.formError(c, err, "part_form", view)
		return
	}
	s.redirectFlash(c, fmt.Sprintf("/vendors/%d#networks", v.ID), "Network saved.")
}

func (s *Server) networkEdit(c *gin.Context) {
	v, ok := s.loadVendor(c)
	if !ok {
		return
	}
	nid, _ := vendorID(c, "nid")
	for _, n := range v.Networks {
		if n.ID == nid {
			view := s.partForm("network", v, fmt.Sprintf("/vendors/%d/networks/%d", v.ID, nid), false)
			ps := make([]string, len(n.ExpectedPrefixes))
			for i, p := range n.ExpectedPrefixes {
				ps[i] = p.String()
			}
			view.Network = networkForm{ASN: rw.FormatASN(n.ASN), Name: n.Name, ExpectedPrefixes: strings.Join(ps, "\n"), ASSet: n.ASSet}
			s.render(c, http.StatusOK, "part_form", view)
			return
		}
	}
	s.fail(c, rw.Errorf(rw.ENOTFOUND, "The network does not exist."))
}

func (s *Server) networkDelete(c *gin.Context) {
	s.deletePart(c, "nid", "networks", s.deps.Vendors.DeleteNetwork)
}

func (s *Server) contactNew(c *gin.Context) {
	if v, ok := s.loadVendor(c); ok {
		s.render(c, http.StatusOK, "part_form", s.partForm("contact", v, fmt.Sprintf("/vendors/%d/contacts", v.ID), true))
	}
}

func (s *Server) contactCreate(c *gin.Context) {
	v, ok := s.loadVendor(c)
	if !ok {
		return
	}
	var in contactInput
	_ = c.ShouldBind(&in)
	view := s.partForm("contact", v, fmt.Sprintf("/vendors/%d/contacts", v.ID), true)
	view.Contact = in
	err := s.check(&in)
	if err == nil {
		ct := in.domain()
		ct.VendorID = v.ID
		err = s.deps.Vendors.CreateContact(c.Request.Context(), ct)
	}
	if err != nil {
		s.formError(c, err, "part_form", view)
		return
	}
	s.redirectFlash(c, fmt.Sprintf("/vendors/%d#contacts", v.ID), "Contact added.")
}

func (s *Server) contactDelete(c *gin.Context) {
	s.deletePart(c, "cid", "contacts", s.deps.Vendors.DeleteContact)
}

func (s *Server) deletePart(c *gin.Context, param, anchor string, del func(context.Context, int64, int64) error) {
	vid, err := vendorID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	id, err := vendorID(c, param)
	if err == nil {
		err = del(c.Request.Context(), vid, id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.redirectFlash(c, fmt.Sprintf("/vendors/%d#%s", vid, anchor), "Removed.")
}

func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format("2006-01-02")
}

func hoursText(h *int) string {
	if h == nil {
		return ""
	}
	return strconv.Itoa(*h)
}
