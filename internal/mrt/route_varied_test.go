package mrt

import (
	"bytes"
	"errors"
	"io"
	"net/netip"
	"testing"
)

func TestRouteReaderVaried(t *testing.T) {
	rr, err := NewRouteReader(bytes.NewReader(variedMRT()))
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]Route{}
	for {
		r, err := rr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		byKey[string(r.Action)+" "+r.PeerIP.String()+" "+r.Prefix.String()] = r.Clone()
	}
	if st := rr.Stats(); st.Malformed != 0 || st.Unsupported != 1 {
		t.Errorf("stats %+v, want no malformed and 1 unsupported record", st)
	}
	tests := []struct {
		key        string
		path       string
		originAS   uint32
		kind       OriginKind
		nextHop    string
		pathID     uint32
		safi       uint8
		localPref  uint32
		largeComms int
	}{
		// RFC 6793 merge, where bgpdump prints "1 1 1 4200000000".
		{key: "A 10.0.0.1 10.1.3.0/23", path: "1 {2,3} 4 4200000000", originAS: 4200000000, nextHop: "10.0.0.1", safi: 1},
		{key: "B 192.0.2.1 10.0.0.0/8", path: "65001 3356 {1,2,3}", kind: OriginASSet, nextHop: "192.0.2.1", safi: 1, localPref: 100},
		{key: "B 2001:db8::1 10.0.0.0/8", path: "(1 2) [3,4] 5", originAS: 5, nextHop: "10.1.1.1", safi: 1},
		{key: "B 10.0.0.2 10.0.0.0/8", path: "", originAS: 23456, kind: OriginLocal, safi: 1},
		{key: "B ::ffff:198.51.100.7 10.0.0.0/8", path: "3 4200000000", originAS: 4200000000, nextHop: "198.51.100.7", safi: 1, largeComms: 1},
		{key: "B 192.0.2.1 10.31.0.0/12", path: "65001 3356 {1,2,3}", kind: OriginASSet, nextHop: "192.0.2.1", safi: 1, localPref: 100},
		{key: "B 2001:db8::1 2001:db8:1::/48", path: "4200000001 6939", originAS: 6939, nextHop: "2001:db8::2", pathID: 8, safi: 1},
		{key: "B 192.0.2.1 224.0.0.0/4", path: "65001 3356 {1,2,3}", kind: OriginASSet, nextHop: "192.0.2.1", safi: 2, localPref: 100},
		{key: "B 192.0.2.1 10.9.0.0/16", path: "65001 3356 {1,2,3}", kind: OriginASSet, nextHop: "192.0.2.1", safi: 1, localPref: 100},
		{key: "B 10.0.0.1 192.0.2.128/25", path: "65000 4200000000", originAS: 4200000000, nextHop: "10.0.0.1", safi: 1},
		{key: "B 10.0.0.1 192.0.3.0/24", path: "65000 23456", originAS: 23456, nextHop: "10.0.0.1", safi: 1},
		{key: "B 2001:db8::2 2001:db8:1::/48", path: "65002 1", originAS: 1, nextHop: "2001:db8::2", safi: 1},
		{key: "A 10.0.0.2 10.15.0.0/16", path: "4200000001", originAS: 4200000001, nextHop: "10.0.0.3", safi: 2, localPref: 3000000000},
		{key: "A 10.0.0.2 2001:db8:20::/48", path: "4200000001", originAS: 4200000001, nextHop: "2001:db8::1", pathID: 5, safi: 1},
		{key: "W 10.0.0.2 2001:db8:21::/48", pathID: 6, safi: 1},
		{key: "W 10.0.0.1 10.8.0.0/16", safi: 1},
		{key: "A 10.0.0.1 10.23.0.0/16", path: "65000 4200000000 4200000001", originAS: 4200000001, nextHop: "10.0.0.1", pathID: 9, safi: 1},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			r, ok := byKey[tt.key]
			if !ok {
				t.Fatalf("no route %q", tt.key)
			}
			var nh netip.Addr
			if tt.nextHop != "" {
				nh = netip.MustParseAddr(tt.nextHop)
			}
			if r.Path.String() != tt.path || r.OriginAS != tt.originAS || r.OriginKind != tt.kind ||
				r.NextHop != nh || r.PathID != tt.pathID || r.SAFI != tt.safi || r.LocalPref != tt.localPref ||
				len(r.LargeCommunities) != tt.largeComms {
				t.Errorf("got path %q origin %d/%v next hop %v path id %d safi %d lp %d large %d",
					r.Path, r.OriginAS, r.OriginKind, r.NextHop, r.PathID, r.SAFI, r.LocalPref, len(r.LargeCommunities))
			}
		})
	}
	if r := byKey["B 192.0.2.1 10.31.0.0/12"]; r.Prefix.Masked() == r.Prefix {
		t.Error("host bits of 10.31.0.0/12 were not kept")
	}
	if r := byKey["A 10.0.0.2 10.20.0.0/16"]; !r.AddPath || r.Time.Unix() != 1600000000 {
		t.Errorf("ADD-PATH announce %+v", r)
	}
	if r := byKey["B 192.0.2.1 10.0.0.0/8"]; r.Originated.Unix() != 1600000000-10 {
		t.Errorf("originated %v", r.Originated)
	}
	if r := byKey["A 10.0.0.2 10.22.0.0/16"]; r.Time.Nanosecond() != 5000 {
		t.Errorf("BGP4MP_ET time %v, want 5µs", r.Time)
	}
}

func TestASPathOrigin(t *testing.T) {
	tests := []struct {
		path string
		as   uint32
		kind OriginKind
		n    int
	}{
		{"1 2 3", 3, OriginSingle, 3},
		{"1 {2,3}", 0, OriginASSet, 2},
		{"1 (2 3)", 0, OriginLocal, 1},
		{"", 0, OriginLocal, 0},
		{"{7}", 0, OriginASSet, 1},
		{"(1) 2 [3,4] 5", 5, OriginSingle, 2},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p, err := ParseASPath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			as, kind := p.Origin()
			if as != tt.as || kind != tt.kind || p.Len() != tt.n || p.String() != tt.path {
				t.Errorf("origin %d %v len %d string %q", as, kind, p.Len(), p.String())
			}
		})
	}
}

func TestMergeAS4Path(t *testing.T) {
	tests := []struct{ as, as4, want string }{
		{"1 23456 23456", "4200000000 4200000001", "1 4200000000 4200000001"},
		{"1 {2,3} 4 23456", "4200000000", "1 {2,3} 4 4200000000"},
		{"1 2", "3 4 5", "1 2"},
		{"1 2", "", "1 2"},
		{"(65000) 1 23456", "4200000000", "(65000) 1 4200000000"},
	}
	for _, tt := range tests {
		t.Run(tt.as+"+"+tt.as4, func(t *testing.T) {
			a, _ := ParseASPath(tt.as)
			b, _ := ParseASPath(tt.as4)
			if got := MergeAS4Path(a, b).String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
