package irr

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"
)

func readDB(t testing.TB, name string) *DB {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	db, err := Read(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestReadSample(t *testing.T) {
	for _, name := range []string{"ripe.db.sample", "ripe.db.sample.gz"} {
		t.Run(name, func(t *testing.T) {
			db := readDB(t, name)
			want := map[string]int{"mntner": 1, "as-set": 2, "aut-num": 3, "organisation": 1,
				"role": 1, "route": 4, "route6": 2}
			if got := db.Counts(); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("Counts = %v, want %v", got, want)
			}
			if db.NumRoutes() != 6 {
				t.Errorf("NumRoutes = %d", db.NumRoutes())
			}
		})
	}
}

func TestRouteLookups(t *testing.T) {
	db := readDB(t, "ripe.db.sample")
	pfx := netip.MustParsePrefix
	tests := []struct {
		name   string
		prefix string
		origin uint32
		covers string // prefix of the covering object, "" = not covered
	}{
		{"exact v4", "193.0.0.0/21", 3333, "193.0.0.0/21"},
		{"more-specific covered by less-specific", "193.0.4.0/24", 3333, "193.0.0.0/21"},
		{"other origin", "193.0.0.0/21", 12654, ""},
		{"less-specific not covered", "193.0.0.0/16", 3333, ""},
		{"most specific object wins", "193.0.20.0/24", 3333, "193.0.20.0/23"},
		{"v6 exact", "2001:67c:2e8::/48", 3333, "2001:67c:2e8::/48"},
		{"v6 more-specific", "2001:7fb:fe00::/64", 12654, "2001:7fb:fe00::/48"},
		{"v6 not registered", "2001:db8::/32", 3333, ""},
		{"v4-mapped is not v4", "::ffff:193.0.0.0/117", 3333, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := db.CoversRoute(pfx(tt.prefix), tt.origin)
			if ok != (tt.covers != "") || ok && r.Prefix != pfx(tt.covers) {
				t.Errorf("CoversRoute = %v %v, want %q", r.Prefix, ok, tt.covers)
			}
			if ok && (r.Origin != tt.origin || r.File != "ripe.db.sample" || r.Line == 0) {
				t.Errorf("route = %+v", r)
			}
		})
	}
	if got := db.RoutesFor(pfx("193.0.0.0/21")); len(got) != 2 || got[1].Source != "RADB" {
		t.Errorf("RoutesFor = %+v, want the RIPE and RADB objects", got)
	}
	if got := db.RoutesFor(pfx("193.0.4.0/24")); len(got) != 0 {
		t.Errorf("RoutesFor(/24) = %+v, want none (exact match only)", got)
	}
	var covering []string
	for _, r := range db.CoveringRoutes(pfx("193.0.21.0/24")) {
		covering = append(covering, r.Prefix.String())
	}
	if want := []string{"193.0.20.0/23"}; !slices.Equal(covering, want) {
		t.Errorf("CoveringRoutes = %v, want %v", covering, want)
	}
	if got := db.RoutesByOrigin(12654); len(got) != 2 {
		t.Errorf("RoutesByOrigin(12654) = %+v", got)
	}
}

func TestAutNum(t *testing.T) {
	db := readDB(t, "ripe.db.sample")
	a, ok := db.AutNum(3333)
	if !ok {
		t.Fatal("AS3333 not found")
	}
	if a.Name != "RIPE-NCC-AS" || len(a.Imports) != 2 || len(a.Exports) != 2 || !a.HasPolicy() {
		t.Errorf("AS3333 = %+v", a)
	}
	if a.Exports[1] != "afi ipv6.unicast to AS1299 announce AS-RIPENCC" {
		t.Errorf("continued mp-export = %q", a.Exports[1])
	}
	b, _ := db.AutNum(196615)
	if b == nil || b.HasPolicy() || !slices.Equal(b.MemberOf, []string{"AS-RIPENCC"}) {
		t.Errorf("AS196615 = %+v", b)
	}
	if _, ok := db.AutNum(1299); ok {
		t.Error("AS1299 found, want absent")
	}
	tests := []struct {
		asn             uint32
		handle, mailbox string
		ok              bool
	}{
		{3333, "OPS4-RIPE", "abuse@ripe.net", true}, // via organisation and role
		{64496, "AR1-RIPE", "", true},               // on the aut-num, role not read
		{196615, "", "", false},
		{1299, "", "", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.asn), func(t *testing.T) {
			h, m, ok := db.AbuseContact(tt.asn)
			if h != tt.handle || m != tt.mailbox || ok != tt.ok {
				t.Errorf("AbuseContact = %q %q %v", h, m, ok)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		reason   string
	}{
		{"bad prefix", "route: 193.0.0/21\norigin: AS1\n", 1, "bad prefix"},
		{"host bits", "\nroute: 193.0.0.1/21\norigin: AS1\n", 2, "host bits set"},
		{"v6 in route", "route: 2001:db8::/32\norigin: AS1\n", 1, "wrong address family"},
		{"v4 in route6", "route6: 10.0.0.0/8\norigin: AS1\n", 1, "wrong address family"},
		{"no origin", "route: 10.0.0.0/8\nsource: X\n", 1, "exactly one origin"},
		{"two origins", "route: 10.0.0.0/8\norigin: AS1\norigin: AS2\n", 1, "exactly one origin"},
		{"bad origin", "route: 10.0.0.0/8\ndescr: x\norigin: 3333\n", 3, "does not start with \"AS\""},
		{"origin too big", "route: 10.0.0.0/8\norigin: AS4294967296\n", 2, "exceeds"},
		{"bad aut-num", "aut-num: ASX\n", 1, "aut-num"},
		{"bad member-of", "aut-num: AS1\nmember-of: FOO\n", 2, "member-of"},
		{"bad as-set name", "as-set: RS-FOO\n", 1, "not an as-set name"},
		{"bad member", "as-set: AS-FOO\nmembers: AS1, 10.0.0.0/8\n", 2, "neither an AS number nor an as-set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := NewDB()
			err := db.Add(strings.NewReader("route: 1.0.0.0/24\norigin: AS13335\n\n"+tt.in), "in.db")
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want *ParseError", err)
			}
			if pe.File != "in.db" || pe.Line != tt.line+3 || !strings.Contains(pe.Reason, tt.reason) {
				t.Errorf("err = %v, want in.db:%d: …%s…", pe, tt.line+3, tt.reason)
			}
			if db.NumRoutes() != 0 || len(db.Counts()) != 0 {
				t.Errorf("failed Add kept %d routes", db.NumRoutes())
			}
		})
	}
}

