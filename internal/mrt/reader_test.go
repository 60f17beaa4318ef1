package mrt

import (
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

func gzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bzip2Fixture is variedMRT() compressed with `bzip2 -9` (the standard library cannot compress).
const bzip2Fixture = "testdata/synthetic/varied.mrt.bz2"

func TestReaderCompression(t *testing.T) {
	plain := variedMRT()
	bz, err := os.ReadFile(bzip2Fixture)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := io.ReadAll(bzip2.NewReader(bytes.NewReader(bz))); err != nil || !bytes.Equal(d, plain) {
		t.Fatalf("%s does not hold variedMRT(): %v", bzip2Fixture, err)
	}
	tests := []struct {
		name, comp string
		data       []byte
	}{
		{"plain", "", plain},
		{"gzip", "gzip", gzipBytes(t, plain)},
		{"bzip2", "bzip2", bz},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, err := NewReader(bytes.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if rd.Compression() != tt.comp {
				t.Errorf("compression %q, want %q", rd.Compression(), tt.comp)
			}
			var offs []int64
			for {
				r, err := rd.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				offs = append(offs, r.Offset)
			}
			if len(offs) < 40 || offs[0] != 0 || rd.Offset() != int64(len(plain)) {
				t.Errorf("%d records, end offset %d, want %d", len(offs), rd.Offset(), len(plain))
			}
		})
	}
}

func TestReaderErrors(t *testing.T) {
	plain := variedMRT()
	// Offset of the third record.
	rd, _ := NewReader(bytes.NewReader(plain))
	var third int64
	for i := 0; i < 3; i++ {
		r, err := rd.Next()
		if err != nil {
			t.Fatal(err)
		}
		third = r.Offset
	}
	gz := gzipBytes(t, plain)
	corrupt := append([]byte(nil), gz...)
	corrupt[len(corrupt)-6] ^= 0xff // CRC mismatch
	noTrailer := gz[:len(gz)-8]     // every record complete, gzip CRC and size missing
	huge := cat(u32(1), u16(13), u16(2), u32(1<<30))
	et := rec(1, TypeBGP4MPET, 4, []byte{0, 0})
	tests := []struct {
		name   string
		data   []byte
		offset int64
		reason string
	}{
		{"header cut", plain[:third+5], third, "record header cut short (5 of 12 bytes)"},
		{"body cut", plain[:third+20], third, "record cut short"},
		{"gzip truncated", gz[:len(gz)/2], -1, "gzip stream truncated"},
		{"gzip trailer missing", noTrailer, int64(len(plain)), "gzip stream truncated"},
		{"gzip checksum", corrupt, -1, "gzip stream: gzip: invalid checksum"},
		{"huge length", huge, 0, "exceeds limit"},
		{"short ET", et, 0, "extended-timestamp record length 2 < 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			_, err := Dump(&out, bytes.NewReader(tt.data))
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v, want *FormatError", err)
			}
			if tt.offset >= 0 && fe.Offset != tt.offset {
				t.Errorf("offset %d, want %d", fe.Offset, tt.offset)
			}
			if !strings.Contains(fe.Error(), tt.reason) || !strings.Contains(fe.Error(), "byte offset") {
				t.Errorf("error %q lacks %q", fe.Error(), tt.reason)
			}
		})
	}
}

func TestDecodeMalformed(t *testing.T) {
	h4 := bgp4mpHead(true, 1, 2, "10.0.0.1", "10.0.0.2")
	okAttrs := cat(origin(0), attr(0x40, AttrASPath, path(4, seq(1))), nexthop("10.0.0.1"))
	tests := []struct {
		name   string
		record []byte
		reason string
	}{
		{"prefix too long", rec(1, TypeBGP4MP, 4, cat(h4, bgpUpdate(nil, okAttrs, []byte{33, 1, 2, 3, 4, 5, 6}))), "prefix length 33 exceeds 32"},
		{"prefix cut", rec(1, TypeBGP4MP, 4, cat(h4, bgpUpdate(nil, okAttrs, []byte{24, 1, 2}))), "cut short"},
		{"attribute overrun", rec(1, TypeBGP4MP, 4, cat(h4, bgpUpdate(nil, []byte{0x40, 1, 9, 0}, nil))), "attribute 1 length 9"},
		{"duplicate", rec(1, TypeBGP4MP, 4, cat(h4, bgpUpdate(nil, cat(origin(0), origin(1)), nil))), "duplicate attribute 1"},
		{"marker", rec(1, TypeBGP4MP, 4, cat(h4, make([]byte, 19))), "marker"},
		{"afi", rec(1, TypeBGP4MP, 4, cat(u32(1), u32(2), u16(0), u16(9), make([]byte, 40))), "address family 9"},
		{"state length", rec(1, TypeBGP4MP, 5, cat(u32(1), u32(2), u16(0), u16(1), make([]byte, 9))), "STATE_CHANGE length"},
		{"rib before peers", rec(1, TypeTableDumpV2, 2, cat(u32(0), pfx("10.0.0.0", 8), u16(1), ribEntry(0, 1, false, 0, okAttrs))), "before any PEER_INDEX_TABLE"},
		{"communities", rec(1, TypeBGP4MP, 4, cat(h4, bgpUpdate(nil, attr(0xc0, AttrCommunities, []byte{1, 2, 3}), nil))), "multiple of 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, _ := NewReader(bytes.NewReader(tt.record))
			r, err := rd.Next()
			if err != nil {
				t.Fatal(err)
			}
			_, err = NewDecoder().Decode(r)
			var me *MalformedError
			if !errors.As(err, &me) || !strings.Contains(me.Error(), tt.reason) {
				t.Fatalf("error %v, want malformed %q", err, tt.reason)
			}
		})
	}
}

