package irr_test

import (
	"fmt"
	"net/netip"
	"os"

	"routewarden/internal/irr"
)

func Example() {
	f, err := os.Open("testdata/ripe.db.sample.gz")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	db, err := irr.Read(f, "ripe.db.sample.gz")
	if err != nil {
		panic(err)
	}
	r, ok := db.CoversRoute(netip.MustParsePrefix("193.0.4.0/24"), 3333)
	fmt.Println(ok, r.Prefix, r.Source, r.File, r.Line)
	asns, err := db.ExpandASSet("RIPE::AS-RIPENCC")
	fmt.Println(asns, err)
	a, _ := db.AutNum(3333)
	fmt.Println(a.Name, a.HasPolicy())
	// Output:
	// true 193.0.0.0/21 RIPE ripe.db.sample.gz 86
	// [2121 3333 12654 196615] <nil>
	// RIPE-NCC-AS true
}