func TestAddMerges(t *testing.T) {
	db := readDB(t, "ripe.db.sample")
	more := "route: 193.0.0.0/16\norigin: AS3333\nsource: ALTDB\n"
	if err := db.Add(strings.NewReader(more), "altdb.db"); err != nil {
		t.Fatal(err)
	}
	r, ok := db.CoversRoute(netip.MustParsePrefix("193.0.128.0/24"), 3333)
	if !ok || r.File != "altdb.db" || r.Source != "ALTDB" {
		t.Fatalf("CoversRoute after Add = %+v %v", r, ok)
	}
	if got := len(db.RoutesByOrigin(3333)); got != 5 {
		t.Errorf("RoutesByOrigin(3333) = %d, want 5", got)
	}
}

func TestParseASN(t *testing.T) {
	tests := []struct {
		in   string
		want uint32
		ok   bool
	}{
		{"AS3333", 3333, true},
		{"as4200000000", 4200000000, true},
		{"AS1.10", 65546, true},
		{"AS0", 0, true},
		{"AS", 0, false},
		{"AS-FOO", 0, false},
		{"3333", 0, false},
		{"AS65536.1", 0, false},
		{"AS1.", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseASN(tt.in)
			if got != tt.want || (err == nil) != tt.ok {
				t.Errorf("ParseASN = %d, %v", got, err)
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"ripe.db.sample", "fltr-martian-v6.rpsl", "ripe.db.sample.gz"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("inetnum: 193.0.0.0 - 193.0.7.255\nabuse-c: AB1-RIPE\nsource: RIPE\n\ninet6num: 2001:db8::/32\norg: ORG-X\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		db, err := Read(strings.NewReader(string(in)), "fuzz")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is not a *ParseError: %v", err)
			}
			return
		}
		for _, r := range db.routes {
			if got, ok := db.CoversRoute(r.Prefix, r.Origin); !ok || got.Prefix != r.Prefix {
				t.Fatalf("route %v AS%d not covered by itself", r.Prefix, r.Origin)
			}
		}
		for name := range db.asSets {
			if _, err := db.Expand(name, 5); err != nil && !errors.As(err, new(*DepthError)) {
				t.Fatalf("Expand(%s): %v", name, err)
			}
		}
	})
}

// BenchmarkRead reads a synthetic dump of 50,000 route objects (RIPE's has about 400,000).
func BenchmarkRead(b *testing.B) {
	var sb strings.Builder
	for i := 0; i < 50000; i++ {
		fmt.Fprintf(&sb, "route:   %d.%d.%d.0/24\ndescr:   test\norigin:  AS%d\nmnt-by:  X-MNT\nsource:  RIPE\n\n",
			1+i>>16, i>>8&255, i&255, 64512+i%1000)
	}
	data := sb.String()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(strings.NewReader(data), "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCoversRoute(b *testing.B) {
	db := readDB(b, "ripe.db.sample")
	p := netip.MustParsePrefix("2001:7fb:fe00:1::/64")
	for b.Loop() {
		if _, ok := db.CoversRoute(p, 12654); !ok {
			b.Fatal("not covered")
		}
	}
}

func TestAddTruncatedKeepsNothing(t *testing.T) {
	db := readDB(t, "ripe.db.sample")
	before := db.NumRoutes()
	f, err := os.Open("testdata/truncated.db.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err = db.Add(f, "truncated.db.gz")
	var pe *ParseError
	if !errors.As(err, &pe) || pe.File != "truncated.db.gz" || !strings.Contains(pe.Reason, "unexpected EOF") {
		t.Fatalf("err = %v, want truncated.db.gz:N: reading: unexpected EOF", err)
	}
	if db.NumRoutes() != before || db.Counts()["mntner"] != 1 {
		t.Errorf("failed Add changed the DB: %d routes, counts %v", db.NumRoutes(), db.Counts())
	}
}
