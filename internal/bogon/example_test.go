package bogon_test

import (
	"fmt"
	"net/netip"
	"os"

	"routewarden/internal/bogon"
)

func Example() {
	set := bogon.Default()
	for _, p := range []string{"192.168.10.0/24", "2001:db8:1::/48", "193.0.0.0/21"} {
		reason, ok := set.IsBogonPrefix(netip.MustParsePrefix(p))
		fmt.Printf("%s %v %q\n", p, ok, reason)
	}
	reason, ok := set.IsBogonASN(64512)
	fmt.Println(ok, reason)
	// Output:
	// 192.168.10.0/24 true "192.168.0.0/16^+: Private-Use [RFC1918]"
	// 2001:db8:1::/48 true "2001:db8::/32^+: Documentation [RFC3849]"
	// 193.0.0.0/21 false ""
	// true AS64512-AS65534: reserved for private use [RFC6996]
}

func ExampleNewChecker() {
	f, err := os.Open("testdata/delegated-ripencc-extended-excerpt")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	d, err := bogon.ReadDelegated(f, "delegated-ripencc-extended-excerpt")
	if err != nil {
		panic(err)
	}
	c := bogon.NewChecker(d)
	fmt.Println(c.IsBogonPrefix(netip.MustParsePrefix("2.56.168.0/22")))
	fmt.Println(c.IsBogonASN(210001))
	fmt.Println(c.IsBogonPrefix(netip.MustParsePrefix("10.0.0.0/8")))
	// Output:
	// unallocated: ripencc available block 2.56.168.0-2.56.171.255 true
	// unallocated: ripencc available AS210000-AS210999 true
	// 10.0.0.0/8^+: Private-Use [RFC1918] true
}
