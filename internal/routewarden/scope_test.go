package routewarden

import (
	"net/netip"
	"strings"
	"testing"
)

func TestScopeChangesSince(t *testing.T) {
	base := func() *Vendor {
		return &Vendor{LegalName: "Carrier AG", LEI: "5493001KJTIIGC8Y1R12", Country: "DE",
			Services: []*Service{{ID: 1, Name: "Transit", Type: "S10", Critical: true, Regulations: []string{"DORA"}}},
			Networks: []*Network{{ASN: 64500, ASSet: "AS-CARRIER", ExpectedPrefixes: []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}}}}
	}
	tests := []struct {
		name string
		edit func(v *Vendor)
		want []string
	}{
		{"nothing", func(*Vendor) {}, nil},
		{"renamed", func(v *Vendor) { v.LegalName = "Carrier SE" }, []string{`legal name "Carrier AG" → "Carrier SE"`}},
		{"LEI dropped", func(v *Vendor) { v.LEI = "" }, []string{`LEI "5493001KJTIIGC8Y1R12" → (none)`}},
		{"ASN added", func(v *Vendor) { v.Networks = append(v.Networks, &Network{ASN: 64511}) }, []string{"AS64511 added"}},
		{"ASN removed", func(v *Vendor) { v.Networks = nil }, []string{"AS64500 removed"}},
		{"prefixes", func(v *Vendor) { v.Networks[0].ExpectedPrefixes = nil }, []string{"AS64500 expected prefixes 192.0.2.0/24 → (none)"}},
		{"as-set", func(v *Vendor) { v.Networks[0].ASSet = "AS-OTHER" }, []string{`AS64500 as-set "AS-CARRIER" → "AS-OTHER"`}},
		{"service changed", func(v *Vendor) { v.Services[0].Name, v.Services[0].Critical = "IP transit", false },
			[]string{`service "Transit" renamed to "IP transit", critical yes → no`}},
		{"service added and removed", func(v *Vendor) { v.Services = []*Service{{ID: 2, Name: "CDN", Type: "S19"}} },
			[]string{`service "CDN" (S19) added`, `service "Transit" (S10) removed`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			approved := ScopeOf(base())
			v := base()
			tc.edit(v)
			got := approved.ChangesSince(ScopeOf(v))
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("changes = %q, want %q", got, tc.want)
			}
		})
	}
}
