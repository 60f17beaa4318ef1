package rpki

import (
	"bytes"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
)

func TestAppendPrefix(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		var p netip.Prefix
		if i%3 == 0 {
			var b [16]byte
			for k := range b {
				b[k] = byte(rnd.Uint32())
			}
			p, _ = netip.AddrFrom16(b).Prefix(rnd.IntN(129))
		} else {
			p, _ = netip.AddrFrom4([4]byte{byte(rnd.Uint32()), byte(rnd.Uint32()), byte(rnd.Uint32()), byte(rnd.Uint32())}).Prefix(rnd.IntN(33))
		}
		if got := string(appendPrefix(nil, p)); got != p.String() {
			t.Fatalf("appendPrefix(%v) = %q", p, got)
		}
	}
}

func TestWriteText(t *testing.T) {
	tab := NewTable(&Set{VRPs: []VRP{vrp("192.0.2.0/24", 24, 64500)}})
	var in strings.Builder
	for i := 0; i < 70000; i++ { // more than one output block
		in.WriteString("192.0.2.0/24 AS64500\n192.0.2.0/25 64500\n198.51.100.0/24 AS1\n")
	}
	routes, err := ParseRoutes("r", []byte(in.String()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteText(&out, routes, tab.ValidateAll(routes)); err != nil {
		t.Fatal(err)
	}
	want := strings.Repeat("192.0.2.0/24 AS64500 valid\n192.0.2.0/25 AS64500 invalid\n198.51.100.0/24 AS1 not-found\n", 70000)
	if out.String() != want {
		t.Fatal("WriteText output differs from the expected lines")
	}
}
