package peeringdb

import (
	"bytes"
	"fmt"
	"testing"
)

// syntheticDump builds a full dump shaped like a daily PeeringDB snapshot with n networks,
// two contacts per network and n netixlan rows to skip.
func syntheticDump(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"netixlan":{"data":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"net_id":%d,"ix_id":1,"ixlan_id":1,"asn":%d,"ipaddr4":"192.0.2.1","speed":10000}`, i+1, i+1, 64512+i)
	}
	b.WriteString(`]},"net":{"data":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"org_id":%d,"name":"Network %d","aka":"","asn":%d,"irr_as_set":"RIPE::AS-NET%d","info_type":"NSP",`+
			`"info_prefixes4":%d,"info_prefixes6":%d,"policy_url":"https://example.net/%d","policy_general":"Open","status":"ok",`+
			`"created":"2016-03-14T21:46:47Z","updated":"2022-07-27T05:33:20.123456Z","notes":"%s"}`,
			i+1, i+1, i, 200000+i, i, i%500, i%50, i, "some free text notes about peering policy and contacts")
	}
	b.WriteString(`]},"poc":{"data":[`)
	for i := 0; i < 2*n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		role := []string{"NOC", "Abuse"}[i%2]
		fmt.Fprintf(&b, `{"id":%d,"net_id":%d,"role":"%s","visible":"Public","name":"Contact %d","phone":"+1 555 0100","email":"c%d@example.net","url":"","status":"ok","updated":"2020-01-01T00:00:00Z"}`,
			i+1, i/2+1, role, i, i)
	}
	b.WriteString(`]}}`)
	return b.Bytes()
}

func BenchmarkReadDump(b *testing.B) {
	data := syntheticDump(30000) // about the number of networks in PeeringDB
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		db, err := Read(bytes.NewReader(data), "bench")
		if err != nil {
			b.Fatal(err)
		}
		if db.Stats().Networks != 30000 {
			b.Fatal("wrong count")
		}
	}
}

func BenchmarkNetworkLookup(b *testing.B) {
	db, err := Read(bytes.NewReader(syntheticDump(30000)), "bench")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok := db.Network(200000 + uint32(i%30000)); !ok {
			b.Fatal("missing")
		}
		i++
	}
}
