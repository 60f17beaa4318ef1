package web

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"time"

	rw "routewarden/internal/routewarden"
)

// vendorInput is the body of POST /api/v1/vendors and of the vendor form.
type vendorInput struct {
	LegalName   string         `json:"legal_name" form:"legal_name" validate:"required,max=200"`
	LEI         string         `json:"lei" form:"lei" validate:"omitempty,lei"`
	Country     string         `json:"country" form:"country" validate:"required,country"`
	Website     string         `json:"website" form:"website" validate:"omitempty,max=300,http_url"`
	Description string         `json:"description" form:"description" validate:"max=2000"`
	Version     int            `json:"version" form:"version" validate:"min=0"`
	Services    []serviceInput `json:"services" form:"-" validate:"max=100,dive"`
	Networks    []networkInput `json:"networks" form:"-" validate:"max=100,dive"`
	Contacts    []contactInput `json:"contacts" form:"-" validate:"max=100,dive"`
	// ConfirmSharedASNs registers networks whose ASN already belongs to another vendor;
	// without it such a request is answered 409.
	ConfirmSharedASNs bool `json:"confirm_shared_asns" form:"-"`
}

func (in *vendorInput) domain() (*rw.Vendor, error) {
	v := &rw.Vendor{LegalName: in.LegalName, LEI: strings.ToUpper(strings.TrimSpace(in.LEI)), Country: strings.ToUpper(strings.TrimSpace(in.Country)),
		Website: in.Website, Description: in.Description}
	var errs rw.ValidationErrors
	for i := range in.Services {
		s, err := in.Services[i].domain()
		errs = appendPrefixed(errs, "services", i, err)
		v.Services = append(v.Services, s)
	}
	for i := range in.Networks {
		n, err := in.Networks[i].domain()
		errs = appendPrefixed(errs, "networks", i, err)
		v.Networks = append(v.Networks, n)
	}
	for i := range in.Contacts {
		v.Contacts = append(v.Contacts, in.Contacts[i].domain())
	}
	return v, errs.Err()
}

func appendPrefixed(errs rw.ValidationErrors, list string, i int, err error) rw.ValidationErrors {
	var e *rw.Error
	if errors.As(err, &e) {
		errs = append(errs, &rw.Error{Code: e.Code, Message: e.Message, Field: list + "[" + itoa(i) + "]." + e.Field})
	}
	return errs
}

func itoa(i int) string { return strconv.Itoa(i) }

var asnType = reflect.TypeFor[uint32]()

// vendorPatch is the body of PATCH /api/v1/vendors/{id}: only the fields present change.
type vendorPatch struct {
	LegalName   *string `json:"legal_name" validate:"omitempty,required,max=200"`
	LEI         *string `json:"lei" validate:"omitempty,max=20"`
	Country     *string `json:"country" validate:"omitempty,country"`
	Website     *string `json:"website" validate:"omitempty,max=300"`
	Description *string `json:"description" validate:"omitempty,max=2000"`
	Version     int     `json:"version" validate:"min=0"`
}

// serviceInput is a service in API bodies and the service form.
type serviceInput struct {
	Name             string   `json:"name" form:"name" validate:"required,max=200"`
	Type             string   `json:"type" form:"type" validate:"required,servicetype"`
	ProviderType     string   `json:"provider_type" form:"provider_type" validate:"required,providertype"`
	Critical         bool     `json:"critical" form:"critical"`
	Regulations      []string `json:"regulations" form:"regulations" validate:"max=3,dive,oneof=DORA NIS2 CER"`
	Substitutability string   `json:"substitutability" form:"substitutability" validate:"omitempty,oneof=not_substitutable highly_complex medium_complexity easily_substitutable"`
	ContractRef      string   `json:"contract_ref" form:"contract_ref" validate:"max=100"`
	ContractStart    string   `json:"contract_start" form:"contract_start" validate:"omitempty,datetime=2006-01-02"`
	ContractEnd      string   `json:"contract_end" form:"contract_end" validate:"omitempty,datetime=2006-01-02"`
	FunctionName     string   `json:"function_name" form:"function_name" validate:"max=200"`
	Reliance         string   `json:"reliance" form:"reliance" validate:"omitempty,oneof=not_significant low material full"`
	ExitPlan         string   `json:"exit_plan" form:"exit_plan" validate:"omitempty,oneof=yes no"`
	RTOHours         *int     `json:"rto_hours" form:"-" validate:"omitempty,min=0,max=87600"`
	RPOHours         *int     `json:"rpo_hours" form:"-" validate:"omitempty,min=0,max=87600"`
	// The form sends the recovery objectives as text, so an empty field means "not recorded".
	RTOText string `json:"-" form:"rto_hours" validate:"omitempty,numeric,max=5"`
	RPOText string `json:"-" form:"rpo_hours" validate:"omitempty,numeric,max=5"`
}

