package spoofer

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func open(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func read(t *testing.T, names ...string) *DB {
	t.Helper()
	db := New()
	for _, n := range names {
		if err := db.Add(bytes.NewReader(open(t, n)), n); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func TestReadRealNDJSON(t *testing.T) {
	db := read(t, "sessions_AS3356.ndjson")
	if got := db.Stats(); got != (Stats{Sessions: 2, ASNs: 1}) {
		t.Errorf("Stats = %+v", got)
	}
	o, ok := db.Latest(3356)
	if !ok {
		t.Fatal("no outcome for AS3356")
	}
	want := Outcome{ASN: 3356, Family: IPv4, Session: 894351, Time: time.Date(2020, 5, 13, 11, 12, 51, 0, time.UTC),
		Routed: Blocked, Private: Blocked, NAT: true}
	o.Client = want.Client // compared separately below
	if o != want {
		t.Errorf("Latest = %+v, want %+v", o, want)
	}
	s := db.Sessions(3356)
	if len(s) != 2 || s[0].ID != 894351 || s[1].V4.Client.String() != "4.30.179.0/24" || s[0].Country != "usa" || s[0].V6.Tested() {
		t.Errorf("sessions = %+v", s)
	}
}

func TestLatest(t *testing.T) {
	db := read(t, "sessions_page.jsonld", "sessions_AS3356.ndjson")
	tests := []struct {
		name    string
		asn     uint32
		fam     Family // 0 = any
		ok      bool
		session int64
		routed  Status
		gotFam  Family
	}{
		// 1000003 (Nov) is unknown and skipped; 1000001 (Oct) is the latest determinate one,
		// and within it IPv4 (blocked) is reported before IPv6 (received).
		{"latest skips unknown", 64500, 0, true, 1000001, Blocked, IPv4},
		{"IPv6 only", 64500, IPv6, true, 1000001, Received, IPv6},
		{"IPv4 only", 64500, IPv4, true, 1000001, Blocked, IPv4},
		{"rewritten for each of two ASNs", 64502, 0, true, 1000004, Rewritten, IPv4},
		{"rewritten first ASN", 64501, 0, true, 1000004, Rewritten, IPv4},
		{"4-byte ASN IPv6 only", 4200000001, 0, true, 1000005, Blocked, IPv6},
		{"4-byte ASN has no IPv4", 4200000001, IPv4, false, 0, "", 0},
		{"absent ASN", 64999, 0, false, 0, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var o Outcome
			var ok bool
			if tt.fam == 0 {
				o, ok = db.Latest(tt.asn)
			} else {
				o, ok = db.LatestFamily(tt.asn, tt.fam)
			}
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v (%+v)", ok, tt.ok, o)
			}
			if ok && (o.Session != tt.session || o.Routed != tt.routed || o.Family != tt.gotFam || o.ASN != tt.asn) {
				t.Errorf("got %+v, want session %d %s family %d", o, tt.session, tt.routed, tt.gotFam)
			}
		})
	}
	if got := db.Stats(); got != (Stats{Sessions: 7, ASNs: 5}) {
		t.Errorf("Stats = %+v", got)
	}
	if s := db.Sessions(64500); len(s) != 3 || s[0].ID != 1000003 {
		t.Errorf("Sessions(64500) not newest first: %+v", s)
	}
}

func TestReadShapes(t *testing.T) {
	ndjson := string(open(t, "sessions_AS3356.ndjson"))
	lines := strings.Split(strings.TrimSpace(ndjson), "\n")
	tests := []struct {
		name, in string
		sessions int
	}{
		{"plain array", "[" + lines[0] + ",\n" + lines[1] + "]", 2},
		{"empty array", "[]", 0},
		{"empty collection", `{"@id":"/sessions","hydra:member":[],"hydra:totalItems":0}`, 0},
		{"duplicate session counted once", lines[0] + "\n" + lines[0] + "\n", 1},
		{"pages concatenated", `{"hydra:member":[` + lines[0] + `]}` + "\n" + `{"hydra:member":[` + lines[1] + `]}`, 2},
		{"asn as number", `{"session":5,"timestamp":"2026-01-01T00:00:00Z","asn4":64500,"routedspoof":"received"}`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := Read(strings.NewReader(tt.in), "x")
			if err != nil {
				t.Fatal(err)
			}
			if db.Stats().Sessions != tt.sessions {
				t.Errorf("sessions = %d, want %d", db.Stats().Sessions, tt.sessions)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	ok := `{"session":1,"timestamp":"2026-01-01T00:00:00+00:00","asn4":"64500","routedspoof":"blocked"}`
	tests := []struct{ name, in, want string }{
		{"empty", "  ", "byte offset 0: empty file"},
		{"number", "42", "expected a JSON object or array, found 42"},
		{"no session id", `{"asn4":"1"}`, `byte offset 0: field "session" missing`},
		{"bad session id", `[{"session":"x"}]`, `byte offset 1: field "session": "x" is not a session id`},
		{"bad time", `{"session":1,"timestamp":"2026-01-01"}`, `session 1: field "timestamp": "2026-01-01" is not an RFC 3339 time`},
		{"missing time", `{"session":1}`, `session 1: field "timestamp": `},
		{"bad outcome", strings.Replace(ok, `"blocked"`, `"spoofed"`, 1), `session 1: field "routedspoof": unknown outcome "spoofed"`},
		{"bad asn", strings.Replace(ok, `"64500"`, `"AS-FOO"`, 1), `field "asn4": "AS-FOO" is not an AS number`},
		{"bad client", strings.Replace(ok, `"asn4"`, `"client6":"2001:db8::zz/64","asn4"`, 1), `field "client6": "2001:db8::zz/64" is not a prefix`},
		{"bad nat", strings.Replace(ok, `"asn4"`, `"nat4":"yes","asn4"`, 1), `field "nat4": "yes" is not a boolean`},
		{"second line bad", ok + "\n" + `{"session":2,"timestamp":"x"}`, "byte offset 93: session 2"},
		{"truncated", ok + "\n" + `{"session":2,`, "unexpected end of file"},
		{"member not array", `{"hydra:member":{}}`, `"hydra:member": expected an array`},
		{"garbage after array", "[]x", "invalid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.in), "s.json")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "spoofer: s.json: byte offset ") {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	f.Add(open(f, "sessions_AS3356.ndjson"))
	f.Add(open(f, "sessions_page.jsonld"))
	f.Add([]byte(`[{"session":1,"timestamp":"2026-01-01T00:00:00Z","asn6":"1 2","routedspoof6":"received"}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		db, err := Read(bytes.NewReader(b), "fuzz")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "spoofer: fuzz: byte offset ") {
				t.Fatalf("error without location: %v", err)
			}
			return
		}
		for _, asn := range db.ASNs() {
			if o, ok := db.Latest(asn); ok && (!o.Routed.Determinate() || o.ASN != asn) {
				t.Fatalf("Latest(%d) = %+v", asn, o)
			}
		}
	})
}
