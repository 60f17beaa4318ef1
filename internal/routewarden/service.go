package routewarden

import (
	"strings"
	"time"
	"unicode/utf8"
)

// ServiceType is an ICT service type of the DORA register of information (Implementing
// Regulation (EU) 2024/2956, Annex III, S01–S19).
type ServiceType struct {
	Code  string
	Label string
}

// ServiceTypes is the DORA register taxonomy of ICT services.
var ServiceTypes = []ServiceType{
	{"S01", "ICT project management"},
	{"S02", "ICT development"},
	{"S03", "ICT help desk and first-level support"},
	{"S04", "ICT security management services"},
	{"S05", "Provision of data"},
	{"S06", "Data analysis"},
	{"S07", "ICT facilities and hosting services (excluding cloud)"},
	{"S08", "Computation"},
	{"S09", "Non-cloud data storage"},
	{"S10", "Telecom carrier"},
	{"S11", "Network infrastructure"},
	{"S12", "Hardware and physical devices"},
	{"S13", "Software licensing (excluding SaaS)"},
	{"S14", "ICT operation management (including maintenance)"},
	{"S15", "ICT consulting"},
	{"S16", "ICT risk management"},
	{"S17", "Cloud services: IaaS"},
	{"S18", "Cloud services: PaaS"},
	{"S19", "Cloud services: SaaS"},
}

// ServiceTypeLabel returns the label of a service type code, or the code itself if unknown.
func ServiceTypeLabel(code string) string {
	for _, t := range ServiceTypes {
		if t.Code == code {
			return t.Label
		}
	}
	return code
}

// ProviderType is the routing role a service puts the vendor in; it selects which controls of
// the library apply.
type ProviderType string

// Provider types, as used by the control library's applicability.
const (
	ProviderTransit ProviderType = "transit"
	ProviderAccess  ProviderType = "access"
	ProviderCloud   ProviderType = "cloud"
	ProviderCDN     ProviderType = "cdn"
	ProviderDDoS    ProviderType = "ddos"
	ProviderIXP     ProviderType = "ixp"
)

// ProviderTypes lists every provider type in display order.
var ProviderTypes = []ProviderType{ProviderTransit, ProviderAccess, ProviderCloud, ProviderCDN, ProviderDDoS, ProviderIXP}

// Label returns the provider type's human name.
func (p ProviderType) Label() string {
	switch p {
	case ProviderTransit:
		return "IP transit"
	case ProviderAccess:
		return "Direct internet access"
	case ProviderCloud:
		return "Cloud"
	case ProviderCDN:
		return "CDN"
	case ProviderDDoS:
		return "DDoS protection"
	case ProviderIXP:
		return "Internet exchange"
	}
	return string(p)
}

// Valid reports whether p is one of ProviderTypes.
func (p ProviderType) Valid() bool {
	for _, x := range ProviderTypes {
		if x == p {
			return true
		}
	}
	return false
}

// Regulations a service can be in scope of.
var Regulations = []string{"DORA", "NIS2", "CER"}

// Substitutability values of the DORA register (template B_07.01).
var Substitutability = []string{"not_substitutable", "highly_complex", "medium_complexity", "easily_substitutable"}

// SubstitutabilityLabel returns the human name of a substitutability value.
func SubstitutabilityLabel(s string) string {
	switch s {
	case "not_substitutable":
		return "Not substitutable"
	case "highly_complex":
		return "Highly complex substitutability"
	case "medium_complexity":
		return "Medium complexity"
	case "easily_substitutable":
		return "Easily substitutable"
	}
	return s
}

// Reliance values of the DORA register (template B_02.02, column 0180).
var Reliance = []string{"not_significant", "low", "material", "full"}

// RelianceLabel returns the human name of a level of reliance.
func RelianceLabel(s string) string {
	switch s {
	case "not_significant":
		return "Not significant"
	case "low":
		return "Low reliance"
	case "material":
		return "Material reliance"
	case "full":
		return "Full reliance"
	}
	return s
}