func TestReaderAbandonedStopsGoroutine(t *testing.T) {
	data := gzipBytes(t, synthBytes(t, 6000, false))
	base := runtime.NumGoroutine()
	func() {
		rd, err := NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rd.Next(); err != nil {
			t.Fatal(err)
		}
	}()
	for i := 0; i < 100 && runtime.NumGoroutine() > base; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base {
		t.Errorf("%d goroutines after abandoning a reader, want %d", n, base)
	}
	rd, _ := NewReader(bytes.NewReader(data))
	rd.Next()
	rd.Close()
	for i := 0; i < 100 && runtime.NumGoroutine() > base; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base {
		t.Errorf("%d goroutines after Close, want %d", n, base)
	}
}

// TestMalformedASPath checks that a malformed AS_PATH spoils only the routes carrying it: the
// dump prints "! Error !" as bgpdump does, RouteReader skips and counts them.
func TestMalformedASPath(t *testing.T) {
	const ts = 1000
	bad := cat(origin(0), attr(0x40, AttrASPath, path(2, seq(1, 2, 3))), nexthop("10.0.0.1"))
	badType := cat(origin(0), attr(0x40, AttrASPath, []byte{7, 1, 0, 0, 0, 1}), nexthop("10.0.0.1"))
	data := cat(rec(ts, TypeTableDumpV2, SubtypePeerIndexTable, peerIndex("192.0.2.1", uint32(65001))),
		rec(ts, TypeTableDumpV2, SubtypeRIBIPv4Unicast, cat(u32(0), pfx("10.0.0.0", 8), u16(3),
			ribEntry(0, ts, false, 0, bad), ribEntry(0, ts, false, 0, badType), ribEntry(0, ts, false, 0, cat(origin(0), nexthop("10.0.0.2"))))),
		rec(ts, TypeBGP4MP, 4, cat(bgp4mpHead(true, 1, 2, "10.0.0.1", "10.0.0.2"), bgpUpdate(pfx("10.9.0.0", 16), bad, pfx("10.1.0.0", 16)))),
	)
	// Output of bgpdump 1.6.2 for these records.
	want := `TABLE_DUMP2|1000|B|192.0.2.1|65001|10.0.0.0/8|! Error !|IGP|10.0.0.1|0|0||NAG||
TABLE_DUMP2|1000|B|192.0.2.1|65001|10.0.0.0/8|! Error !|IGP|10.0.0.1|0|0||NAG||
TABLE_DUMP2|1000|B|192.0.2.1|65001|10.0.0.0/8||IGP|10.0.0.2|0|0||NAG||
BGP4MP|1000|W|10.0.0.1|1|10.9.0.0/16
BGP4MP|1000|A|10.0.0.1|1|10.1.0.0/16|! Error !|IGP|10.0.0.1|0|0||NAG||
`
	var out bytes.Buffer
	if _, err := Dump(&out, bytes.NewReader(data)); err != nil || out.String() != want {
		t.Errorf("dump (%v):\n%s\nwant:\n%s", err, out.String(), want)
	}
	rr, _ := NewRouteReader(bytes.NewReader(data))
	var got []string
	for {
		r, err := rr.Next()
		if err != nil {
			break
		}
		got = append(got, string(r.Action)+" "+r.Prefix.String())
	}
	if strings.Join(got, ",") != "B 10.0.0.0/8,W 10.9.0.0/16" || rr.Stats().Malformed != 3 {
		t.Errorf("routes %v, malformed %d (%v)", got, rr.Stats().Malformed, rr.Stats().Errors)
	}
	if e := rr.Stats().Errors[1].Error(); !strings.Contains(e, "segment type 7") || !strings.Contains(e, "RIB entry 1") {
		t.Errorf("error %q", e)
	}
}

func TestMalformedRIBEntry(t *testing.T) {
	good := cat(origin(0), attr(0x40, AttrASPath, path(4, seq(65001))), nexthop("192.0.2.1"))
	data := cat(rec(1, TypeTableDumpV2, SubtypePeerIndexTable, peerIndex("192.0.2.1", uint32(65001))),
		rec(1, TypeTableDumpV2, SubtypeRIBIPv4Unicast, cat(u32(0), pfx("10.0.0.0", 8), u16(3),
			ribEntry(0, 1, false, 0, cat(good, attr(0xc0, AttrCommunities, []byte{1, 2, 3}))),
			ribEntry(5, 1, false, 0, good),
			ribEntry(0, 1, false, 0, good))))
	var out bytes.Buffer
	st, err := Dump(&out, bytes.NewReader(data))
	want := "TABLE_DUMP2|1|B|192.0.2.1|65001|10.0.0.0/8|65001|IGP|192.0.2.1|0|0||NAG||\n"
	if err != nil || out.String() != want || st.Malformed != 2 {
		t.Fatalf("dump %q, malformed %d, err %v", out.String(), st.Malformed, err)
	}
	for i, frag := range []string{"RIB entry 0: COMMUNITIES length 3", "RIB entry 1: peer index 5 beyond the 1 peers"} {
		if !strings.Contains(st.Errors[i].Error(), frag) || !strings.Contains(st.Errors[i].Error(), "byte offset") {
			t.Errorf("error %d: %v, want %q", i, st.Errors[i], frag)
		}
	}
}
