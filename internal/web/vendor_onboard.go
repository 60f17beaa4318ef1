package web

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
)

// The new-vendor form registers the services bought and the contacts in the same step, as
// rows. Without JavaScript the form has a fixed number of empty rows and an "add another"
// button that re-renders it with one more; empty rows are ignored. Everything is saved in one
// transaction or not at all.

const (
	defaultRows = 2
	maxRows     = 20
)

// serviceRow and contactRow are one row of the new-vendor form, as typed.
type serviceRow struct {
	N                        int // the row's number as shown, from 1
	Name, Type, ProviderType string
	Critical                 bool
}

type contactRow struct {
	N                        int
	Name, Email, Role, Phone string
}

func (r serviceRow) empty() bool {
	return strings.TrimSpace(r.Name) == "" && r.Type == "" && r.ProviderType == "" && !r.Critical
}
func (r contactRow) empty() bool {
	return strings.TrimSpace(r.Name+r.Email+r.Role+r.Phone) == ""
}

// rowCount reads how many rows of a kind the form had, plus one when its "add another" button
// was pressed.
func rowCount(c *gin.Context, kind string) int {
	n, _ := strconv.Atoi(c.PostForm(kind + "_rows"))
	if c.PostForm("add") == kind {
		n++
	}
	return min(max(n, defaultRows), maxRows)
}

// formRows reads the service and contact rows of the new-vendor form.
func formRows(c *gin.Context) ([]serviceRow, []contactRow) {
	svcs := make([]serviceRow, rowCount(c, "service"))
	for i := range svcs {
		p := fmt.Sprintf("services.%d.", i)
		svcs[i] = serviceRow{Name: c.PostForm(p + "name"), Type: c.PostForm(p + "type"), ProviderType: c.PostForm(p + "provider_type"),
			Critical: c.PostForm(p+"critical") == "true"}
	}
	cons := make([]contactRow, rowCount(c, "contact"))
	for i := range cons {
		p := fmt.Sprintf("contacts.%d.", i)
		cons[i] = contactRow{Name: c.PostForm(p + "name"), Email: c.PostForm(p + "email"), Role: c.PostForm(p + "role"), Phone: c.PostForm(p + "phone")}
	}
	return svcs, cons
}

// rowLabels name a row's fields in error messages.
var rowLabels = map[string]string{"name": "name", "type": "DORA service type", "provider_type": "provider type",
	"email": "e-mail", "role": "role", "phone": "phone", "regulations": "regulations"}

// addRows validates the non-empty rows and adds them to v. Errors are keyed by the form's
// field names ("contacts.1.email") and also listed, naming the row and the field, for the
// summary above the form.
func addRows(v *rw.Vendor, svcs []serviceRow, cons []contactRow) (rw.ValidationErrors, []string) {
	var errs rw.ValidationErrors
	var summary []string
	collect := func(kind, list string, row int, err error) {
		var ve rw.ValidationErrors
		if !errors.As(err, &ve) {
			return
		}
		for _, e := range ve {
			errs = append(errs, rw.FieldError(fmt.Sprintf("%s.%d.%s", list, row, e.Field), "%s", e.Message))
			summary = append(summary, fmt.Sprintf("%s %d, %s: %s", kind, row+1, rowLabels[e.Field], e.Message))
		}
	}
	for i, r := range svcs {
		if r.empty() {
			continue
		}
		s := &rw.Service{Name: r.Name, Type: r.Type, ProviderType: rw.ProviderType(r.ProviderType), Critical: r.Critical}
		collect("Service", "services", i, s.Validate())
		v.Services = append(v.Services, s)
	}
	for i, r := range cons {
		if r.empty() {
			continue
		}
		ct := &rw.Contact{Name: r.Name, Email: r.Email, Role: r.Role, Phone: r.Phone}
		collect("Contact", "contacts", i, ct.Validate())
		v.Contacts = append(v.Contacts, ct)
	}
	return errs, summary
}

// asnOwners returns, for each network, the other vendors that already registered its ASN
// (vendorID 0: a vendor not yet saved).
// field names the input each network came from.
func (s *Server) asnOwners(ctx context.Context, vendorID int64, nets []*rw.Network, field func(i int) string) ([]rw.ASNOwner, error) {
	names := map[int64]string{}
	var out []rw.ASNOwner
	for i, n := range nets {
		others, err := s.deps.Vendors.FindNetworksByASN(ctx, n.ASN)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(others, func(o *rw.Network) bool { return o.VendorID == vendorID }) {
			continue // the vendor has it already: the store refuses the duplicate with its own message
		}
		for _, o := range others {
			if _, ok := names[o.VendorID]; !ok {
				v, err := s.deps.Vendors.FindVendorByID(ctx, o.VendorID)
				if err != nil {
					return nil, err
				}
				names[o.VendorID] = v.LegalName
			}
			out = append(out, rw.ASNOwner{ASN: n.ASN, Field: field(i), VendorID: o.VendorID, VendorName: names[o.VendorID]})
		}
	}
	return out, nil
}

// sharedASNConflict is the API's 409 for networks whose ASN already belongs to another vendor;
// field is a format for the index of the network in the request, e.g. "networks[%d].asn".
func (s *Server) sharedASNConflict(ctx context.Context, vendorID int64, nets []*rw.Network, field string) error {
	owners, err := s.asnOwners(ctx, vendorID, nets, func(i int) string {
		if strings.Contains(field, "%d") {
			return fmt.Sprintf(field, i)
		}
		return field
	})
	if err != nil {
		return err
	}
	return rw.SharedASNError(owners, `"confirm_shared_asns": true`)
}
