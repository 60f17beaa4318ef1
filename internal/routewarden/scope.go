package routewarden

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ApprovedScope is what an approval covered: the vendor's identity, the services bought and
// the networks with their expected prefixes, frozen in the approval's transaction as
// measurements freeze their snapshots. An attestation states this scope; edits made to the
// vendor afterwards are reported as changes since approval, never silently signed.
type ApprovedScope struct {
	AssessmentID int64          `json:"-"`
	ApprovedAt   time.Time      `json:"-"`
	ApprovedBy   string         `json:"-"`
	LegalName    string         `json:"legal_name"`
	LEI          string         `json:"lei,omitempty"`
	Country      string         `json:"country"`
	Services     []ScopeService `json:"services"`
	Networks     []ScopeNetwork `json:"networks"`
}

// ScopeService is one service of an approved scope.
type ScopeService struct {
	ID          int64    `json:"id"`
	Name        string   `json:"name"`
	Type        string   `json:"type"`
	Critical    bool     `json:"critical"`
	Regulations []string `json:"regulations,omitempty"`
}

// ScopeNetwork is one network of an approved scope.
type ScopeNetwork struct {
	ASN      uint32   `json:"asn"`
	Prefixes []string `json:"prefixes,omitempty"`
	ASSet    string   `json:"as_set,omitempty"`
}

// ScopeOf takes the scope of v (loaded with its services and networks) as it is now.
func ScopeOf(v *Vendor) ApprovedScope {
	s := ApprovedScope{LegalName: v.LegalName, LEI: v.LEI, Country: v.Country, Services: []ScopeService{}, Networks: []ScopeNetwork{}}
	for _, x := range v.Services {
		s.Services = append(s.Services, ScopeService{ID: x.ID, Name: x.Name, Type: x.Type, Critical: x.Critical,
			Regulations: slices.Clone(x.Regulations)})
	}
	for _, n := range v.Networks {
		ps := make([]string, len(n.ExpectedPrefixes))
		for i, p := range n.ExpectedPrefixes {
			ps[i] = p.String()
		}
		s.Networks = append(s.Networks, ScopeNetwork{ASN: n.ASN, Prefixes: ps, ASSet: n.ASSet})
	}
	slices.SortFunc(s.Networks, func(a, b ScopeNetwork) int { return cmp.Compare(a.ASN, b.ASN) })
	return s
}

// ChangesSince lists, in words, how now differs from the approved scope s: identity fields,
// networks added, removed or with other prefixes or as-set, services added, removed or changed.
// Nil when nothing changed.
func (s *ApprovedScope) ChangesSince(now ApprovedScope) []string {
	var out []string
	field := func(name, was, is string) {
		if was != is {
			out = append(out, fmt.Sprintf("%s %s → %s", name, quoteOrNone(was), quoteOrNone(is)))
		}
	}
	field("legal name", s.LegalName, now.LegalName)
	field("LEI", s.LEI, now.LEI)
	field("country", s.Country, now.Country)
	out = append(out, networkChanges(s.Networks, now.Networks)...)
	return append(out, serviceChanges(s.Services, now.Services)...)
}

func networkChanges(was, is []ScopeNetwork) []string {
	var out []string
	old := map[uint32]ScopeNetwork{}
	for _, n := range was {
		old[n.ASN] = n
	}
	for _, n := range is {
		o, ok := old[n.ASN]
		delete(old, n.ASN)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("AS%d added", n.ASN))
		case !slices.Equal(o.Prefixes, n.Prefixes):
			out = append(out, fmt.Sprintf("AS%d expected prefixes %s → %s", n.ASN, listOrNone(o.Prefixes), listOrNone(n.Prefixes)))
		}
		if ok && o.ASSet != n.ASSet {
			out = append(out, fmt.Sprintf("AS%d as-set %s → %s", n.ASN, quoteOrNone(o.ASSet), quoteOrNone(n.ASSet)))
		}
	}
	for _, n := range was {
		if _, gone := old[n.ASN]; gone {
			out = append(out, fmt.Sprintf("AS%d removed", n.ASN))
		}
	}
	return out
}

func serviceChanges(was, is []ScopeService) []string {
	var out []string
	old := map[int64]ScopeService{}
	for _, x := range was {
		old[x.ID] = x
	}
	for _, x := range is {
		o, ok := old[x.ID]
		delete(old, x.ID)
		if !ok {
			out = append(out, fmt.Sprintf("service %q (%s) added", x.Name, x.Type))
			continue
		}
		var d []string
		if o.Name != x.Name {
			d = append(d, fmt.Sprintf("renamed to %q", x.Name))
		}
		if o.Type != x.Type {
			d = append(d, "type "+o.Type+" → "+x.Type)
		}
		if o.Critical != x.Critical {
			d = append(d, "critical "+yesNo(o.Critical)+" → "+yesNo(x.Critical))
		}
		if !slices.Equal(o.Regulations, x.Regulations) {
			d = append(d, "regulations "+listOrNone(o.Regulations)+" → "+listOrNone(x.Regulations))
		}
		if len(d) > 0 {
			out = append(out, fmt.Sprintf("service %q %s", o.Name, strings.Join(d, ", ")))
		}
	}
	for _, x := range was {
		if _, gone := old[x.ID]; gone {
			out = append(out, fmt.Sprintf("service %q (%s) removed", x.Name, x.Type))
		}
	}
	return out
}

func quoteOrNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return strconv.Quote(s)
}

func listOrNone(l []string) string {
	if len(l) == 0 {
		return "(none)"
	}
	return strings.Join(l, ", ")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
