package peeringdb

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func readFile(t *testing.T, db *DB, name string) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := db.Add(f, name); err != nil {
		t.Fatalf("Add(%s): %v", name, err)
	}
}

func TestReadRealNetResponses(t *testing.T) {
	db := New()
	readFile(t, db, "net_3333_10745_197000.json")
	readFile(t, db, "net_2914_3491.json")
	tests := []struct {
		asn           uint32
		name, asSet   string
		policy, itype string
		sets          []string
		updated       string
		neverViaRS    bool
	}{
		{3333, "RIPE NCC", "AS-RIPENCC", "Selective", "Non-Profit", []string{"AS-RIPENCC"}, "2022-07-27T05:33:20Z", false},
		{10745, "ARIN", "", "Open", "Non-Profit", nil, "2022-07-27T05:33:33Z", false},
		{197000, "RIPE NCC Authoritative DNS", "RS-AUTHDNS-AMS RS-AUTHDNS-LON RS-AUTHDNS-BMA", "Open", "Non-Profit",
			[]string{"RS-AUTHDNS-AMS", "RS-AUTHDNS-LON", "RS-AUTHDNS-BMA"}, "2022-07-27T05:35:47Z", false},
		{2914, "NTT Global IP Network", "NTTCOM::AS2914:AS-GLOBAL", "Restrictive", "NSP", []string{"NTTCOM::AS2914:AS-GLOBAL"}, "2020-01-23T19:46:16Z", true},
		{3491, "PCCW Global", "as-cais", "Restrictive", "NSP", []string{"AS-CAIS"}, "2020-01-24T15:04:42Z", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, ok := db.Network(tt.asn)
			if !ok {
				t.Fatalf("AS%d not found", tt.asn)
			}
			if n.Name != tt.name || n.IRRASSet != tt.asSet || n.PolicyGeneral != tt.policy || n.InfoType != tt.itype {
				t.Errorf("got %q %q %q %q", n.Name, n.IRRASSet, n.PolicyGeneral, n.InfoType)
			}
			var sets []string
			for _, s := range n.ASSets() {
				sets = append(sets, s.String())
			}
			if !slices.Equal(sets, tt.sets) {
				t.Errorf("ASSets = %v, want %v", sets, tt.sets)
			}
			if n.Updated.Format(time.RFC3339) != tt.updated {
				t.Errorf("Updated = %v, want %s", n.Updated, tt.updated)
			}
			if n.NeverViaRouteServers != tt.neverViaRS {
				t.Errorf("NeverViaRouteServers = %v", n.NeverViaRouteServers)
			}
			if n.PolicyURL != "" || len(n.Contacts) != 0 {
				t.Errorf("unexpected policy URL %q or contacts %v", n.PolicyURL, n.Contacts)
			}
		})
	}
	if _, ok := db.Network(1); ok {
		t.Error("AS1 found in a DB that does not hold it")
	}
	if got := db.Stats(); got != (Stats{Networks: 5}) {
		t.Errorf("Stats = %+v", got)
	}
	if n, _ := db.Network(3333); n.InfoPrefixes4 != 30 || n.InfoPrefixes6 != 20 || n.ID != 5104 || n.OrgID != 8829 {
		t.Errorf("AS3333 ids/prefix counts = %d %d %d %d", n.ID, n.OrgID, n.InfoPrefixes4, n.InfoPrefixes6)
	}
}

