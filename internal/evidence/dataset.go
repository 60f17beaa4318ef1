// Package evidence is the routing-evidence engine: it parses imported data sets (VRPs and ASPAs,
// routes, IRR, AS relationships, PeeringDB, bogons, MANRS, CAIDA Spoofer), keeps them as
// snapshots with provenance, and runs the named checks of routewarden.Checks for ASNs.
package evidence

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"time"

	"routewarden/internal/asrel"
	"routewarden/internal/bogon"
	"routewarden/internal/irr"
	"routewarden/internal/manrs"
	"routewarden/internal/mrt"
	"routewarden/internal/peeringdb"
	"routewarden/internal/rpki"
	"routewarden/internal/spoofer"
)

// File is one input file of a data set.
type File struct {
	Name string
	Data []byte
}

// Parsed is what reading one data set yields: the typed data, record counts and the data time.
type Parsed struct {
	Kind     string
	Format   string
	Records  int64
	Skipped  int64
	DataTime *time.Time

	VRPs      *rpki.Set
	Routes    *RouteSet
	IRR       *irr.DB
	ASRel     *asrel.Graph
	PeeringDB *peeringdb.DB
	Bogons    *bogon.Set
	Delegated *bogon.Delegated
	MANRS     *manrs.DB
	Spoofer   *spoofer.DB

	scratch []uint32 // reused path buffer while reading routes
}

