package asrel_test

import (
	"fmt"
	"os"

	"routewarden/internal/asrel"
)

func Example() {
	f, err := os.Open("testdata/20240101.as-rel2.txt.bz2")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	g, err := asrel.Read(f, "20240101.as-rel2.txt.bz2")
	if err != nil {
		panic(err)
	}
	fmt.Println(g.Rel(1299, 3333), g.Providers(396531))
	// The June 2019 leak shape: AS396531 passes a route from one provider to another.
	res := g.CheckPath([]uint32{701, 396531, 33154, 3356, 13335})
	for _, l := range res.Leaks {
		fmt.Printf("%s: AS%d leaked AS%d's route to AS%d (RFC 7908 type %d)\n",
			res.Status, l.Leaker, l.From, l.To, l.Type)
	}
	// Output:
	// p2c [701 33154]
	// leak: AS396531 leaked AS33154's route to AS701 (RFC 7908 type 1)
}
