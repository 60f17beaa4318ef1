package report

import (
	"slices"
	"strconv"

	rw "routewarden/internal/routewarden"
)

// ObservedUpstreams are, by vendor ID, the ASNs observed in BGP paths as upstream providers of
// the vendor's networks (concentration.go's inference).
type ObservedUpstreams map[int64][]uint32

// ObservedUpstreamsOf collects the observed upstreams per vendor from a concentration report.
func ObservedUpstreamsOf(c *Concentration) ObservedUpstreams {
	out := ObservedUpstreams{}
	if c == nil {
		return out
	}
	for _, va := range c.VendorASNs {
		for _, a := range va.Upstreams {
			if !slices.Contains(out[va.VendorID], a) {
				out[va.VendorID] = append(out[va.VendorID], a)
			}
		}
	}
	for id := range out {
		slices.Sort(out[id])
	}
	return out
}

// maxChainRank bounds the supply chain B_05.02 lists; a longer chain of observed providers that
// are all in the register is unlikely and would say little more.
const maxChainRank = 5

// supplyChain derives the subcontractors of rank 2 and beyond of B_05.02 from the observed
// upstreams. A rank-n provider's observed upstream network is its rank-(n+1) subcontractor when
// the data identifies it: the network belongs to another supplier in the register whose LEI is
// valid (B_05.02 identifies providers by code; an AS number is not one). The recipient of the
// subcontracted service is the provider one rank closer. Upstreams without an identifiable
// owner are left out, and so is a supplier already in the chain above (no loops).
type supplyChain struct {
	up     ObservedUpstreams
	owner  map[uint32]*rw.Vendor // ASN → the register's supplier holding it
	listed map[int64]bool        // suppliers already in B_05.01
	used   map[int64]*rw.Vendor  // suppliers reported as subcontractors
}

func newSupplyChain(vendors []*rw.Vendor, up ObservedUpstreams) *supplyChain {
	c := &supplyChain{up: up, owner: map[uint32]*rw.Vendor{}, listed: map[int64]bool{}, used: map[int64]*rw.Vendor{}}
	for _, v := range vendors {
		for _, n := range v.Networks {
			c.owner[n.ASN] = v
		}
	}
	return c
}

// rows returns the B_05.02 rows of rank 2 and beyond for one contract (ref, service type) with
// rank-1 provider v.
func (c *supplyChain) rows(v *rw.Vendor, ref, serviceType string) [][]string {
	if len(c.up) == 0 {
		return nil
	}
	var out [][]string
	seen := map[string]bool{}
	var walk func(p *rw.Vendor, rank int, above map[int64]bool)
	walk = func(p *rw.Vendor, rank int, above map[int64]bool) {
		if rank > maxChainRank {
			return
		}
		for _, a := range c.up[p.ID] {
			w := c.owner[a]
			if w == nil || above[w.ID] || rw.ValidateLEI(w.LEI) != nil {
				continue
			}
			row := []string{ref, serviceType, w.LEI, codeLEI, strconv.Itoa(rank), p.LEI, codeLEI}
			key := w.LEI + "|" + row[4] + "|" + p.LEI
			if seen[key] {
				continue
			}
			seen[key] = true
			c.used[w.ID] = w
			out = append(out, row)
			next := map[int64]bool{w.ID: true}
			for id := range above {
				next[id] = true
			}
			walk(w, rank+1, next)
		}
	}
	walk(v, 2, map[int64]bool{v.ID: true})
	return out
}

// subcontractors are the suppliers reported as subcontractors, in ID order.
func (c *supplyChain) subcontractors() []*rw.Vendor {
	out := make([]*rw.Vendor, 0, len(c.used))
	for _, v := range c.used {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b *rw.Vendor) int { return int(a.ID - b.ID) })
	return out
}
