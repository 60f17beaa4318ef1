// Package report computes portfolio reports from domain types.
//
// The DORA register of information (roi*.go) follows Implementing Regulation (EU) 2024/2956
// (Annex I templates B_01.01 … B_99.01, Annex III service types S01–S19) in the layout of the
// EBA reporting framework 4.0 ("DORA" module), and is written as an xBRL-CSV report package:
//
//   - package layout (a zip with META-INF/reportPackage.json of documentType
//     https://xbrl.org/report-package/2023, reports/report.json of documentType
//     https://xbrl.org/2021/xbrl-csv extending the EBA entry point
//     http://www.eba.europa.eu/eu/fr/xbrl/crr/fws/dora/4.0/mod/dora.json, reports/parameters.csv
//     with entityID / refPeriod / baseCurrency / decimalsInteger / decimalsMonetary,
//     reports/FilingIndicators.csv with templateID,reported and one reports/b_xx.xx.csv per
//     template whose header is the cNNNN column codes): roi.fromciso.com/docs/export,
//     copla.com "How to prepare a DORA register of information for xBRL-CSV submission",
//     fund-xp.lu/dora/cbie-dora-register-taxonomy, and CISO Assistant's
//     documentation/dora-roi-specification.md §5 (github.com/intuitem/ciso-assistant-community);
//   - column lists and closed-list codes (eba_TA:Sxx, eba_GA:CC, eba_ZZ:x794…x797 reliance,
//     eba_ZZ:x959…x962 substitutability, eba_BT:x28/x29 yes/no, eba_qCO:qx2000 = LEI,
//     eba_CT:x212 legal person, eba_GA:qx2007 not applicable for key country columns): the same
//     CISO Assistant specification §3–4 and the EBA DPM validation rules quoted in public
//     exporters (e.g. B_05.01: c0020 = qx2000 implies an LEI pattern in c0010); B_05.01 uses the
//     twelve columns of the adopted ITS (c0030/c0040 additional code, c0060 Latin-alphabet name);
//   - empty templates are reported "false" in FilingIndicators.csv (EBA technical rule 808:
//     an indicator must match whether the table has rows).
//
// See ../shared/design/reference/regulation.md §1.7. Code is ours; nothing is copied.
package report

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	rw "routewarden/internal/routewarden"
)

// Column is one column of a register template: its xBRL-CSV code and its human header.
type Column struct {
	Code, Label string
}

// Template is one table of the register of information.
type Template struct {
	ID      string // "B_05.01"
	Name    string
	Columns []Column
}

// File is the template's CSV name inside the report package, e.g. "b_05.01.csv".
func (t *Template) File() string { return "b_" + t.ID[2:] + ".csv" }

// Header returns the column codes.
func (t *Template) Header() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Code
	}
	return out
}

func cols(labels ...string) []Column {
	out := make([]Column, len(labels))
	for i, l := range labels {
		out[i] = Column{Code: fmt.Sprintf("c%04d", (i+1)*10), Label: l}
	}
	return out
}

