package mrt

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// variedMRT builds a synthetic MRT stream exercising record types and attribute corner cases
// that the real fixtures lack. testdata/synthetic/varied.mrt holds these bytes and
// varied.mrt.bgp.gz the output of bgpdump 1.6.2 for them (regenerate with MRT_UPDATE_VARIED=1).
func variedMRT() []byte {
	const ts = 1600000000
	var out []byte
	add := func(b []byte) { out = append(out, b...) }

	// TABLE_DUMP_V2.
	add(rec(ts, TypeTableDumpV2, SubtypePeerIndexTable, peerIndex(
		"192.0.2.1", uint32(65001), "2001:db8::1", uint32(4200000001),
		"::ffff:198.51.100.7", uint32(3), "10.0.0.2", uint32(23456))))
	full := cat(origin(0), attr(0x40, AttrASPath, path(4, seq(65001, 3356), set(1, 2, 3))),
		nexthop("192.0.2.1"), attr(0x80, AttrMED, u32(5)), attr(0x40, AttrLocalPref, u32(100)),
		comms(0xFFFFFF01, 0xFFFFFF02, 0xFFFFFF03, 0xFFFF0001), attr(0x40, AttrAtomicAggregate, nil),
		attr(0xc0, AttrAggregator, cat(u32(65001), ip("192.0.2.9"))))
	confed := cat(origin(1), attr(0x40, AttrASPath, path(4, cseq(1, 2), cset(3, 4), seq(5))),
		attr(0x80, AttrMPReach, cat([]byte{4}, ip("10.1.1.1"))))
	other := cat(origin(2), attr(0x40, AttrASPath, path(4, seq(3, 4200000000))), nexthop("198.51.100.7"),
		attr(0xc0, AttrLargeCommunities, cat(u32(4200000000), u32(1), u32(2))),
		attr(0xc0, 99, []byte{1, 2, 3}), attr(0xc0, 16, []byte{0, 2, 0, 1, 0, 0, 0, 1}),
		attr(0xc0, AttrAggregator, cat(u32(3), ip("255.255.255.255"))))
	add(rec(ts, TypeTableDumpV2, SubtypeRIBIPv4Unicast, cat(u32(0), pfx("10.0.0.0", 8), u16(4),
		ribEntry(0, ts-10, false, 0, full), ribEntry(1, ts-20, false, 0, confed),
		ribEntry(3, ts-30, false, 0, nil), ribEntry(2, ts-40, false, 0, other))))
	add(rec(ts, TypeTableDumpV2, SubtypeRIBIPv4Unicast, cat(u32(0), pfx("10.0.0.0", 9), u16(2),
		ribEntry(0, ts-10, false, 0, cat(nexthop("192.0.2.77"), attr(0x80, AttrMPReach, cat([]byte{4}, ip("10.1.1.2"))))),
		ribEntry(0, ts-10, false, 0, cat(attr(0x80, AttrMPReach, cat([]byte{4}, ip("10.1.1.3"))), nexthop("192.0.2.78"))))))
	add(rec(ts, TypeTableDumpV2, SubtypeRIBIPv4Unicast, cat(u32(1), pfx("10.31.0.0", 12), u16(1),
		ribEntry(0, ts, false, 0, full))))
	v6nh := func(nh ...string) []byte {
		b := []byte{byte(16 * len(nh))}
		for _, a := range nh {
			b = append(b, ip(a)...)
		}
		return attr(0x80, AttrMPReach, b)
	}
	v6 := func(nh ...string) []byte {
		return cat(origin(0), attr(0x40, AttrASPath, path(4, seq(4200000001, 6939))), v6nh(nh...))
	}
	add(rec(ts, TypeTableDumpV2, SubtypeRIBIPv6Unicast, cat(u32(2), pfx("2001:db8::", 32), u16(2),
		ribEntry(1, ts, false, 0, v6("2001:db8::1", "fe80::1")), ribEntry(0, ts, false, 0, v6("::ffff:1.2.3.4")))))
	for i, p := range []string{"::", "::1.2.3.4", "::1", "1:0:1:1:1:1:1:1", "0:0:1::", "1::1:0:0:1", "::2"} {
		add(rec(ts, TypeTableDumpV2, SubtypeRIBIPv6Unicast, cat(u32(uint32(3+i)), pfx(p, 128), u16(1),
			ribEntry(2, ts, false, 0, v6(p)))))
	}
	add(rec(ts, TypeTableDumpV2, SubtypeRIBIPv6UnicastAddPath, cat(u32(20), pfx("2001:db8:1::", 48), u16(2),
		ribEntry(1, ts, true, 7, v6("2001:db8::1")), ribEntry(1, ts, true, 8, v6("2001:db8::2")))))
	add(rec(ts, TypeTableDumpV2, SubtypeRIBIPv4Multicast, cat(u32(21), pfx("224.0.0.0", 4), u16(1),
		ribEntry(0, ts, false, 0, full))))
	add(rec(ts, TypeTableDumpV2, SubtypeRIBGeneric, cat(u32(22), u16(1), []byte{1}, pfx("10.9.0.0", 16), u16(1),
		ribEntry(0, ts, false, 0, full))))
	long := make([]uint32, 255)
	for i := range long {
		long[i] = 4200000000 + uint32(i)
	}
	add(rec(ts, TypeTableDumpV2, SubtypeRIBIPv4Unicast, cat(u32(23), pfx("10.2.0.0", 16), u16(1),
		ribEntry(0, ts, false, 0, cat(origin(0), attr(0x40, AttrASPath,
			path(4, seq(long...), seq(long...), set(long...), seq(long...))), nexthop("192.0.2.1"))))))
	// More communities than bgpdump's 8192-byte buffer holds.
	many := make([]uint32, 1200)
	for i := range many {
		many[i] = uint32(i)<<16 | uint32(i*7)
		if i%50 == 49 {
			many[i] = 0xFFFFFF01 + uint32(i/50%3)
		}
	}
	add(rec(ts, TypeTableDumpV2, SubtypeRIBIPv4Unicast, cat(u32(24), pfx("10.3.0.0", 16), u16(1),
		ribEntry(0, ts, false, 0, cat(origin(0), nexthop("192.0.2.1"), comms(many...))))))
	out = append(out, variedTDv1(ts)...)
	out = append(out, variedBGP4MP(ts)...)
	add(rec(ts, 99, 1, []byte{1, 2, 3}))
	return out
}