// Service is an engagement: an ICT service the organisation buys from a vendor.
type Service struct {
	ID               int64
	VendorID         int64
	Name             string
	Type             string // S01..S19
	ProviderType     ProviderType
	Critical         bool     // supports a critical or important function
	Regulations      []string // subset of Regulations
	Substitutability string   // one of Substitutability
	ContractRef      string
	ContractStart    *time.Time // dates, UTC midnight
	ContractEnd      *time.Time
	// Register of information (ITS 2024/2956): the function the service supports (B_06.01), the
	// level of reliance (B_02.02 c0180), whether an exit plan exists (B_07.01 c0080, "yes"/"no")
	// and the function's recovery time and point objectives in hours (B_06.01 c0080/c0090).
	FunctionName string
	Reliance     string // one of Reliance, "" = not assessed
	ExitPlan     string // "yes", "no" or "" = not recorded
	RTOHours     *int
	RPOHours     *int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Validate checks the service's fields and normalises the regulation list.
func (s *Service) Validate() error {
	var errs ValidationErrors
	s.Name = strings.TrimSpace(s.Name)
	if s.Name == "" || utf8.RuneCountInString(s.Name) > 200 {
		errs = append(errs, FieldError("name", "Service name is required (at most 200 characters)."))
	}
	if ServiceTypeLabel(s.Type) == s.Type {
		errs = append(errs, FieldError("type", "Service type must be a DORA register code S01–S19 (got %q).", s.Type))
	}
	if !s.ProviderType.Valid() {
		errs = append(errs, FieldError("provider_type", "Provider type must be one of transit, access, cloud, cdn, ddos, ixp (got %q).", s.ProviderType))
	}
	regs, bad := normalizeRegulations(s.Regulations)
	if bad != "" {
		errs = append(errs, FieldError("regulations", "Regulations must be DORA, NIS2 or CER (got %q).", bad))
	}
	s.Regulations = regs
	if s.Substitutability != "" && SubstitutabilityLabel(s.Substitutability) == s.Substitutability {
		errs = append(errs, FieldError("substitutability", "Substitutability must be one of %s.", strings.Join(Substitutability, ", ")))
	}
	if utf8.RuneCountInString(s.ContractRef) > 100 {
		errs = append(errs, FieldError("contract_ref", "Contract reference must be at most 100 characters."))
	}
	s.FunctionName = strings.TrimSpace(s.FunctionName)
	if utf8.RuneCountInString(s.FunctionName) > 200 {
		errs = append(errs, FieldError("function_name", "Function name must be at most 200 characters."))
	}
	if s.Reliance != "" && RelianceLabel(s.Reliance) == s.Reliance {
		errs = append(errs, FieldError("reliance", "Level of reliance must be one of %s.", strings.Join(Reliance, ", ")))
	}
	if s.ExitPlan != "" && s.ExitPlan != "yes" && s.ExitPlan != "no" {
		errs = append(errs, FieldError("exit_plan", "Exit plan must be yes or no (got %q).", s.ExitPlan))
	}
	for _, h := range []struct {
		field string
		v     *int
	}{{"rto_hours", s.RTOHours}, {"rpo_hours", s.RPOHours}} {
		if h.v != nil && (*h.v < 0 || *h.v > 87600) {
			errs = append(errs, FieldError(h.field, "Recovery objectives are hours between 0 and 87600 (got %d).", *h.v))
		}
	}
	if s.ContractStart != nil && s.ContractEnd != nil && s.ContractEnd.Before(*s.ContractStart) {
		errs = append(errs, FieldError("contract_end", "Contract end must not be before its start."))
	}
	return errs.Err()
}

func normalizeRegulations(in []string) (out []string, bad string) {
	for _, want := range Regulations {
		for _, r := range in {
			if strings.EqualFold(strings.TrimSpace(r), want) {
				out = append(out, want)
				break
			}
		}
	}
	for _, r := range in {
		ok := false
		for _, want := range Regulations {
			ok = ok || strings.EqualFold(strings.TrimSpace(r), want)
		}
		if !ok && strings.TrimSpace(r) != "" {
			return out, r
		}
	}
	return out, ""
}