// Templates are the fifteen templates of Annex I in filing order.
var Templates = []*Template{
	{"B_01.01", "Entity maintaining the register of information", cols("LEI of the entity maintaining the register", "Name of the entity", "Country of the entity", "Type of entity", "Competent authority", "Date of the reporting")},
	{"B_01.02", "List of entities within the scope of the register", cols("LEI of the entity", "Name of the entity", "Country of the entity", "Type of entity", "Hierarchy of the entity within the group", "LEI of the direct parent undertaking", "Date of last update", "Date of integration in the register", "Date of deletion in the register", "Currency", "Value of total assets")},
	{"B_01.03", "List of branches", cols("Identification code of the branch", "LEI of the head office", "Name of the branch", "Country of the branch")},
	{"B_02.01", "Contractual arrangements – general information", cols("Contractual arrangement reference number", "Type of contractual arrangement", "Overarching contractual arrangement reference number", "Currency of the amount reported", "Annual expense or estimated cost")},
	{"B_02.02", "Contractual arrangements – specific information", cols("Contractual arrangement reference number", "LEI of the entity making use of the ICT service", "Identification code of the ICT third-party service provider", "Type of code to identify the provider", "Function identifier", "Type of ICT services", "Start date of the contractual arrangement", "End date of the contractual arrangement", "Reason of the termination or ending", "Notice period for the financial entity (days)", "Notice period for the provider (days)", "Country of the governing law", "Country of provision of the ICT services", "Storage of data", "Location of the data at rest", "Location of management of the data", "Sensitiveness of the data stored", "Level of reliance on the ICT service")},
	{"B_02.03", "List of intra-group contractual arrangements", []Column{{"c0010", "Contractual arrangement reference number"}, {"c0020", "Contractual arrangement linked"}, {"c0030", "Link"}}},
	{"B_03.01", "Entities signing the contractual arrangements for receiving ICT services", cols("Contractual arrangement reference number", "LEI of the entity signing", "Link")},
	{"B_03.02", "ICT third-party service providers signing the contractual arrangements", cols("Contractual arrangement reference number", "Identification code of the ICT third-party service provider", "Type of code to identify the provider")},
	{"B_03.03", "Entities signing the contractual arrangements for providing ICT services", []Column{{"c0010", "Contractual arrangement reference number"}, {"c0020", "LEI of the entity providing ICT services"}, {"c0031", "Link"}}},
	{"B_04.01", "Entities making use of the ICT services", cols("Contractual arrangement reference number", "LEI of the entity making use of the ICT service", "Nature of the entity", "Identification code of the branch")},
	{"B_05.01", "ICT third-party service providers", cols("Identification code of the ICT third-party service provider", "Type of code to identify the provider", "Additional identification code", "Type of additional code", "Legal name of the provider", "Name in Latin alphabet", "Type of person", "Country of the provider's headquarters", "Currency of the amount reported", "Total annual expense or estimated cost", "Identification code of the ultimate parent undertaking", "Type of code of the ultimate parent undertaking")},
	{"B_05.02", "ICT service supply chains", cols("Contractual arrangement reference number", "Type of ICT services", "Identification code of the ICT third-party service provider", "Type of code to identify the provider", "Rank", "Identification code of the recipient of sub-contracted ICT services", "Type of code of the recipient")},
	{"B_06.01", "Functions identification", cols("Function identifier", "Licensed activity", "Function name", "LEI of the financial entity", "Criticality or importance assessment", "Reasons for criticality or importance", "Date of the last assessment of criticality", "Recovery time objective of the function (hours)", "Recovery point objective of the function (hours)", "Impact of discontinuing the function")},
	{"B_07.01", "Assessment of the ICT services", cols("Contractual arrangement reference number", "Identification code of the ICT third-party service provider", "Type of code to identify the provider", "Type of ICT services", "Substitutability of the provider", "Reason if not substitutable", "Date of the last audit on the provider", "Existence of an exit plan", "Possibility of reintegration of the service", "Impact of discontinuing the ICT services", "Alternative providers identified", "Identification of alternative providers")},
	{"B_99.01", "Definitions from entities making use of the ICT services", cols("Definition")},
}