func variedTDv1(ts uint32) []byte {
	tdv1 := func(sub int, view, seqno int, prefix string, bits int, peer string, peerAS int, attrs []byte) []byte {
		p := ip(prefix)
		return rec(ts, TypeTableDump, sub, cat(u16(view), u16(seqno), p, []byte{byte(bits), 1},
			u32(ts-100), ip(peer), u16(peerAS), u16(len(attrs)), attrs))
	}
	as4 := cat(origin(0), attr(0x40, AttrASPath, path(2, seq(65000, 23456))), nexthop("10.0.0.1"),
		attr(0xc0, AttrAS4Path, path(4, seq(4200000000))))
	trans := cat(as4, attr(0xc0, AttrAggregator, cat(u16(23456), ip("10.0.0.9"))),
		attr(0xc0, AttrAS4Aggregator, cat(u32(4200000009), ip("10.0.0.9"))))
	noMerge := cat(as4, attr(0xc0, AttrAggregator, cat(u16(65009), ip("10.0.0.9"))),
		attr(0xc0, AttrAS4Aggregator, cat(u32(4200000009), ip("10.0.0.9"))))
	v6full := cat(origin(0), attr(0x40, AttrASPath, path(2, seq(65002, 1))),
		mpReach(2, 1, ip("2001:db8::2"), pfx("2001:db8:1::", 48)))
	return cat(
		tdv1(1, 0, 1, "192.0.2.0", 24, "10.0.0.1", 65000, as4),
		tdv1(1, 0, 2, "192.0.2.128", 25, "10.0.0.1", 65000, trans),
		tdv1(1, 0, 3, "192.0.3.0", 24, "10.0.0.1", 65000, noMerge),
		tdv1(2, 0, 4, "2001:db8:1::", 48, "2001:db8::2", 65002, v6full),
		tdv1(2, 0, 5, "2001:db8:2::", 48, "2001:db8::2", 65002,
			cat(origin(0), attr(0x40, AttrASPath, path(2, seq(65002))), attr(0x80, AttrMPReach, cat([]byte{16}, ip("2001:db8::2"))))),
	)
}