// Parse reads the files of one kind. Any malformed file fails the whole set, with the file name
// and position in the error.
func Parse(kind string, files []File) (*Parsed, error) {
	if len(files) == 0 {
		return nil, errors.New("no files given")
	}
	p := &Parsed{Kind: kind}
	var err error
	switch kind {
	case "vrps":
		err = p.parseVRPs(files)
	case "routes":
		err = p.parseRoutes(files)
	case "irr":
		p.IRR, p.Format = irr.NewDB(), "rpsl"
		for _, f := range files {
			if err = p.IRR.Add(reader(f), f.Name); err != nil {
				break
			}
		}
		if err == nil {
			for _, n := range p.IRR.Counts() {
				p.Records += int64(n)
			}
		}
	case "asrel":
		err = p.parseASRel(files)
	case "peeringdb":
		p.PeeringDB, p.Format = peeringdb.New(), "peeringdb-json"
		for _, f := range files {
			if err = p.PeeringDB.Add(reader(f), f.Name); err != nil {
				break
			}
		}
		p.Records = int64(len(p.PeeringDB.ASNs()))
	case "bogons":
		err = p.parseBogons(files)
	case "manrs":
		p.MANRS, p.Format = manrs.New(), "manrs-observatory-json"
		for _, f := range files {
			if err = p.MANRS.Add(reader(f), f.Name, ""); err != nil {
				break
			}
		}
		p.Records = int64(len(p.MANRS.ASNs()))
	case "spoofer":
		p.Spoofer, p.Format = spoofer.New(), "spoofer-json"
		for _, f := range files {
			if err = p.Spoofer.Add(reader(f), f.Name); err != nil {
				break
			}
		}
		p.Records = int64(len(p.Spoofer.ASNs()))
	default:
		return nil, fmt.Errorf("unknown data kind %q (want vrps, routes, irr, asrel, peeringdb, bogons, manrs or spoofer)", kind)
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// reader returns the file's content, decompressed when it is gzip or bzip2.
func reader(f File) io.Reader {
	switch {
	case bytes.HasPrefix(f.Data, []byte{0x1f, 0x8b}):
		if zr, err := gzip.NewReader(bytes.NewReader(f.Data)); err == nil {
			return zr
		}
	case bytes.HasPrefix(f.Data, []byte("BZh")):
		return bzip2.NewReader(bytes.NewReader(f.Data))
	}
	return bytes.NewReader(f.Data)
}

func (p *Parsed) parseVRPs(files []File) error {
	var slurms []*rpki.SLURM
	set := &rpki.Set{}
	for _, f := range files {
		if bytes.Contains(firstBytes(f.Data, 4096), []byte(`"slurmVersion"`)) {
			sl, err := rpki.ReadSLURM(f.Name, bytes.NewReader(f.Data))
			if err != nil {
				return err
			}
			slurms = append(slurms, sl)
			continue
		}
		s, err := rpki.ReadVRPs(f.Name, bytes.NewReader(f.Data))
		if err != nil {
			return err
		}
		set.VRPs = append(set.VRPs, s.VRPs...)
		set.ASPAs = append(set.ASPAs, s.ASPAs...)
		if p.Format == "" {
			p.Format = s.Format
		}
	}
	if len(set.VRPs) == 0 && len(set.ASPAs) == 0 && len(slurms) > 0 {
		return errors.New("only SLURM files given: import them together with a VRP export")
	}
	for _, sl := range slurms {
		sl.Apply(set)
		p.Format += "+slurm"
	}
	set.Normalize()
	p.VRPs, p.Records = set, int64(len(set.VRPs)+len(set.ASPAs))
	for _, f := range files {
		if t, ok := exportTime(firstBytes(f.Data, 4096)); ok && (p.DataTime == nil || t.After(*p.DataTime)) {
			p.DataTime = &t
		}
	}
	return nil
}

// exportTimeRE finds when a validator produced its export: rpki-client's metadata "buildtime",
// Routinator's "generatedTime" (or "generated", in Unix seconds).
var exportTimeRE = regexp.MustCompile(`"(buildtime|generatedTime|generated)"\s*:\s*"?([0-9TZ:.+-]+)"?`)

func exportTime(head []byte) (time.Time, bool) {
	m := exportTimeRE.FindSubmatch(head)
	if m == nil {
		return time.Time{}, false
	}
	v := string(m[2])
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), true
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs > 0 {
		return time.Unix(secs, 0).UTC(), true
	}
	return time.Time{}, false
}

func firstBytes(b []byte, n int) []byte { return b[:min(n, len(b))] }

func (p *Parsed) parseASRel(files []File) error {
	if len(files) != 1 {
		return errors.New("import one as-rel file per snapshot")
	}
	g, err := asrel.Read(reader(files[0]), files[0].Name)
	if err != nil {
		return err
	}
	p.ASRel, p.Records, p.Format = g, int64(g.Len()), fmt.Sprintf("caida-as-rel-serial-%d", g.Serial)
	if t, ok := g.DataTime(); ok {
		p.DataTime = &t
	}
	return nil
}

func (p *Parsed) parseBogons(files []File) error {
	p.Bogons = bogon.Default()
	for _, f := range files {
		br := bufio.NewReader(reader(f))
		head, _ := br.Peek(512)
		if isDelegated(head) {
			d, err := bogon.ReadDelegated(br, f.Name)
			if err != nil {
				return err
			}
			if p.Delegated == nil {
				p.Delegated = d
			} else {
				p.Delegated.Merge(d)
			}
			if t, ok := d.DataTime(); ok {
				p.DataTime = &t
			}
			p.Format = "rir-delegated-extended"
			p.Records++
			continue
		}
		s, err := bogon.ReadList(br, f.Name)
		if err != nil {
			return err
		}
		p.Bogons, p.Format = s, "bogon-list"
		p.Records += int64(s.Len())
	}
	return nil
}

// isDelegated recognises the RIR statistics header "2|registry|serial|...".
func isDelegated(head []byte) bool {
	for _, line := range bytes.Split(head, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		return bytes.HasPrefix(line, []byte("2|")) || bytes.HasPrefix(line, []byte("2.3|"))
	}
	return false
}

func (p *Parsed) parseRoutes(files []File) error {
	p.Routes = NewRouteSet()
	var last time.Time
	for _, f := range files {
		kind, err := routeFormat(f)
		if err != nil {
			return err
		}
		switch kind {
		case "mrt":
			t, err := p.readMRT(f)
			if err != nil {
				return err
			}
			last = maxTime(last, t)
		case "bgpdump":
			t, err := p.readBGPDump(f)
			if err != nil {
				return err
			}
			last = maxTime(last, t)
		default:
			rs, err := rpki.ReadRoutes(f.Name, reader(f))
			if err != nil {
				return err
			}
			for _, r := range rs {
				p.Routes.Add(r.Prefix, []uint32{r.Origin}, !r.OriginKnown, r.Origin, r.OriginKnown)
			}
		}
		if p.Format == "" {
			p.Format = kind
		} else if p.Format != kind {
			p.Format = "mixed"
		}
	}
	p.Routes.done()
	p.Records = int64(p.Routes.Len())
	if !last.IsZero() {
		p.DataTime = &last
	}
	return nil
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// routeFormat tells MRT (binary, possibly compressed) from bgpdump -m text and PREFIX ORIGIN lists.
func routeFormat(f File) (string, error) {
	br := bufio.NewReader(reader(f))
	head, _ := br.Peek(256)
	if len(head) == 0 {
		return "", fmt.Errorf("%s: the file is empty", f.Name)
	}
	for _, b := range head {
		if b < 0x09 || (b > 0x0d && b < 0x20) {
			return "mrt", nil
		}
	}
	for _, pfx := range []string{"TABLE_DUMP", "BGP4MP"} {
		if bytes.HasPrefix(head, []byte(pfx)) {
			return "bgpdump", nil
		}
	}
	return "prefix-origin", nil
}

func (p *Parsed) readMRT(f File) (time.Time, error) {
	rr, err := mrt.NewRouteReader(bytes.NewReader(f.Data))
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", f.Name, err)
	}
	defer rr.Close()
	var last time.Time
	for {
		r, err := rr.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			return last, fmt.Errorf("%s: %w", f.Name, err)
		}
		last = maxTime(last, r.Time)
		p.addMRTRoute(r)
	}
	p.Skipped += int64(rr.Stats().Malformed)
	return last, nil
}

func (p *Parsed) readBGPDump(f File) (time.Time, error) {
	tr := mrt.NewTextReader(reader(f))
	var last time.Time
	for {
		r, err := tr.Next()
		if err == io.EOF {
			return last, nil
		} else if err != nil {
			return last, fmt.Errorf("%s: %w", f.Name, err)
		}
		last = maxTime(last, r.Time)
		p.addMRTRoute(r)
	}
}

func (p *Parsed) addMRTRoute(r *mrt.Route) {
	// Multicast-only routes (SAFI 2) are not what the internet routes on.
	if r.Action == mrt.ActionWithdraw || !r.Prefix.IsValid() || r.SAFI == mrt.SAFIMulticast {
		return
	}
	asns := p.scratch[:0]
	hasSet := false
	for _, seg := range r.Path {
		if seg.Type == mrt.SegSet || seg.Type == mrt.SegConfedSet {
			hasSet = true
		}
		asns = append(asns, seg.ASNs...)
	}
	known := r.OriginKind == mrt.OriginSingle
	p.Routes.Add(r.Prefix, asns, hasSet, r.OriginAS, known) // Add copies the path when it is new
	p.scratch = asns
}
