package ripestat

import (
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func load(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseRPKIValidationRecorded(t *testing.T) {
	tests := []struct {
		file      string
		origin    uint32
		prefix    string
		status    string
		roas      []ValidatingROA
		queryTime string
	}{
		{"rpki-validation_valid.json", 134768, "240e:108:1140::/48", RPKIValid,
			[]ValidatingROA{{Origin: 134768, Prefix: netip.MustParsePrefix("240e:108:1140::/48"), MaxLength: 48, Validity: "valid"}},
			"2026-07-13T04:57:27.013127Z"},
		{"rpki-validation_unknown.json", 30502, "0.0.0.0/0", RPKIUnknown, nil, "2026-07-13T04:56:07.411293Z"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			v, err := ParseRPKIValidation(load(t, tt.file), tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if v.Origin != tt.origin || v.Prefix.String() != tt.prefix || v.Status != tt.status || v.Validator != "routinator" {
				t.Errorf("got %d %s %s %s", v.Origin, v.Prefix, v.Status, v.Validator)
			}
			if !slices.Equal(v.ROAs, tt.roas) {
				t.Errorf("ROAs = %+v, want %+v", v.ROAs, tt.roas)
			}
			if v.Call != "rpki-validation" || v.Version != "0.3" || v.Time.Format(time.RFC3339Nano) != tt.queryTime {
				t.Errorf("meta = %+v", v.Meta)
			}
		})
	}
}

func TestParseAnnouncedPrefixes(t *testing.T) {
	a, err := ParseAnnouncedPrefixes(load(t, "announced-prefixes_AS3333.json"), "ap")
	if err != nil {
		t.Fatal(err)
	}
	if a.Resource != 3333 || len(a.Prefixes) != 2 {
		t.Fatalf("got %+v", a)
	}
	p := a.Prefixes[0]
	if p.Prefix.String() != "193.0.0.0/21" || len(p.Timelines) != 4 {
		t.Errorf("first prefix = %+v", p)
	}
	want := Timeline{time.Date(2011, 12, 12, 12, 0, 0, 0, time.UTC), time.Date(2011, 12, 13, 0, 0, 0, 0, time.UTC)}
	if p.Timelines[0] != want {
		t.Errorf("timeline = %+v, want %+v", p.Timelines[0], want)
	}
	if !a.QueryEnd.Equal(time.Date(2012, 1, 17, 0, 0, 0, 0, time.UTC)) || a.Prefixes[1].Prefix.Addr().Is4() {
		t.Errorf("query end %v / second prefix %v", a.QueryEnd, a.Prefixes[1].Prefix)
	}
}

func TestParseRoutingStatus(t *testing.T) {
	as, err := ParseRoutingStatus(load(t, "routing-status_AS3333.json"), "rs")
	if err != nil {
		t.Fatal(err)
	}
	if as.V4 != (Visibility{330, 332}) || as.V6 != (Visibility{301, 305}) || as.PrefixesV4 != 3 || as.IPsV4 != 3072 ||
		as.PrefixesV6 != 2 || as.Slash48sV6 != 131072 || as.ObservedNeighbours != 42 {
		t.Errorf("AS status = %+v", as)
	}
	if as.FirstSeen == nil || as.FirstSeen.Origin != 3333 || as.FirstSeen.Prefix.String() != "193.0.0.0/21" || as.FirstSeen.Time.Year() != 2000 {
		t.Errorf("first seen = %+v", as.FirstSeen)
	}
	pfx, err := ParseRoutingStatus(load(t, "routing-status_193.0.0.0-21.json"), "rs2")
	if err != nil {
		t.Fatal(err)
	}
	if len(pfx.Origins) != 1 || pfx.Origins[0].Origin != 3333 || !slices.Equal(pfx.Origins[0].RouteObjects, []string{"RIPE"}) {
		t.Errorf("origins = %+v", pfx.Origins)
	}
	if pfx.LastSeen.Origin != 3333 {
		t.Errorf("numeric origin not read: %+v", pfx.LastSeen)
	}
}

func TestParseASRoutingConsistency(t *testing.T) {
	c, err := ParseASRoutingConsistency(load(t, "as-routing-consistency_AS3333.json"), "arc")
	if err != nil {
		t.Fatal(err)
	}
	if c.Authority != "ripe" || len(c.Prefixes) != 2 || len(c.Imports) != 3 || len(c.Exports) != 3 {
		t.Fatalf("got %+v", c)
	}
	if !slices.Equal(c.Prefixes[0].IRRSources, []string{"RIPE"}) || c.Prefixes[1].IRRSources != nil || c.Prefixes[1].InWhois {
		t.Errorf("prefixes = %+v", c.Prefixes)
	}
	if c.Imports[1] != (PeerConsistency{Peer: 40962, InBGP: true}) {
		t.Errorf("import = %+v", c.Imports[1])
	}
}

func TestParseAbuseContacts(t *testing.T) {
	a, err := ParseAbuseContacts(load(t, "abuse-contact-finder_AS3333.json"), "acf")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Contacts, []string{"abuse@ripe.net"}) || a.AuthoritativeRIR != "ripe" || a.CallStatus != "supported - based on 2.1" {
		t.Errorf("got %+v", a)
	}
}

func TestParseMessages(t *testing.T) {
	body := `{"status":"ok","data_call_name":"abuse-contact-finder","data_call_status":"deprecated - use 3.0",` +
		`"messages":[["warning","Results filtered"],["info","Cached"]],"data":{"abuse_contacts":[]}}`
	a, err := ParseAbuseContacts([]byte(body), "m")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Messages, []string{"warning: Results filtered", "info: Cached"}) || a.CallStatus != "deprecated - use 3.0" {
		t.Errorf("meta = %+v", a.Meta)
	}
}