func variedBGP4MP(ts uint32) []byte {
	var out []byte
	add := func(b []byte) { out = append(out, b...) }
	add(rec(ts, TypeBGP4MP, SubtypeStateChange, cat(u16(65000), u16(65100), u16(0), u16(1),
		ip("10.0.0.1"), ip("10.0.0.254"), u16(1), u16(2))))
	add(rec(ts, TypeBGP4MP, SubtypeStateChangeAS4, cat(u32(4200000001), u32(65100), u16(0), u16(2),
		ip("2001:db8::1"), ip("2001:db8::fe"), u16(6), u16(1))))
	add(rec(ts, TypeBGP4MP, SubtypeStateChange, cat(u16(65000), u16(65100), u16(3), u16(4))))
	h2 := bgp4mpHead(false, 65000, 65100, "10.0.0.1", "10.0.0.254")
	h4 := bgp4mpHead(true, 4200000001, 65100, "10.0.0.2", "10.0.0.254")
	h46 := bgp4mpHead(true, 4200000001, 65100, "2001:db8::1", "2001:db8::fe")
	// AS4_PATH merge where bgpdump's merge differs from RFC 6793.
	odd := cat(origin(0), attr(0x40, AttrASPath, path(2, seq(1), set(2, 3), seq(4, 23456))), nexthop("10.0.0.1"),
		attr(0xc0, AttrAS4Path, path(4, seq(4200000000))))
	add(rec(ts, TypeBGP4MP, SubtypeMessage, cat(h2, bgpUpdate(cat(pfx("10.8.0.0", 16), pfx("10.9.0.0", 16)), odd,
		cat(pfx("10.1.3.0", 23), pfx("0.0.0.0", 0))))))
	trans := cat(origin(0), attr(0x40, AttrASPath, path(2, seq(65000, 23456, 23456))), nexthop("10.0.0.1"),
		attr(0xc0, AttrAS4Path, path(4, seq(4200000000, 4200000001))),
		attr(0xc0, AttrAggregator, cat(u16(23456), ip("10.0.0.9"))),
		attr(0xc0, AttrAS4Aggregator, cat(u32(4200000009), ip("10.0.0.9"))))
	add(rec(ts, TypeBGP4MP, SubtypeMessage, cat(h2, bgpUpdate(nil, trans, pfx("10.10.0.0", 16)))))
	add(rec(ts, TypeBGP4MP, SubtypeMessageLocal, cat(h2, bgpUpdate(pfx("10.11.0.0", 16), trans, pfx("10.12.0.0", 16)))))
	v6attrs := cat(origin(0), attr(0x40, AttrASPath, path(4, seq(4200000001, 6939))),
		mpReach(2, 1, cat(ip("2001:db8::1"), ip("fe80::1")), pfx("2001:db8:10::", 48), pfx("2001:db8:11::", 47)),
		mpUnreach(2, 1, pfx("2001:db8:12::", 48)))
	add(rec(ts, TypeBGP4MP, SubtypeMessageAS4, cat(h46, bgpUpdate(nil, v6attrs, nil))))
	add(rec(ts, TypeBGP4MP, SubtypeMessageAS4, cat(h4, bgpUpdate(pfx("10.13.0.0", 16), v6attrs, nil))))
	v4mp := cat(origin(2), attr(0x40, AttrASPath, path(4, seq(4200000001))),
		attr(0x40, AttrLocalPref, u32(3000000000)), attr(0x80, AttrMED, u32(4000000000)),
		mpReach(1, 1, ip("10.0.0.2"), pfx("10.14.0.0", 16)), mpReach(1, 2, ip("10.0.0.3"), pfx("10.15.0.0", 16)))
	add(rec(ts, TypeBGP4MP, SubtypeMessageAS4, cat(h4, bgpUpdate(nil, v4mp, nil))))
	plain4 := cat(origin(0), attr(0x40, AttrASPath, path(4, seq(4200000001, 174))), nexthop("10.0.0.2"),
		attr(0x40, AttrLocalPref, u32(3000000000)), mpReach(1, 128, ip("10.0.0.2")))
	add(rec(ts, TypeBGP4MP, SubtypeMessageAS4, cat(h4, bgpUpdate(nil, plain4, pfx("10.16.0.0", 16)))))
	add(rec(ts, TypeBGP4MP, SubtypeMessageAS4Local, cat(h4, bgpUpdate(pfx("10.17.0.0", 16), plain4, pfx("10.18.0.0", 16)))))
	add(rec(ts, TypeBGP4MP, SubtypeMessageAS4Local, cat(h4, bgpUpdate(nil, mpUnreach(2, 1, pfx("2001:db8:13::", 48)), nil))))
	ap := func(id uint32, p []byte) []byte { return cat(u32(id), p) }
	apAttrs := cat(origin(0), attr(0x40, AttrASPath, path(4, seq(4200000001))), nexthop("10.0.0.2"),
		mpReach(2, 1, ip("2001:db8::1"), ap(5, pfx("2001:db8:20::", 48))), mpUnreach(2, 1, ap(6, pfx("2001:db8:21::", 48))))
	add(rec(ts, TypeBGP4MP, SubtypeMessageAS4AddPath, cat(h4, bgpUpdate(ap(1, pfx("10.19.0.0", 16)), apAttrs, ap(2, pfx("10.20.0.0", 16))))))
	add(etRec(ts, 5, SubtypeMessageAS4, cat(h4, bgpUpdate(pfx("10.21.0.0", 16), plain4, pfx("10.22.0.0", 16)))))
	add(etRec(ts, 123456, SubtypeStateChangeAS4, cat(u32(4200000001), u32(65100), u16(0), u16(1),
		ip("10.0.0.2"), ip("10.0.0.254"), u16(5), u16(6))))
	add(etRec(ts, 7, SubtypeMessageAddPath, cat(h2, bgpUpdate(nil, trans, ap(9, pfx("10.23.0.0", 16))))))
	keep := []byte{255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0, 19, MsgKeepalive}
	add(rec(ts, TypeBGP4MP, SubtypeMessageAS4, cat(h4, keep)))
	badOrigin := cat(origin(5), attr(0x40, AttrASPath, path(4, seq(4200000001))), nexthop("10.0.0.2"))
	add(rec(ts, TypeBGP4MP, SubtypeMessageAS4, cat(h4, bgpUpdate(nil, badOrigin, pfx("10.24.0.0", 16)))))
	// IPv4 NLRI with an IPv6 next hop (RFC 8950).
	rfc8950 := cat(origin(0), attr(0x40, AttrASPath, path(4, seq(1, 2))), mpReach(1, 1, ip("2001:db8::1"), pfx("10.31.0.0", 16)))
	add(rec(ts, TypeBGP4MP, SubtypeMessageAS4, cat(h4, bgpUpdate(nil, rfc8950, nil))))
	// Zebra's OPEN without interface, family and addresses (bgpdump prints nothing for OPEN);
	// an UPDATE in the same shape prints with peer 0.0.0.0.
	open := cat([]byte{255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255}, u16(29),
		[]byte{MsgOpen, 4}, u16(65000), u16(180), ip("10.0.0.1"), []byte{0})
	add(rec(ts, TypeBGP4MP, SubtypeMessage, cat(u16(65000), u16(65100), open)))
	add(rec(ts, TypeBGP4MP, SubtypeMessage, cat(u16(65000), u16(65100), bgpUpdate(nil, trans, pfx("10.30.0.0", 16)))))
	// Messages cut short of their BGP length (as old Zebra dumps have): inside the last prefix,
	// inside the attributes, inside the withdrawn routes.
	cutAttrs := cat(origin(0), attr(0x40, AttrASPath, path(4, seq(4200000001, 174))), nexthop("10.0.0.2"), comms(1, 2, 3))
	full := bgpUpdate(cat(pfx("10.25.0.0", 16), pfx("10.26.0.0", 16)), cutAttrs,
		cat(pfx("10.27.0.0", 16), pfx("10.28.0.0", 16), pfx("10.29.5.0", 24)))
	for _, cut := range []int{len(full) - 2, len(full) - 11, 19 + 2 + 4} {
		add(rec(ts, TypeBGP4MP, SubtypeMessageAS4, cat(h4, full[:cut])))
	}
	return out
}

func TestDumpVaried(t *testing.T) {
	data := variedMRT()
	dir := filepath.Join("testdata", "synthetic")
	in := filepath.Join(dir, "varied.mrt")
	if os.Getenv("MRT_UPDATE_VARIED") != "" {
		updateVaried(t, in, data)
	}
	stored, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stored, data) {
		t.Fatalf("%s is stale: regenerate with MRT_UPDATE_VARIED=1 (needs bgpdump)", in)
	}
	want := readGzip(t, in+".bgp.gz")
	var got bytes.Buffer
	st, err := Dump(&got, bytes.NewReader(data))
	if err != nil || st.Malformed != 0 {
		t.Fatalf("Dump: %v, malformed %v", err, st.Errors)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("output differs from bgpdump -m:\n%s", firstDiff(got.Bytes(), want))
	}
}

func updateVaried(t *testing.T, in string, data []byte) {
	if err := os.MkdirAll(filepath.Dir(in), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", "bgpdump -m "+in+" | gzip -9n > "+in+".bgp.gz")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("bgpdump: %v %s", err, out)
	}
}
