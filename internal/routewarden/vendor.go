package routewarden

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Vendor is a supplier of internet connectivity or related services (transit, cloud, CDN, DDoS
// protection, IXP) whose routing security the organisation assesses.
type Vendor struct {
	ID          int64
	LegalName   string
	LEI         string // ISO 17442 legal entity identifier, optional
	Country     string // ISO 3166-1 alpha-2
	Website     string
	Description string
	Demo        bool // synthetic demo data, labelled as such everywhere
	Version     int  // optimistic-locking counter, incremented on every update
	CreatedAt   time.Time
	UpdatedAt   time.Time

	Services []*Service
	Networks []*Network
	Contacts []*Contact

	// ServiceCount and NetworkCount are filled by list queries, which do not load the parts.
	ServiceCount int
	NetworkCount int
	Critical     bool // true when any service supports a critical or important function
	// Latest is the vendor's most recent assessment that is not cancelled, filled by list
	// queries; nil when there is none.
	Latest *LatestAssessment
}

// ProviderTypes returns the distinct provider types of the vendor's services, in catalogue order.
func (v *Vendor) ProviderTypes() []ProviderType {
	var out []ProviderType
	for _, pt := range ProviderTypes {
		for _, s := range v.Services {
			if s.ProviderType == pt {
				out = append(out, pt)
				break
			}
		}
	}
	return out
}

// Validate checks the vendor's own fields (not its parts) and returns every problem found.
func (v *Vendor) Validate() error {
	var errs ValidationErrors
	v.LegalName = strings.TrimSpace(v.LegalName)
	v.LEI = strings.ToUpper(strings.TrimSpace(v.LEI))
	v.Country = strings.ToUpper(strings.TrimSpace(v.Country))
	v.Website = strings.TrimSpace(v.Website)
	switch n := utf8.RuneCountInString(v.LegalName); {
	case n == 0:
		errs = append(errs, FieldError("legal_name", "Legal name is required."))
	case n > 200:
		errs = append(errs, FieldError("legal_name", "Legal name must be at most 200 characters."))
	}
	if v.LEI != "" {
		if err := ValidateLEI(v.LEI); err != nil {
			errs = append(errs, FieldError("lei", "%s", err.Error()))
		}
	}
	if !ValidCountry(v.Country) {
		errs = append(errs, FieldError("country", "Country must be an ISO 3166-1 alpha-2 code such as DE or NL (got %q).", v.Country))
	}
	if v.Website != "" {
		if u, err := url.Parse(v.Website); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, FieldError("website", "Website must be an http(s) URL such as https://example.net."))
		}
	}
	if utf8.RuneCountInString(v.Description) > 2000 {
		errs = append(errs, FieldError("description", "Description must be at most 2000 characters."))
	}
	return errs.Err()
}

// VendorFilter selects vendors for a list. Zero values select everything.
type VendorFilter struct {
	Query        string // matches legal name, LEI, or an ASN of the vendor ("AS3333" or "3333")
	Country      string
	ServiceType  string // S01..S19
	ProviderType ProviderType
	Critical     *bool
	Sort         string // "name" (default), "rating", "state", "due", "tier", "updated"; a leading "-" sorts descending (see VendorSort)
	Offset       int
	Limit        int
}

// VendorUpdate holds the vendor fields that may change; nil means unchanged. Version must equal
// the stored version (optimistic locking) when non-zero.
type VendorUpdate struct {
	LegalName   *string
	LEI         *string
	Country     *string
	Website     *string
	Description *string
	Version     int
}

// Apply copies the set fields of upd onto v.
func (upd VendorUpdate) Apply(v *Vendor) {
	if upd.LegalName != nil {
		v.LegalName = *upd.LegalName
	}
	if upd.LEI != nil {
		v.LEI = *upd.LEI
	}
	if upd.Country != nil {
		v.Country = *upd.Country
	}
	if upd.Website != nil {
		v.Website = *upd.Website
	}
	if upd.Description != nil {
		v.Description = *upd.Description
	}
}