func TestContactsByRole(t *testing.T) {
	db := New()
	readFile(t, db, "net_3333_10745_197000.json")
	readFile(t, db, "poc_net_5104.json")
	n, _ := db.Network(3333)
	if len(n.Contacts) != 4 {
		t.Fatalf("contacts = %+v", n.Contacts)
	}
	tests := []struct {
		role      Role
		ids       []int
		reachable bool
	}{
		{RoleNOC, []int{9001}, true},
		{RoleAbuse, []int{9002}, true},
		{RolePolicy, []int{9003}, true},
		{RoleTechnical, []int{9004}, false}, // present but without any address
		{RoleSales, nil, false},
		{"noc", []int{9001}, true}, // case-insensitive
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			var ids []int
			for _, c := range n.ContactsWithRole(tt.role) {
				ids = append(ids, c.ID)
			}
			if !slices.Equal(ids, tt.ids) {
				t.Errorf("ids = %v, want %v", ids, tt.ids)
			}
			if got := n.HasContact(tt.role); got != tt.reachable {
				t.Errorf("HasContact = %v, want %v", got, tt.reachable)
			}
		})
	}
	if c := n.ContactsWithRole(RolePolicy)[0]; c.Visible != VisibleUsers || c.URL != "https://example.net/peering" {
		t.Errorf("policy contact = %+v", c)
	}
	if c := n.ContactsWithRole(RoleAbuse)[0]; c.Updated.Nanosecond() != 123456000 {
		t.Errorf("fractional updated time lost: %v", c.Updated)
	}
	if other, _ := db.Network(10745); len(other.Contacts) != 0 {
		t.Errorf("contacts leaked to another net: %+v", other.Contacts)
	}
}

func TestReadFullDump(t *testing.T) {
	db := New()
	readFile(t, db, "dump_small.json")
	if got := db.Stats(); got != (Stats{Networks: 2, Orgs: 2, Contacts: 4, Skipped: 3}) {
		t.Errorf("Stats = %+v", got)
	}
	if got := db.ASNs(); !slices.Equal(got, []uint32{64500, 4200000001}) {
		t.Errorf("ASNs = %v", got)
	}
	n, ok := db.Network(64500)
	if !ok {
		t.Fatal("AS64500 missing")
	}
	var roles []Role
	for _, c := range n.Contacts {
		roles = append(roles, c.Role)
	}
	if !slices.Equal(roles, []Role{RoleSales, RoleTechnical}) {
		t.Errorf("roles = %v (embedded poc_set and poc list must merge)", roles)
	}
	wantSets := []ASSetRef{{"RIPE", "AS-EXAMPLE"}, {"RADB", "AS-EXAMPLE-V6"}}
	if !slices.Equal(n.ASSets(), wantSets) {
		t.Errorf("ASSets = %v", n.ASSets())
	}
	if n.PolicyURL != "https://example.com/peering-policy" || n.InfoPrefixes6 != 0 {
		t.Errorf("net = %+v", n)
	}
	cloud, _ := db.Network(4200000001)
	if !cloud.HasContact(RoleNOC) || !cloud.HasContact(RoleAbuse) || cloud.HasContact(RoleTechnical) {
		t.Errorf("cloud contacts = %+v", cloud.Contacts)
	}
	if o, ok := db.Org(cloud.OrgID); !ok || o.Name != "Example Cloud Inc." || o.Country != "US" {
		t.Errorf("org = %+v %v", o, ok)
	}
}

