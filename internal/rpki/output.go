package rpki

import (
	"io"
	"net/netip"
	"runtime"
	"strconv"
	"sync"
)

// ValidateAll validates routes on all CPUs and returns their states in input order.
func (t *Table) ValidateAll(routes []Route) []State {
	states := make([]State, len(routes))
	parallelChunks(len(routes), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			r := &routes[i]
			states[i] = t.Validate(r.Prefix, r.Origin, r.OriginKnown)
		}
	})
	return states
}

// parallelChunks calls fn on consecutive index ranges covering [0, n) on all CPUs.
func parallelChunks(n int, fn func(lo, hi int)) {
	parts := min(runtime.GOMAXPROCS(0), max(1, n/4096))
	var wg sync.WaitGroup
	for p := 0; p < parts; p++ {
		lo, hi := n*p/parts, n*(p+1)/parts
		wg.Add(1)
		go func() { defer wg.Done(); fn(lo, hi) }()
	}
	wg.Wait()
}

// WriteText writes one line per route, in input order: "PREFIX ASORIGIN STATE" (PRODUCT.md
// section 8, `rov --format text`). Blocks of lines are formatted on all CPUs and written in
// order; block buffers are recycled.
func WriteText(w io.Writer, routes []Route, states []State) error {
	const block = 1 << 16
	nb := (len(routes) + block - 1) / block
	procs := runtime.GOMAXPROCS(0)
	bufs := make([][]byte, nb)
	done := make([]chan struct{}, nb)
	for i := range done {
		done[i] = make(chan struct{})
	}
	free := make(chan []byte, procs+2)
	for range procs + 2 {
		free <- nil
	}
	go func() {
		for b := 0; b < nb; b++ {
			buf := <-free // at most procs+2 blocks are formatted or waiting to be written
			go func() {
				defer close(done[b])
				lo, hi := b*block, min(len(routes), (b+1)*block)
				buf = buf[:0]
				for i := lo; i < hi; i++ {
					buf = appendTextLine(buf, &routes[i], states[i])
				}
				bufs[b] = buf
			}()
		}
	}()
	var err error
	for b := 0; b < nb; b++ {
		<-done[b]
		if err == nil {
			_, err = w.Write(bufs[b])
		}
		free <- bufs[b]
		bufs[b] = nil
	}
	return err
}

func appendTextLine(buf []byte, r *Route, s State) []byte {
	buf = appendPrefix(buf, r.Prefix)
	buf = append(buf, ' ')
	buf = appendOrigin(buf, r)
	buf = append(buf, ' ')
	buf = append(buf, s.String()...)
	return append(buf, '\n')
}

// appendPrefix is Prefix.AppendTo with a fast path for IPv4.
func appendPrefix(buf []byte, p netip.Prefix) []byte {
	if !p.Addr().Is4() {
		return p.AppendTo(buf)
	}
	a := p.Addr().As4()
	for i, o := range a {
		if i > 0 {
			buf = append(buf, '.')
		}
		buf = append(buf, decimal[o]...)
	}
	buf = append(buf, '/')
	return append(buf, decimal[p.Bits()]...)
}

// decimal holds the decimal text of 0-255.
var decimal = func() (d [256]string) {
	for i := range d {
		d[i] = strconv.Itoa(i)
	}
	return d
}()

func appendOrigin(buf []byte, r *Route) []byte {
	if !r.OriginKnown {
		return append(buf, "NONE"...)
	}
	buf = append(buf, 'A', 'S')
	return strconv.AppendUint(buf, uint64(r.Origin), 10)
}

// Descriptions of the validation outcomes, as Routinator words them.
const (
	DescValid         = "At least one VRP Matches the Route Prefix"
	DescInvalidAS     = "At least one VRP Covers the Route Prefix, but no VRP ASN matches the route origin ASN"
	DescInvalidLength = "At least one VRP Covers the Route Prefix, but the Route Prefix length is greater than the maximum length allowed by VRP(s) matching this route origin ASN"
	DescNotFound      = "No VRP Covers the Route Prefix"
)

// Description returns Routinator's description of a result.
func (r Result) Description() string {
	switch {
	case r.State == Valid:
		return DescValid
	case r.State == Invalid && r.Reason == ReasonLength:
		return DescInvalidLength
	case r.State == Invalid:
		return DescInvalidAS
	}
	return DescNotFound
}

// WriteJSON writes the routes' detailed results in the shape of Routinator's
// `validate --json`: {"validated_routes":[{"route":{"origin_asn","prefix"},"validity":{"state",
// "reason","description","VRPs":{"matched","unmatched_as","unmatched_length"}}}]}.
func WriteJSON(w io.Writer, t *Table, routes []Route) error {
	const block = 1 << 14
	if _, err := io.WriteString(w, "{\n  \"validated_routes\": ["); err != nil {
		return err
	}
	bufs := make([][]byte, 2*runtime.GOMAXPROCS(0))
	for lo := 0; lo < len(routes); lo += block * len(bufs) {
		var wg sync.WaitGroup
		for b := range bufs {
			s, e := min(len(routes), lo+b*block), min(len(routes), lo+(b+1)*block)
			wg.Add(1)
			go func() {
				defer wg.Done()
				buf := bufs[b][:0]
				for i := s; i < e; i++ {
					if i > 0 {
						buf = append(buf, ',')
					}
					buf = appendJSONRoute(buf, &routes[i], t.ValidateDetail(routes[i].Prefix, routes[i].Origin, routes[i].OriginKnown))
				}
				bufs[b] = buf
			}()
		}
		wg.Wait()
		for _, buf := range bufs {
			if _, err := w.Write(buf); err != nil {
				return err
			}
		}
	}
	_, err := io.WriteString(w, "\n  ]\n}\n")
	return err
}

func appendJSONRoute(buf []byte, r *Route, res Result) []byte {
	buf = append(buf, "\n    {\n      \"route\": {\"origin_asn\": \""...)
	buf = appendOrigin(buf, r)
	buf = append(buf, "\", \"prefix\": \""...)
	buf = r.Prefix.AppendTo(buf)
	buf = append(buf, "\"},\n      \"validity\": {\n        \"state\": \""...)
	buf = append(buf, res.State.String()...)
	if res.Reason != ReasonNone {
		buf = append(buf, "\",\n        \"reason\": \""...)
		buf = append(buf, res.Reason.String()...)
	}
	buf = append(buf, "\",\n        \"description\": \""...)
	buf = append(buf, res.Description()...)
	buf = append(buf, "\",\n        \"VRPs\": {\n          \"matched\": "...)
	buf = appendJSONVRPs(buf, res.Matched)
	buf = append(buf, ",\n          \"unmatched_as\": "...)
	buf = appendJSONVRPs(buf, res.UnmatchedAS)
	buf = append(buf, ",\n          \"unmatched_length\": "...)
	buf = appendJSONVRPs(buf, res.UnmatchedLength)
	return append(buf, "\n        }\n      }\n    }"...)
}

func appendJSONVRPs(buf []byte, vrps []VRP) []byte {
	buf = append(buf, '[')
	for i, v := range vrps {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, "\n            {\"asn\": \"AS"...)
		buf = strconv.AppendUint(buf, uint64(v.ASN), 10)
		buf = append(buf, "\", \"prefix\": \""...)
		buf = v.Prefix.AppendTo(buf)
		buf = append(buf, "\", \"max_length\": \""...)
		buf = strconv.AppendUint(buf, uint64(v.MaxLength), 10)
		buf = append(buf, "\"}"...)
	}
	if len(vrps) > 0 {
		buf = append(buf, "\n          "...)
	}
	return append(buf, ']')
}
