// Package spoofer reads CAIDA Spoofer measurement sessions as published by the Spoofer Data
// API (https://api.spoofer.caida.org/sessions, JSON-LD "hydra" collections or plain JSON
// arrays) and as dumped one JSON session per line by CAIDA's example script, and answers, per
// ASN, what the latest test says about source address validation (SAV): were packets with
// spoofed routable source addresses blocked, received, or rewritten by a NAT on the way?
package spoofer

import (
	"net/netip"
	"slices"
	"time"
)

// Status is the outcome of one spoofing probe class in one session.
type Status string

// Spoofer outcomes, as defined on the Spoofer report pages.
const (
	// Blocked: the spoofed packet was not received but the unspoofed one was (SAV in place).
	Blocked Status = "blocked"
	// Received: the spoofed packet reached CAIDA's server (no SAV on that path).
	Received Status = "received"
	// Rewritten: the spoofed packet arrived with its source changed en route (a NAT), so the
	// test says nothing about the provider's filtering.
	Rewritten Status = "rewritten"
	// Unknown: neither the spoofed nor the unspoofed packet arrived.
	Unknown Status = "unknown"
	// NotTested: the session did not run this probe (null in the data).
	NotTested Status = ""
)

// Determinate reports whether the status says something about SAV (blocked, received or
// rewritten).
func (s Status) Determinate() bool { return s == Blocked || s == Received || s == Rewritten }

// Family is an IP address family of a probe.
type Family int

// Address families.
const (
	IPv4 Family = 4
	IPv6 Family = 6
)

// Probe is the IPv4 or IPv6 half of a session.
type Probe struct {
	ASNs    []uint32     // origin AS(es) of the client prefix
	Client  netip.Prefix // anonymised client prefix, e.g. 4.30.179.0/24
	NAT     bool         // a NAT was detected in front of the client
	Routed  Status       // spoofing of routable addresses
	Private Status       // spoofing of private (RFC 1918 / ULA) addresses
}

// Tested reports whether this family was probed in the session.
func (p Probe) Tested() bool { return p.Client.IsValid() || len(p.ASNs) > 0 }

// Session is one Spoofer measurement session.
type Session struct {
	ID      int64
	Time    time.Time
	Country string
	V4, V6  Probe
}

// Probe returns the session's probe for family f.
func (s Session) Probe(f Family) Probe {
	if f == IPv6 {
		return s.V6
	}
	return s.V4
}

// Outcome is the latest determinate result for an ASN.
type Outcome struct {
	ASN     uint32
	Family  Family
	Session int64
	Time    time.Time
	Routed  Status // Blocked, Received or Rewritten
	Private Status
	Client  netip.Prefix
	NAT     bool
}

// Stats counts what a DB holds, for snapshot provenance.
type Stats struct {
	Sessions int
	ASNs     int
}

// DB indexes sessions by ASN.
type DB struct {
	sessions []Session
	byASN    map[uint32][]int // indexes into sessions
	seen     map[int64]bool
}

// New returns an empty DB; add files with Add.
func New() *DB { return &DB{byASN: map[uint32][]int{}, seen: map[int64]bool{}} }

func (db *DB) add(s Session) {
	if db.seen[s.ID] {
		return // pages and dumps overlap; a session is counted once
	}
	db.seen[s.ID] = true
	idx := len(db.sessions)
	db.sessions = append(db.sessions, s)
	var asns []uint32
	asns = append(asns, s.V4.ASNs...)
	asns = append(asns, s.V6.ASNs...)
	slices.Sort(asns)
	for _, a := range slices.Compact(asns) {
		db.byASN[a] = append(db.byASN[a], idx)
	}
}

// Sessions returns the sessions that probed from asn (in either family), newest first.
func (db *DB) Sessions(asn uint32) []Session {
	out := make([]Session, 0, len(db.byASN[asn]))
	for _, i := range db.byASN[asn] {
		out = append(out, db.sessions[i])
	}
	slices.SortStableFunc(out, func(a, b Session) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	return out
}

// Latest returns the most recent determinate routed-spoofing outcome (blocked, received or
// rewritten) measured from asn in either address family. Sessions whose routed probe was
// unknown or not run are passed over; false means no determinate test exists for asn.
func (db *DB) Latest(asn uint32) (Outcome, bool) {
	return db.latest(asn, IPv4, IPv6)
}

// LatestFamily is Latest restricted to one address family.
func (db *DB) LatestFamily(asn uint32, f Family) (Outcome, bool) {
	return db.latest(asn, f)
}

func (db *DB) latest(asn uint32, fams ...Family) (Outcome, bool) {
	for _, s := range db.Sessions(asn) {
		// Within one session IPv4 is reported first; ties between families are rare.
		for _, f := range fams {
			p := s.Probe(f)
			if !p.Routed.Determinate() || !slices.Contains(p.ASNs, asn) {
				continue
			}
			return Outcome{ASN: asn, Family: f, Session: s.ID, Time: s.Time, Routed: p.Routed,
				Private: p.Private, Client: p.Client, NAT: p.NAT}, true
		}
	}
	return Outcome{}, false
}

// ASNs returns every ASN with at least one session, ascending.
func (db *DB) ASNs() []uint32 {
	out := make([]uint32, 0, len(db.byASN))
	for a := range db.byASN {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// Stats returns the counts.
func (db *DB) Stats() Stats { return Stats{Sessions: len(db.sessions), ASNs: len(db.byASN)} }

// Verdict is what the tests of one address family say about SAV for an ASN.
type Verdict struct {
	// Outcome is the latest blocked or received result; ok is false when there is none.
	Outcome Outcome
	OK      bool
	// Rewritten counts later sessions (newer than Outcome) whose spoofed packets were
	// rewritten by a NAT: they say nothing about the network's filtering.
	Rewritten int
}

// LatestVerdict returns the latest test of family f from asn that says something about SAV:
// spoofed packets blocked or received. Rewritten (NAT) results are passed over and counted.
func (db *DB) LatestVerdict(asn uint32, f Family) Verdict {
	var v Verdict
	for _, s := range db.Sessions(asn) {
		p := s.Probe(f)
		if !slices.Contains(p.ASNs, asn) {
			continue
		}
		switch p.Routed {
		case Rewritten:
			v.Rewritten++
		case Blocked, Received:
			v.Outcome = Outcome{ASN: asn, Family: f, Session: s.ID, Time: s.Time, Routed: p.Routed,
				Private: p.Private, Client: p.Client, NAT: p.NAT}
			v.OK = true
			return v
		}
	}
	return v
}