func TestParseErrors(t *testing.T) {
	env := func(call, data string) string {
		return `{"status":"ok","status_code":200,"data_call_name":"` + call + `","data":` + data + `}`
	}
	tests := []struct {
		name, body, want string
		parse            func([]byte, string) error
	}{
		{"syntax", `{"status":"ok",}`, "resp.json: byte offset 16: invalid JSON", rpki},
		{"error status", `{"status":"error","status_code":400,"messages":[["error","Invalid resource"]],"data":{}}`,
			`status "error" (code 400): error: Invalid resource`, rpki},
		{"wrong call", env("routing-status", `{}`), `field data_call_name: got "routing-status", want "rpki-validation"`, rpki},
		{"no data", `{"status":"ok","data_call_name":"rpki-validation"}`, "field data: missing", rpki},
		{"bad state", env("rpki-validation", `{"resource":"1","prefix":"10.0.0.0/8","status":"bogus"}`), `field data.status: unknown state "bogus"`, rpki},
		{"host bits", env("rpki-validation", `{"resource":"1","prefix":"10.0.0.1/8","status":"valid"}`), `field data.prefix: "10.0.0.1/8" has host bits set`, rpki},
		{"bad roa origin", env("rpki-validation", `{"resource":"1","prefix":"10.0.0.0/8","status":"valid","validating_roas":[{"origin":"ASx","prefix":"10.0.0.0/8","max_length":8}]}`),
			`field data.validating_roas[0].origin: "ASx" is not an AS number`, rpki},
		{"max length", env("rpki-validation", `{"resource":"1","prefix":"10.0.0.0/8","status":"valid","validating_roas":[{"origin":1,"prefix":"10.0.0.0/8","max_length":33}]}`),
			`field data.validating_roas[0].max_length: 33 outside 8..32`, rpki},
		{"type error in data", env("announced-prefixes", `{"resource":"3333","prefixes":{"x":1}}`), "field data.prefixes: cannot use JSON object", announced},
		{"bad prefix", env("announced-prefixes", `{"resource":"3333","prefixes":[{"prefix":"300.0.0.0/8"}]}`), `field data.prefixes[0].prefix: "300.0.0.0/8" is not a CIDR prefix`, announced},
		{"bad timeline", env("announced-prefixes", `{"resource":"3333","prefixes":[{"prefix":"10.0.0.0/8","timelines":[{"starttime":"soon"}]}]}`), `field data.prefixes[0].timelines[0]: "soon" is not an ISO 8601 time`, announced},
		{"bad irr_sources", env("as-routing-consistency", `{"prefixes":[{"prefix":"10.0.0.0/8","irr_sources":5}]}`), `field data.prefixes[0].irr_sources: want a list`, consistency},
		{"bad peer", env("as-routing-consistency", `{"imports":[{"peer":null}]}`), `field data.imports[0].peer: missing AS number`, consistency},
		{"bad sighting", env("routing-status", `{"first_seen":{"time":"x"}}`), `field data.first_seen: time: "x" is not an ISO 8601 time`, status},
		{"bad envelope time", `{"status":"ok","time":"noon","data_call_name":"abuse-contact-finder","data":{}}`, `field time: "noon"`, abuse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.parse([]byte(tt.body), "resp.json")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "ripestat: resp.json: ") {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func rpki(b []byte, n string) error        { _, err := ParseRPKIValidation(b, n); return err }
func announced(b []byte, n string) error   { _, err := ParseAnnouncedPrefixes(b, n); return err }
func consistency(b []byte, n string) error { _, err := ParseASRoutingConsistency(b, n); return err }
func status(b []byte, n string) error      { _, err := ParseRoutingStatus(b, n); return err }
func abuse(b []byte, n string) error       { _, err := ParseAbuseContacts(b, n); return err }

func TestParseASN(t *testing.T) {
	tests := []struct {
		in   string
		want uint32
		ok   bool
	}{{"3333", 3333, true}, {"AS3333", 3333, true}, {"as4200000000", 4200000000, true}, {"AS", 0, false}, {"4294967296", 0, false}, {"-1", 0, false}}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseASN(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("ParseASN(%q) = %d, %v", tt.in, got, err)
			}
		})
	}
}

// FuzzParse feeds every recorded response to every parser: none may panic, and every error
// must name the input.
func FuzzParse(f *testing.F) {
	entries, _ := os.ReadDir("testdata")
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			f.Add(load(f, e.Name()))
		}
	}
	parsers := []func([]byte, string) error{rpki, announced, consistency, status, abuse}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, p := range parsers {
			if err := p(b, "fuzz"); err != nil && !strings.HasPrefix(err.Error(), "ripestat: fuzz: ") {
				t.Fatalf("error without the input name: %v", err)
			}
		}
	})
}
