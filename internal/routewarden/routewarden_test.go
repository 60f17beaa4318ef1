package routewarden

import (
	"strings"
	"testing"
)

func TestValidateLEI(t *testing.T) {
	good := []string{"5493001KJTIIGC8Y1R12", "529900T8BM49AURSDO55", "HWUPKR0MPOU8FGXBT394", "7LTWFZYICNSX8D621K86"}
	for _, l := range good {
		if err := ValidateLEI(l); err != nil {
			t.Errorf("ValidateLEI(%q) = %v, want nil", l, err)
		}
	}
	bad := map[string]string{
		"5493001KJTIIGC8Y1R13":  "check digits",
		"5493001KJTIIGC8Y1R1":   "20 characters",
		"5493001KJTIIGC8Y1RAB":  "two check digits",
		"5493001kjtiigc8y1r12":  "letters",
		"5493001KJTIIGC8Y1R1 2": "20 characters",
	}
	for l, want := range bad {
		if err := ValidateLEI(l); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateLEI(%q) = %v, want an error about %q", l, err, want)
		}
	}
	if got := LEICheckDigits("5493001KJTIIGC8Y1R"); got != "12" {
		t.Errorf("LEICheckDigits = %q, want 12", got)
	}
}

func TestCountries(t *testing.T) {
	if n := len(Countries()); n != 249 {
		t.Errorf("%d ISO 3166-1 codes, want 249", n)
	}
	for _, c := range []string{"DE", "FR", "ZW", "AX", "US"} {
		if !ValidCountry(c) {
			t.Errorf("%s rejected", c)
		}
	}
	for _, c := range []string{"XX", "EU", "UK", "de", "D", "E DE", "EA"} {
		if ValidCountry(c) {
			t.Errorf("%s accepted", c)
		}
	}
}

func TestParseASN(t *testing.T) {
	cases := map[string]uint32{"64500": 64500, "AS64500": 64500, "as3333": 3333, "4294967295": 4294967295, "1.10": 65546, " AS1 ": 1}
	for in, want := range cases {
		if got, err := ParseASN(in); err != nil || got != want {
			t.Errorf("ParseASN(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "AS", "4294967296", "-1", "+5", "AS64500x", "65536.1", "1.2.3"} {
		if _, err := ParseASN(in); err == nil {
			t.Errorf("ParseASN(%q) accepted", in)
		}
	}
}

func TestASNWarning(t *testing.T) {
	cases := map[uint32]string{0: "reserved", 23456: "AS_TRANS", 64496: "documentation", 65551: "documentation",
		64512: "private", 4200000000: "private", 65535: "reserved", 4294967295: "reserved", 100000: "reserved", 3333: "", 131072: "", 4199999999: ""}
	for asn, want := range cases {
		got := ASNWarning(asn)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("ASNWarning(%d) = %q, want something with %q", asn, got, want)
		}
	}
}

func TestVendorValidate(t *testing.T) {
	v := &Vendor{LegalName: " ", LEI: "5493001KJTIIGC8Y1R13", Country: "XX", Website: "ftp://x"}
	err := v.Validate()
	fields := err.(ValidationErrors).ByField()
	for _, f := range []string{"legal_name", "lei", "country", "website"} {
		if fields[f] == "" {
			t.Errorf("no error for %s in %v", f, fields)
		}
	}
	if ErrorCode(err) != EINVALID {
		t.Errorf("code %q", ErrorCode(err))
	}
	ok := &Vendor{LegalName: "Ok", LEI: "5493001kjtiigc8y1r12", Country: "de"}
	if err := ok.Validate(); err != nil || ok.LEI != "5493001KJTIIGC8Y1R12" || ok.Country != "DE" {
		t.Errorf("valid vendor: %v %+v", err, ok)
	}
}

func TestValidASSetName(t *testing.T) {
	for _, s := range []string{"AS-FOO", "AS3333:AS-CUSTOMERS", "RIPE::AS-FOO", "AS-FOO:AS-BAR", "AS-A_B-1"} {
		if !ValidASSetName(s) {
			t.Errorf("%q rejected", s)
		}
	}
	for _, s := range []string{"FOO", "AS3333", "AS-", "AS-FOO BAR", "AS3333:AS4444"} {
		if ValidASSetName(s) {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestRolePermissions(t *testing.T) {
	want := map[Role][]Permission{
		RoleAdmin:       {PermRead, PermVendorWrite, PermUserAdmin},
		RoleProcurement: {PermRead, PermVendorWrite},
		RoleRiskOfficer: {PermRead},
		RoleAuditor:     {PermRead},
	}
	all := []Permission{PermRead, PermVendorWrite, PermUserAdmin}
	for role, perms := range want {
		for _, p := range all {
			has := false
			for _, q := range perms {
				has = has || q == p
			}
			if role.Can(p) != has {
				t.Errorf("%s.Can(%s) = %v", role, p, !has)
			}
		}
	}
	if Role("root").Can(PermRead) {
		t.Error("unknown role has a permission")
	}
}
