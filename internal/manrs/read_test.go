package manrs

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func file(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadASNs(t *testing.T) {
	db, err := Read(bytes.NewReader(file(t, "asns.json")), "asns.json")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(db.ASNs(), []uint32{3333, 13335, 64500, 64501, 4200000001}) {
		t.Errorf("ASNs = %v", db.ASNs())
	}
	tests := []struct {
		asn  uint32
		want bool
	}{{3333, true}, {4200000001, true}, {64502, false}, {1, false}}
	for _, tt := range tests {
		if got := db.IsParticipant(tt.asn); got != tt.want {
			t.Errorf("IsParticipant(%d) = %v", tt.asn, got)
		}
	}
	if _, ok := db.Participant(3333); ok {
		t.Error("the ASN list alone carries no conformance record")
	}
}

func TestReadConformance(t *testing.T) {
	db := New()
	for _, n := range []string{"conformance_net-ops_v1.json", "conformance_net-ops_v2.json"} {
		if err := db.Add(bytes.NewReader(file(t, n)), n, "net-ops"); err != nil {
			t.Fatal(err)
		}
	}
	if got := db.Stats(); got != (Stats{ParticipantASNs: 4, Participants: 3}) {
		t.Errorf("Stats = %+v", got)
	}
	tests := []struct {
		name                 string
		asn                  uint32
		id, pname            string
		actions              []string
		conformant, assessed int
		since                string
	}{
		{"v1 snake_case", 64501, "1001", "Example Transit",
			[]string{"anti-spoofing", "coordination", "filtering", "routing-information"}, 3, 4, "2020-01-15"},
		{"v1 string ASN, no-data", 64502, "1002", "Example Access",
			[]string{"anti-spoofing", "coordination", "filtering", "routing-information"}, 1, 2, "2023-06-01"},
		{"v2 camelCase", 4200000001, "a3ffc8ac-0000-4000-8000-000000000001", "Example Cloud",
			[]string{"anti-spoofing", "coordination", "filtering", "routing-information"}, 4, 4, "2021-03-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := db.Participant(tt.asn)
			if !ok || !db.IsParticipant(tt.asn) {
				t.Fatalf("AS%d not found", tt.asn)
			}
			if p.ID != tt.id || p.Name != tt.pname || p.Program != "net-ops" || p.MemberSince.Format(time.DateOnly) != tt.since {
				t.Errorf("participant = %+v", p)
			}
			var keys []string
			for _, a := range p.Actions {
				keys = append(keys, a.Key)
			}
			if !slices.Equal(keys, tt.actions) {
				t.Errorf("actions = %v", keys)
			}
			if c, a := p.Conformance(); c != tt.conformant || a != tt.assessed {
				t.Errorf("Conformance = %d/%d, want %d/%d", c, a, tt.conformant, tt.assessed)
			}
		})
	}
	p, _ := db.Participant(64500)
	ri, ok := p.Action("routing-information")
	want := []Score{{"score-irr", 0.98, "ready"}, {"score-rpki", 0.82, "aspiring"}}
	if !ok || ri.Conformance != Conformant || !slices.Equal(ri.Scores, want) {
		t.Errorf("routing-information = %+v", ri)
	}
	as, _ := p.Action("anti-spoofing")
	if as.Conformance != NonConformant || len(as.Scores) != 1 || as.Scores[0] != (Score{"score", 0.49, "lagging"}) {
		t.Errorf("anti-spoofing = %+v", as)
	}
	if !slices.Equal(p.AreasServed, []string{"NL", "DE"}) {
		t.Errorf("areas = %v", p.AreasServed)
	}
	cloud, _ := db.Participant(4200000001)
	if s, _ := cloud.Action("routing-information"); len(s.Scores) != 2 || s.Scores[1].Metric != "score-rpki" {
		t.Errorf("v2 scores = %+v", s)
	}
}

func TestParticipantPrefersNetOps(t *testing.T) {
	db := New()
	cdn := `[{"id":1,"name":"CDN record","asns":[64500],"filtering":{"conformance":"conformant"}}]`
	netops := `{"data":[{"id":2,"name":"NetOps record","asns":[64500]}]}`
	if err := db.Add(strings.NewReader(cdn), "cdn", "cdns"); err != nil {
		t.Fatal(err)
	}
	if err := db.Add(strings.NewReader(netops), "no", "net-ops"); err != nil {
		t.Fatal(err)
	}
	if p, _ := db.Participant(64500); p.Name != "NetOps record" {
		t.Errorf("Participant = %q", p.Name)
	}
	if len(db.Participants(64500)) != 2 {
		t.Errorf("Participants = %+v", db.Participants(64500))
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not a response", `{"ases":[]}`, `no "asns", "participants" or "data" member`},
		{"scalar", `"x"`, "byte offset 0: expected a JSON object or array"},
		{"asn list bad member", `{"asns":[1, "ASx"]}`, `byte offset 12: "asns": "ASx" is not an AS number`},
		{"asn zero", `{"asns":[0]}`, `"asns": 0 is not an AS number`},
		{"asns not list", `{"asns":5}`, `"asns": expected an array`},
		{"participant without ASNs", `{"participants":[{"id":1,"name":"x"}]}`, `byte offset 17: participant 0: field "ASNs" (or "asns") missing`},
		{"bad ASN", `{"participants":[{"ASNs":[70000000000]}]}`, `participant 0: field "ASNs"[0]: 70000000000 is not an AS number`},
		{"bad date", `{"participants":[{"asns":[1],"memberSince":"last year"}]}`, `field "memberSince": "last year" is not a date`},
		{"bad conformance", `{"participants":[{"asns":[1],"filtering":{"conformance":1}}]}`, `field "filtering": "conformance": 1 is not a string`},
		{"bad score", `{"participants":[{"asns":[1],"coordination":{"conformance":"conformant","score":{"severity":"ready"}}}]}`, `"score": want {"value": number`},
		{"participant not object", `{"participants":[1]}`, "byte offset 18: field \"\": cannot use JSON number"},
		{"truncated", `{"participants":[{"asns":[1]}`, "unexpected end of file"},
		{"trailing", `{"asns":[]} []`, "unexpected data after the response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.in), "m.json")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "manrs: m.json: byte offset ") {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestKebab(t *testing.T) {
	for in, want := range map[string]string{"anti_spoofing": "anti-spoofing", "antiSpoofing": "anti-spoofing",
		"routingInformation": "routing-information", "score_rpki": "score-rpki", "filtering": "filtering"} {
		if got := kebab(in); got != want {
			t.Errorf("kebab(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, n := range []string{"asns.json", "conformance_net-ops_v1.json", "conformance_net-ops_v2.json"} {
		f.Add(file(f, n))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		db, err := Read(bytes.NewReader(b), "fuzz")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "manrs: fuzz: byte offset ") {
				t.Fatalf("error without location: %v", err)
			}
			return
		}
		for _, asn := range db.ASNs() {
			if asn == 0 || !db.IsParticipant(asn) {
				t.Fatalf("ASNs lists %d", asn)
			}
			if p, ok := db.Participant(asn); ok {
				if c, a := p.Conformance(); c > a || a > len(p.Actions) {
					t.Fatalf("conformance %d/%d over %d actions", c, a, len(p.Actions))
				}
			}
		}
	})
}