func TestASSets(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"AS-FOO", []string{"AS-FOO"}},
		{"as-foo as-foo, AS-BAR;RIPE::AS-BAZ", []string{"AS-FOO", "AS-BAR", "RIPE::AS-BAZ"}},
		{"AS-FOO@radb  AS3333:AS-X", []string{"RADB::AS-FOO", "AS3333:AS-X"}},
		{"RIPE::", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got []string
			for _, s := range (Network{IRRASSet: tt.in}).ASSets() {
				got = append(got, s.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ASSets(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"top-level array", `[{"asn":1}]`, "byte offset 0: expected a JSON object at the top level, found \"[\""},
		{"not PeeringDB", `{"roas":[]}`, `no "data", "net", "org" or "poc" member`},
		{"syntax error", `{"data":[{"asn":3333,}]}`, "byte offset 9: invalid JSON in the value starting here: invalid character '}'"},
		{"truncated", `{"data":[{"asn":3333},`, "unexpected end of file"},
		{"asn zero", `{"data":[{"id":1,"asn":0,"irr_as_set":""}]}`, `byte offset 9: net id 1: field "asn": ASN 0 is reserved`},
		{"asn too big", `{"data":[{"id":1,"asn":4294967296}]}`, `field "asn": "4294967296" is not an ASN`},
		{"asn with AS prefix", `{"net":[{"id":1,"asn":"AS3333"}]}`, `byte offset 8:`},
		{"asn wrong type", `{"net":[{"id":1,"asn":true}]}`, `field "asn"`},
		{"missing asn in net list", `{"net":{"data":[{"id":1,"name":"x"}]}}`, `field "asn": missing`},
		{"bad time", `{"data":[{"id":1,"asn":5,"updated":"yesterday"}]}`, `field "updated": "yesterday" is not an RFC 3339 time`},
		{"bad visibility", `{"data":[{"id":2,"net_id":1,"role":"NOC","visible":"Everyone"}]}`, `field "visible": unknown value "Everyone"`},
		{"empty role", `{"poc":[{"id":2,"net_id":1,"role":" "}]}`, `field "role" is empty`},
		{"poc without net", `{"poc":[{"id":2,"role":"NOC"}]}`, `field "net_id" missing or 0`},
		{"duplicate live asn", `{"data":[{"id":1,"asn":5,"status":"ok"},{"id":2,"asn":5,"status":"ok"}]}`, "duplicate asn 5 (net ids 1 and 2)"},
		{"trailing data", `{"data":[]} {}`, "unexpected data after the top-level object"},
		{"typed value wrong", `{"net":"x"}`, `"net": expected an object or array, found string "x"`},
		{"element not object", `{"data":[1]}`, "byte offset 10: field \"\": cannot use JSON number as map"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.in), "in.json")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "peeringdb: in.json: byte offset ") {
				t.Fatalf("err = %v, want it to name the file and contain %q", err, tt.want)
			}
		})
	}
}

func TestDuplicateASNPrefersLiveRecord(t *testing.T) {
	in := `{"data":[{"id":1,"asn":5,"name":"old","status":"deleted"},{"id":2,"asn":5,"name":"new","status":"ok"},{"id":3,"asn":5,"name":"gone","status":"deleted"}]}`
	db, err := Read(strings.NewReader(in), "x")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := db.Network(5); n.Name != "new" {
		t.Errorf("Network(5) = %q, want the live record", n.Name)
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"net_3333_10745_197000.json", "net_2914_3491.json", "poc_net_5104.json", "dump_small.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"data":[{"asn":1}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		db, err := Read(bytes.NewReader(b), "fuzz.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "peeringdb: fuzz.json: byte offset ") {
				t.Fatalf("error without location: %v", err)
			}
			return
		}
		for _, asn := range db.ASNs() {
			n, ok := db.Network(asn)
			if !ok || n.ASN != asn || asn == 0 {
				t.Fatalf("ASNs lists %d but Network gives %+v %v", asn, n, ok)
			}
		}
	})
}

func TestReadCompressed(t *testing.T) {
	plain, err := os.ReadFile(filepath.Join("testdata", "dump_small.json"))
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(plain)
	_ = zw.Close()
	db, err := Read(bytes.NewReader(gz.Bytes()), "dump.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	if db.Stats().Networks != 2 {
		t.Errorf("Stats = %+v", db.Stats())
	}
	// A gzip stream cut short is refused, not read as a shorter file.
	_, err = Read(bytes.NewReader(gz.Bytes()[:gz.Len()/2]), "cut.json.gz")
	if err == nil || !strings.Contains(err.Error(), "peeringdb: cut.json.gz: byte offset ") {
		t.Fatalf("truncated gzip: err = %v", err)
	}
	// A bzip2 header followed by garbage is refused.
	_, err = Read(strings.NewReader("BZh9garbage"), "bad.json.bz2")
	if err == nil || !strings.Contains(err.Error(), "bad.json.bz2") {
		t.Fatalf("bad bzip2: err = %v", err)
	}
}
