package mrt

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// TestRoutesMatchText checks the route API against the golden text: reading each binary fixture
// with RouteReader gives the same routes as reading its bgpdump -m output with TextReader.
func TestRoutesMatchText(t *testing.T) {
	for _, in := range goldenInputs(t) {
		t.Run(strings.TrimPrefix(in, "testdata/"), func(t *testing.T) {
			f, err := os.Open(in)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rr, err := NewRouteReader(f)
			if err != nil {
				t.Fatal(err)
			}
			tr := NewTextReader(bytes.NewReader(readGzip(t, in+".bgp.gz")))
			n := 0
			for {
				got, err := nextPrinted(rr)
				want, werr := tr.Next()
				if errors.Is(err, io.EOF) && errors.Is(werr, io.EOF) {
					break
				}
				if err != nil || werr != nil {
					t.Fatalf("route %d: binary err %v, text err %v", n, err, werr)
				}
				if d := routeDiff(got, want); d != "" {
					t.Fatalf("route %d differs: %s", n, d)
				}
				n++
			}
			if st := rr.Stats(); st.Malformed != 0 {
				t.Errorf("malformed: %v", st.Errors)
			}
		})
	}
}

// nextPrinted skips routes bgpdump does not print (multicast, RIB_GENERIC and BGP4MP_ENTRY
// RIB records).
func nextPrinted(rr *RouteReader) (*Route, error) {
	for {
		r, err := rr.Next()
		if err != nil {
			return nil, err
		}
		if rr.rib == nil || (r.SAFI == SAFIUnicast && rr.rec.Subtype != SubtypeRIBGeneric && !rr.rib.Entry) {
			return r, nil
		}
	}
}

func routeDiff(got, want *Route) string {
	var d []string
	check := func(name string, ok bool, g, w any) {
		if !ok {
			d = append(d, name+": got "+toString(g)+" want "+toString(w))
		}
	}
	check("time", got.Time.Equal(want.Time), got.Time, want.Time)
	check("action", got.Action == want.Action, string(got.Action), string(want.Action))
	check("peer", got.PeerIP == want.PeerIP, got.PeerIP, want.PeerIP)
	check("peer AS", got.PeerAS == want.PeerAS, got.PeerAS, want.PeerAS)
	check("prefix", got.Prefix == want.Prefix, got.Prefix, want.Prefix)
	check("path id", got.PathID == want.PathID, got.PathID, want.PathID)
	if want.Action != ActionWithdraw {
		check("path", got.Path.String() == want.Path.String(), got.Path.String(), want.Path.String())
		check("origin AS", got.OriginAS == want.OriginAS && got.OriginKind == want.OriginKind,
			[]any{got.OriginAS, got.OriginKind}, []any{want.OriginAS, want.OriginKind})
		check("local pref", got.LocalPref == want.LocalPref, got.LocalPref, want.LocalPref)
		check("communities", len(got.Communities) == len(want.Communities), got.Communities, want.Communities)
		check("atomic", got.AtomicAggregate == want.AtomicAggregate, got.AtomicAggregate, want.AtomicAggregate)
	}
	return strings.Join(d, "; ")
}

// TestBGP4MPEntry reads OpenBGPD's BGP4MP_ENTRY dump, which holds the same table as its
// TABLE_DUMP_V2 dump.
func TestBGP4MPEntry(t *testing.T) {
	read := func(path string) []string {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rr, err := NewRouteReader(f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for {
			r, err := rr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.SAFI == SAFIUnicast {
				out = append(out, r.PeerIP.String()+" "+r.Prefix.String()+" "+r.Path.String()+" "+r.NextHop.String())
			}
		}
		return out
	}
	entry := read("testdata/mrtparse/openbgpd_rib_table-mp")
	v2 := read("testdata/mrtparse/openbgpd_rib_table-v2")
	if len(entry) == 0 || strings.Join(entry, "\n") != strings.Join(v2, "\n") {
		t.Errorf("BGP4MP_ENTRY routes:\n%s\nTABLE_DUMP_V2 routes:\n%s", strings.Join(entry, "\n"), strings.Join(v2, "\n"))
	}
}