// TemplateByID returns a template, or nil.
func TemplateByID(id string) *Template {
	for _, t := range Templates {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// Codes of the EBA closed lists used by the export.
const (
	codeLEI        = "eba_qCO:qx2000"
	codeYes        = "eba_BT:x28"
	codeNo         = "eba_BT:x29"
	codeLegal      = "eba_CT:x212"
	codeNA         = "eba_GA:qx2007"
	codeStandalone = "eba_CO:x1"
	codeNotBranch  = "eba_ZZ:x839"
	openEnded      = "9999-12-31"
)

var relianceCodes = map[string]string{"not_significant": "eba_ZZ:x794", "low": "eba_ZZ:x795", "material": "eba_ZZ:x796", "full": "eba_ZZ:x797"}
var substCodes = map[string]string{"not_substitutable": "eba_ZZ:x959", "highly_complex": "eba_ZZ:x960", "medium_complexity": "eba_ZZ:x961", "easily_substitutable": "eba_ZZ:x962"}

// Problem is one missing or invalid mandatory field found by the register lint.
type Problem struct {
	Template string // "B_05.01"
	Column   string // "c0010"
	Subject  string // what the row is about, e.g. "Mainport Internet Exchange e.V."
	Message  string
	Link     string // the form where it is fixed, e.g. "/vendors/5/edit"
}

func (p Problem) String() string {
	return fmt.Sprintf("%s %s (%s): %s — fix at %s", p.Template, p.Column, p.Subject, p.Message, p.Link)
}

// Table is a filled template.
type Table struct {
	Template *Template
	Rows     [][]string
}

// Register is the register of information built from the portfolio.
type Register struct {
	Entity   rw.RegisterEntity
	RefDate  time.Time // reference date of the report (refPeriod)
	Created  time.Time
	Tables   []*Table // one per template, in Templates order
	Problems []Problem
}

// Table returns the filled template with the given ID.
func (r *Register) Table(id string) *Table {
	for _, t := range r.Tables {
		if t.Template.ID == id {
			return t
		}
	}
	return nil
}

// RefDateFor returns the reference date a register made at now reports: 31 December of the
// preceding year (EBA Q&A 2025_7387, quoted in CISO Assistant's specification §5.2).
func RefDateFor(now time.Time) time.Time {
	return time.Date(now.Year()-1, 12, 31, 0, 0, 0, 0, time.UTC)
}

// EntityLink is where the entity maintaining the register is edited.
const EntityLink = "/reports/roi#entity"

// BuildRegister fills the templates from the entity and the vendors (with their services) and
// lints the mandatory fields. The register covers every contractual arrangement for ICT services
// (DORA Art. 28(3)), so every vendor with at least one service is in it; the fields the ITS
// makes mandatory only for critical or important functions are linted for those services only.
func BuildRegister(e rw.RegisterEntity, vendors []*rw.Vendor, now time.Time) *Register {
	return BuildRegisterWith(e, vendors, nil, now)
}

// BuildRegisterWith is BuildRegister with the upstream networks observed in BGP paths: B_05.02
// then also lists subcontractors of rank 2 and beyond where the data identifies them (see
// supplyChain).
func BuildRegisterWith(e rw.RegisterEntity, vendors []*rw.Vendor, up ObservedUpstreams, now time.Time) *Register {
	r := &Register{Entity: e, RefDate: RefDateFor(now), Created: now.UTC()}
	tables := map[string]*Table{}
	for _, t := range Templates {
		tab := &Table{Template: t}
		tables[t.ID] = tab
		r.Tables = append(r.Tables, tab)
	}
	add := func(id string, row ...string) { tables[id].Rows = append(tables[id].Rows, row) }
	problem := func(tpl, col, subject, link, format string, args ...any) {
		r.Problems = append(r.Problems, Problem{tpl, col, subject, fmt.Sprintf(format, args...), link})
	}
	day := func(t time.Time) string { return t.UTC().Format("2006-01-02") }

	// B_01.01 and B_01.02: the entity itself.
	ent := e.Name
	if ent == "" {
		ent = "entity maintaining the register"
	}
	if e.LEI == "" {
		problem("B_01.01", "c0010", ent, EntityLink, "the LEI of the entity maintaining the register is missing")
	} else if err := rw.ValidateLEI(e.LEI); err != nil {
		problem("B_01.01", "c0010", ent, EntityLink, "%v", err)
	}
	for _, f := range []struct{ col, val, what string }{{"c0020", e.Name, "name"}, {"c0030", e.Country, "country"}, {"c0040", e.EntityType, "type of entity"}, {"c0050", e.CompetentAuthority, "competent authority"}} {
		if f.val == "" {
			problem("B_01.01", f.col, ent, EntityLink, "the %s of the entity is missing", f.what)
		}
	}
	if e.Currency == "" {
		problem("B_01.02", "c0100", ent, EntityLink, "the reporting currency is missing")
	}
	add("B_01.01", e.LEI, e.Name, ga(e.Country), e.EntityType, e.CompetentAuthority, day(r.Created))
	upd := r.Created
	if !e.UpdatedAt.IsZero() {
		upd = e.UpdatedAt
	}
	add("B_01.02", e.LEI, e.Name, ga(e.Country), e.EntityType, "", "", day(upd), day(upd), openEnded, cu(e.Currency), "")

	// Providers, contracts and functions.
	sorted := append([]*rw.Vendor(nil), vendors...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].LegalName < sorted[j].LegalName })
	seenContract := map[string]string{}
	chain := newSupplyChain(vendors, up)
	fn := 0
	for _, v := range sorted {
		if len(v.Services) == 0 {
			continue
		}
		vlink := fmt.Sprintf("/vendors/%d/edit", v.ID)
		codeType := ""
		if v.LEI == "" {
			problem("B_05.01", "c0010", v.LegalName, vlink, "the provider has no LEI (ISO 17442); without an identification code it cannot be reported")
		} else if err := rw.ValidateLEI(v.LEI); err != nil {
			problem("B_05.01", "c0010", v.LegalName, vlink, "LEI %s is invalid: %v", v.LEI, err)
		} else {
			codeType = codeLEI
		}
		if codeType != "" {
			add("B_05.01", providerRow(v)...)
			chain.listed[v.ID] = true
		}
		for _, s := range v.Services {
			slink := fmt.Sprintf("/vendors/%d/services/%d/edit", v.ID, s.ID)
			subj := v.LegalName + " – " + s.Name
			ref := s.ContractRef
			if ref == "" {
				problem("B_02.01", "c0010", subj, slink, "the contractual arrangement reference number is missing")
				ref = fmt.Sprintf("RW-SERVICE-%d", s.ID)
			}
			if s.ContractStart == nil {
				problem("B_02.02", "c0070", subj, slink, "the start date of the contractual arrangement is missing")
			}
			if s.FunctionName == "" {
				problem("B_06.01", "c0030", subj, slink, "the function the service supports is not named")
			}
			if s.Critical {
				if s.Reliance == "" {
					problem("B_02.02", "c0180", subj, slink, "the level of reliance is missing (mandatory for a critical or important function)")
				}
				if s.Substitutability == "" {
					problem("B_07.01", "c0050", subj, slink, "the substitutability of the provider is not assessed")
				}
				if s.ExitPlan == "" {
					problem("B_07.01", "c0080", subj, slink, "whether an exit plan exists is not recorded")
				}
				if s.RTOHours == nil || s.RPOHours == nil {
					problem("B_06.01", "c0080", subj, slink, "the recovery time and point objectives of the function are missing")
				}
			}
			fn++
			fid := "F" + strconv.Itoa(fn)
			if _, dup := seenContract[ref]; !dup {
				seenContract[ref] = v.LegalName
				add("B_02.01", ref, codeStandalone, "", cu(e.Currency), "")
				add("B_03.01", ref, e.LEI, "true")
				add("B_04.01", ref, e.LEI, codeNotBranch, "")
				if codeType != "" {
					add("B_03.02", ref, v.LEI, codeType)
				}
			}
			start, end := "", openEnded
			if s.ContractStart != nil {
				start = day(*s.ContractStart)
			}
			if s.ContractEnd != nil {
				end = day(*s.ContractEnd)
			}
			country := ga(v.Country)
			if country == "" {
				country = codeNA
			}
			add("B_02.02", ref, e.LEI, v.LEI, codeType, fid, "eba_TA:"+s.Type, start, end, "", "", "", "", country, "", codeNA, codeNA, "", relianceCodes[s.Reliance])
			if codeType != "" {
				add("B_05.02", ref, "eba_TA:"+s.Type, v.LEI, codeType, "1", "", "")
				for _, row := range chain.rows(v, ref, "eba_TA:"+s.Type) {
					add("B_05.02", row...)
				}
			}
			crit := codeNo
			if s.Critical {
				crit = codeYes
			}
			name := s.FunctionName
			if name == "" {
				name = s.Name
			}
			add("B_06.01", fid, "", name, e.LEI, crit, "", day(s.UpdatedAt), hours(s.RTOHours), hours(s.RPOHours), "")
			exit := ""
			switch s.ExitPlan {
			case "yes":
				exit = codeYes
			case "no":
				exit = codeNo
			}
			add("B_07.01", ref, v.LEI, codeType, "eba_TA:"+s.Type, substCodes[s.Substitutability], "", "", exit, "", "", "", "")
		}
	}
	// Subcontractors reported in B_05.02 are providers too: those without a service of their own
	// are added to B_05.01, which every provider code in B_05.02 must refer to.
	for _, w := range chain.subcontractors() {
		if !chain.listed[w.ID] {
			add("B_05.01", providerRow(w)...)
		}
	}
	return r
}

// providerRow is a provider's B_05.01 row (its LEI valid).
func providerRow(v *rw.Vendor) []string {
	return []string{v.LEI, codeLEI, "", "", v.LegalName, latin(v.LegalName), codeLegal, ga(v.Country), "", "", v.LEI, codeLEI}
}

func ga(c string) string {
	if c == "" {
		return ""
	}
	return "eba_GA:" + c
}

func cu(c string) string {
	if c == "" {
		return ""
	}
	return "eba_CU:" + c
}

func hours(h *int) string {
	if h == nil {
		return ""
	}
	return strconv.Itoa(*h)
}

// latin returns the name when it is written in the Latin alphabet (ASCII or Latin-1 letters
// and Latin Extended), else "" — column 0060 is for names written in other scripts, and a
// Latin-script name is repeated there as is.
func latin(s string) string {
	for _, r := range s {
		if r > 0x024F {
			return ""
		}
	}
	return s
}