// VendorStore persists vendors and their services, networks and contacts. Multi-row writes run
// in one transaction; every method returns an *Error with ENOTFOUND for a missing vendor.
type VendorStore interface {
	FindVendorByID(ctx context.Context, id int64) (*Vendor, error)
	FindVendors(ctx context.Context, f VendorFilter) ([]*Vendor, int, error)
	CreateVendor(ctx context.Context, v *Vendor) error // also creates v's services, networks, contacts
	UpdateVendor(ctx context.Context, id int64, upd VendorUpdate) (*Vendor, error)
	DeleteVendor(ctx context.Context, id int64) error
	VendorCountries(ctx context.Context) ([]string, error)

	CreateService(ctx context.Context, s *Service) error
	UpdateService(ctx context.Context, s *Service) error
	DeleteService(ctx context.Context, vendorID, id int64) error
	CreateNetwork(ctx context.Context, n *Network) error
	UpdateNetwork(ctx context.Context, n *Network) error
	DeleteNetwork(ctx context.Context, vendorID, id int64) error
	FindNetworksByASN(ctx context.Context, asn uint32) ([]*Network, error)
	// FindNetworks returns every network of every vendor, ordered by vendor and ASN.
	FindNetworks(ctx context.Context) ([]*Network, error)
	CreateContact(ctx context.Context, c *Contact) error
	DeleteContact(ctx context.Context, vendorID, id int64) error
}

// Contact is a person at the vendor.
type Contact struct {
	ID        int64
	VendorID  int64
	Name      string
	Email     string
	Phone     string
	Role      string // e.g. "NOC", "Security", "Account manager"
	CreatedAt time.Time
}

// Validate checks the contact's fields.
func (c *Contact) Validate() error {
	var errs ValidationErrors
	c.Name = strings.TrimSpace(c.Name)
	c.Email = NormalizeEmail(c.Email)
	if c.Name == "" || utf8.RuneCountInString(c.Name) > 200 {
		errs = append(errs, FieldError("name", "Name is required (at most 200 characters)."))
	}
	if !ValidEmail(c.Email) {
		errs = append(errs, FieldError("email", "E-mail must be an address such as noc@example.net."))
	}
	if utf8.RuneCountInString(c.Role) > 100 || utf8.RuneCountInString(c.Phone) > 50 {
		errs = append(errs, FieldError("role", "Role and phone must be short."))
	}
	return errs.Err()
}

// ValidEmail is a deliberately simple syntax check: one @, a non-empty local part and a domain
// with a dot, no spaces.
func ValidEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || strings.ContainsAny(s, " \t\r\n<>") || len(s) > 254 {
		return false
	}
	return strings.Contains(s[at+1:], ".")
}

// ValidateAll checks the vendor and every service, network and contact it carries; field names
// of the parts are prefixed, e.g. "networks[0].asn".
func (v *Vendor) ValidateAll() error {
	var errs ValidationErrors
	collect := func(prefix string, err error) {
		var ve ValidationErrors
		if errors.As(err, &ve) {
			for _, e := range ve {
				f := e.Field
				if prefix != "" {
					f = prefix + "." + f
				}
				errs = append(errs, &Error{Code: e.Code, Message: e.Message, Field: f})
			}
		}
	}
	collect("", v.Validate())
	for i, s := range v.Services {
		collect(fmt.Sprintf("services[%d]", i), s.Validate())
	}
	seen := map[uint32]bool{}
	for i, n := range v.Networks {
		collect(fmt.Sprintf("networks[%d]", i), n.Validate())
		if seen[n.ASN] {
			errs = append(errs, FieldError(fmt.Sprintf("networks[%d].asn", i), "AS%d is listed twice.", n.ASN))
		}
		seen[n.ASN] = true
	}
	for i, c := range v.Contacts {
		collect(fmt.Sprintf("contacts[%d]", i), c.Validate())
	}
	return errs.Err()
}