func (in *serviceInput) domain() (*rw.Service, error) {
	s := &rw.Service{Name: in.Name, Type: in.Type, ProviderType: rw.ProviderType(in.ProviderType), Critical: in.Critical,
		Regulations: in.Regulations, Substitutability: in.Substitutability, ContractRef: in.ContractRef,
		FunctionName: in.FunctionName, Reliance: in.Reliance, ExitPlan: in.ExitPlan, RTOHours: in.RTOHours, RPOHours: in.RPOHours}
	if s.RTOHours == nil {
		s.RTOHours = parseHours(in.RTOText)
	}
	if s.RPOHours == nil {
		s.RPOHours = parseHours(in.RPOText)
	}
	s.ContractStart = parseDay(in.ContractStart)
	s.ContractEnd = parseDay(in.ContractEnd)
	return s, nil
}

func parseHours(s string) *int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil
	}
	return &n
}

func parseDay(s string) *time.Time {
	if s == "" {
		return nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return nil
	}
	return &t
}

// flexASN accepts 64500, "64500" and "AS64500" in JSON.
type flexASN uint32

// UnmarshalJSON implements json.Unmarshaler.
func (a *flexASN) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	v, err := rw.ParseASN(s)
	if err != nil {
		return &json.UnmarshalTypeError{Value: string(b), Type: asnType}
	}
	*a = flexASN(v)
	return nil
}

// networkInput is a network in API bodies.
type networkInput struct {
	ASN              flexASN  `json:"asn" validate:"required"`
	Name             string   `json:"name" validate:"max=200"`
	ExpectedPrefixes []string `json:"expected_prefixes" validate:"max=10000"`
	ASSet            string   `json:"as_set" validate:"max=200"`
	// ConfirmSharedASNs adds the network even when its ASN already belongs to another vendor
	// (POST /api/v1/vendors/{id}/networks; without it that is a 409).
	ConfirmSharedASNs bool `json:"confirm_shared_asns"`
}

func (in *networkInput) domain() (*rw.Network, error) {
	n := &rw.Network{ASN: uint32(in.ASN), Name: in.Name, ASSet: in.ASSet}
	ps, err := rw.ParsePrefixes(strings.Join(in.ExpectedPrefixes, "\n"))
	n.ExpectedPrefixes = ps
	return n, err
}

// networkForm is the network form: the ASN as typed and prefixes in a text area.
type networkForm struct {
	ASN              string `form:"asn" validate:"required,asn"`
	Name             string `form:"name" validate:"max=200"`
	ExpectedPrefixes string `form:"expected_prefixes" validate:"max=400000"`
	ASSet            string `form:"as_set" validate:"max=200"`
	Confirm          bool   `form:"confirm_shared_asns"`
}

func (f *networkForm) domain() (*rw.Network, error) {
	asn, _ := rw.ParseASN(f.ASN)
	n := &rw.Network{ASN: asn, Name: f.Name, ASSet: f.ASSet}
	ps, err := rw.ParsePrefixes(f.ExpectedPrefixes)
	n.ExpectedPrefixes = ps
	return n, err
}

// contactInput is a contact in API bodies and the contact form.
type contactInput struct {
	Name  string `json:"name" form:"name" validate:"required,max=200"`
	Email string `json:"email" form:"email" validate:"required,email,max=254"`
	Phone string `json:"phone" form:"phone" validate:"max=50"`
	Role  string `json:"role" form:"role" validate:"max=100"`
}

func (in *contactInput) domain() *rw.Contact {
	return &rw.Contact{Name: in.Name, Email: in.Email, Phone: in.Phone, Role: in.Role}
}
