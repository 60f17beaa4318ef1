package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
)

type vendorJSON struct {
	ID           int64         `json:"id"`
	LegalName    string        `json:"legal_name"`
	LEI          string        `json:"lei"`
	Country      string        `json:"country"`
	Website      string        `json:"website"`
	Description  string        `json:"description"`
	Demo         bool          `json:"demo"`
	Critical     bool          `json:"critical"`
	Version      int           `json:"version"`
	ServiceCount int           `json:"service_count"`
	NetworkCount int           `json:"network_count"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
	Services     []serviceJSON `json:"services,omitempty"`
	Networks     []networkJSON `json:"networks,omitempty"`
	Contacts     []contactJSON `json:"contacts,omitempty"`
	// Latest is the vendor's latest assessment that is not cancelled (lists only).
	Latest *latestJSON `json:"latest_assessment,omitempty"`
}

type latestJSON struct {
	ID          int64  `json:"id"`
	State       string `json:"state"`
	DueDate     string `json:"due_date"`
	Rating      string `json:"rating,omitempty"`
	Provisional bool   `json:"provisional,omitempty"`
	Tier        string `json:"tier,omitempty"`
}

type serviceJSON struct {
	ID               int64    `json:"id"`
	Name             string   `json:"name"`
	Type             string   `json:"type"`
	TypeLabel        string   `json:"type_label"`
	ProviderType     string   `json:"provider_type"`
	Critical         bool     `json:"critical"`
	Regulations      []string `json:"regulations"`
	Substitutability string   `json:"substitutability"`
	ContractRef      string   `json:"contract_ref"`
	ContractStart    string   `json:"contract_start,omitempty"`
	ContractEnd      string   `json:"contract_end,omitempty"`
	FunctionName     string   `json:"function_name"`
	Reliance         string   `json:"reliance"`
	ExitPlan         string   `json:"exit_plan"`
	RTOHours         *int     `json:"rto_hours"`
	RPOHours         *int     `json:"rpo_hours"`
}

type networkJSON struct {
	ID               int64    `json:"id"`
	ASN              uint32   `json:"asn"`
	Name             string   `json:"name"`
	ExpectedPrefixes []string `json:"expected_prefixes"`
	ASSet            string   `json:"as_set"`
	Warning          string   `json:"warning,omitempty"`
}

type contactJSON struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
	Role  string `json:"role"`
}

func toVendorJSON(v *rw.Vendor) vendorJSON {
	out := vendorJSON{ID: v.ID, LegalName: v.LegalName, LEI: v.LEI, Country: v.Country, Website: v.Website, Description: v.Description,
		Demo: v.Demo, Critical: v.Critical, Version: v.Version, ServiceCount: v.ServiceCount, NetworkCount: v.NetworkCount,
		CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
	if l := v.Latest; l != nil {
		out.Latest = &latestJSON{ID: l.ID, State: string(l.State), DueDate: l.DueDate.Format("2006-01-02"), Rating: l.Rating, Provisional: l.Provisional, Tier: l.Tier}
	}
	for _, s := range v.Services {
		out.Services = append(out.Services, toServiceJSON(s))
	}
	for _, n := range v.Networks {
		out.Networks = append(out.Networks, toNetworkJSON(n))
	}
	for _, c := range v.Contacts {
		out.Contacts = append(out.Contacts, contactJSON{c.ID, c.Name, c.Email, c.Phone, c.Role})
	}
	return out
}

func toServiceJSON(s *rw.Service) serviceJSON {
	regs := s.Regulations
	if regs == nil {
		regs = []string{}
	}
	return serviceJSON{ID: s.ID, Name: s.Name, Type: s.Type, TypeLabel: rw.ServiceTypeLabel(s.Type), ProviderType: string(s.ProviderType),
		Critical: s.Critical, Regulations: regs, Substitutability: s.Substitutability, ContractRef: s.ContractRef,
		ContractStart: day(s.ContractStart), ContractEnd: day(s.ContractEnd),
		FunctionName: s.FunctionName, Reliance: s.Reliance, ExitPlan: s.ExitPlan, RTOHours: s.RTOHours, RPOHours: s.RPOHours}
}

func toNetworkJSON(n *rw.Network) networkJSON {
	ps := make([]string, len(n.ExpectedPrefixes))
	for i, p := range n.ExpectedPrefixes {
		ps[i] = p.String()
	}
	return networkJSON{ID: n.ID, ASN: n.ASN, Name: n.Name, ExpectedPrefixes: ps, ASSet: n.ASSet, Warning: rw.ASNWarning(n.ASN)}
}

func (s *Server) apiMe(c *gin.Context) {
	u := currentUser(c)
	perms := []string{}
	for _, p := range []rw.Permission{rw.PermRead, rw.PermVendorWrite, rw.PermUserAdmin} {
		if u.Role.Can(p) {
			perms = append(perms, string(p))
		}
	}
	c.JSON(http.StatusOK, gin.H{"id": u.ID, "email": u.Email, "name": u.Name, "role": u.Role, "permissions": perms})
}

func (s *Server) apiReference(c *gin.Context) {
	pts := make([]gin.H, len(rw.ProviderTypes))
	for i, p := range rw.ProviderTypes {
		pts[i] = gin.H{"id": p, "label": p.Label()}
	}
	c.JSON(http.StatusOK, gin.H{"service_types": rw.ServiceTypes, "provider_types": pts, "regulations": rw.Regulations,
		"substitutability": rw.Substitutability, "countries": rw.Countries()})
}

func (s *Server) apiVendorList(c *gin.Context) {
	f, _ := vendorFilter(c)
	f.Offset, f.Limit = queryInt(c, "offset", 0), queryInt(c, "limit", 100)
	if f.Limit > 1000 {
		f.Limit = 1000
	}
	vendors, total, err := s.deps.Vendors.FindVendors(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	rows := make([]vendorJSON, len(vendors))
	for i, v := range vendors {
		rows[i] = toVendorJSON(v)
	}
	c.JSON(http.StatusOK, gin.H{"vendors": rows, "total": total, "offset": f.Offset, "limit": f.Limit})
}

func queryInt(c *gin.Context, name string, def int) int {
	var n int
	if _, err := fmtSscan(c.Query(name), &n); err != nil || n < 0 {
		return def
	}
	return n
}

func (s *Server) apiVendorGet(c *gin.Context) {
	if v, ok := s.loadVendor(c); ok {
		c.JSON(http.StatusOK, toVendorJSON(v))
	}
}

func (s *Server) apiVendorCreate(c *gin.Context) {
	var in vendorInput
	err := s.bindJSON(c, &in)
	var v *rw.Vendor
	if err == nil {
		v, err = in.domain()
	}
	if err == nil {
		err = v.ValidateAll() // input errors first: a 409 should not hide a 400
	}
	if err == nil && !in.ConfirmSharedASNs {
		err = s.sharedASNConflict(c.Request.Context(), 0, v.Networks, "networks[%d].asn")
	}
	if err == nil {
		err = s.deps.Vendors.CreateVendor(c.Request.Context(), v)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err = s.deps.Vendors.FindVendorByID(c.Request.Context(), v.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", fmt.Sprintf("/api/v1/vendors/%d", v.ID))
	c.JSON(http.StatusCreated, toVendorJSON(v))
}

func (s *Server) apiVendorUpdate(c *gin.Context) {
	id, err := vendorID(c, "id")
	var in vendorPatch
	if err == nil {
		err = s.bindJSON(c, &in)
	}
	var v *rw.Vendor
	if err == nil {
		v, err = s.deps.Vendors.UpdateVendor(c.Request.Context(), id, rw.VendorUpdate{LegalName: in.LegalName, LEI: in.LEI,
			Country: in.Country, Website: in.Website, Description: in.Description, Version: in.Version})
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toVendorJSON(v))
}

func (s *Server) apiVendorDelete(c *gin.Context) {
	id, err := vendorID(c, "id")
	if err == nil {
		err = s.deps.Vendors.DeleteVendor(c.Request.Context(), id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
