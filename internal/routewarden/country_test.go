package routewarden_test

import (
	"strings"
	"testing"

	rw "routewarden/internal/routewarden"
)

// iso3166 is the list of officially assigned alpha-2 codes the table must cover exactly.
const iso3166 = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"

func TestCountryTable(t *testing.T) {
	want := strings.Fields(iso3166)
	if got := rw.Countries(); strings.Join(got, " ") != iso3166 {
		t.Fatalf("Countries() has %d codes, want the %d officially assigned, in code order", len(got), len(want))
	}
	byName := rw.CountriesByName()
	if len(byName) != len(want) {
		t.Fatalf("CountriesByName: %d entries", len(byName))
	}
	seen := map[string]bool{}
	for i, c := range byName {
		if c.Name == "" || seen[c.Name] {
			t.Errorf("%s: empty or repeated name %q", c.Code, c.Name)
		}
		seen[c.Name] = true
		if i > 0 && strings.ToLower(byName[i-1].Name) > strings.ToLower(c.Name) {
			t.Errorf("not ordered by name: %q before %q", byName[i-1].Name, c.Name)
		}
	}
	for _, tc := range []struct {
		in, code string
		ok       bool
	}{
		{"DE", "DE", true},
		{"de", "DE", true},
		{" nl ", "NL", true},
		{"Germany", "DE", true},
		{"switzerland", "CH", true},
		{"United Kingdom", "GB", true},
		{"Åland Islands", "AX", true},
		{"UK", "", false},   // not an ISO code (GB is)
		{"EU", "", false},   // exceptionally reserved, not assigned
		{"XX", "", false},   // user-assigned
		{"Germ", "", false}, // no prefix matching
		{"", "", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			code, ok := rw.CountryCode(tc.in)
			if code != tc.code || ok != tc.ok {
				t.Errorf("CountryCode(%q) = %q, %v; want %q, %v", tc.in, code, ok, tc.code, tc.ok)
			}
			if rw.ValidCountry(strings.TrimSpace(tc.in)) != (tc.ok && strings.TrimSpace(tc.in) == tc.code) {
				t.Errorf("ValidCountry(%q) disagrees", tc.in)
			}
		})
	}
	for code, name := range map[string]string{"DE": "Germany", "NL": "Netherlands", "US": "United States of America", "ch": "Switzerland", "ZZ": "ZZ"} {
		if got := rw.CountryName(code); got != name {
			t.Errorf("CountryName(%q) = %q, want %q", code, got, name)
		}
	}
}
