// Package manrs reads MANRS Observatory API responses — the participant ASN list (/asns) and
// the per-programme conformance reports (participants with per-action conformance and
// readiness scores), in the v1 snake_case and v2 camelCase spellings — and answers whether an
// ASN belongs to a MANRS participant and what conformance that participant publishes.
package manrs

import (
	"slices"
	"time"
)

// Conformance values published per action.
const (
	Conformant    = "conformant"
	NonConformant = "non-conformant"
	NoData        = "no-data"
)

// Score is one readiness score of an action, e.g. the IRR or RPKI score of Action 4.
type Score struct {
	Metric   string  // "score", "score-irr", "score-rpki", ...
	Value    float64 // as published
	Severity string  // "ready", "aspiring" or "lagging"
}

// Action is a participant's published result for one MANRS action.
type Action struct {
	// Key is the action's name in kebab case: "filtering", "anti-spoofing", "coordination",
	// "routing-information", ...
	Key         string
	Conformance string // Conformant, NonConformant, NoData (other values are kept verbatim)
	Scores      []Score
}

// Participant is a MANRS participant as listed in a conformance report.
type Participant struct {
	ID          string // v1 integer as decimal text, v2 UUID
	Name        string
	Program     string // "net-ops", "cdns", "ixps", "vendors"; "" when unknown
	ASNs        []uint32
	AreasServed []string
	MemberSince time.Time
	Actions     []Action // sorted by Key
}

// Action returns the participant's action with the given key.
func (p Participant) Action(key string) (Action, bool) {
	for _, a := range p.Actions {
		if a.Key == key {
			return a, true
		}
	}
	return Action{}, false
}

// Conformance counts the actions published as conformant, and those assessed at all
// (conformant or non-conformant; "no-data" and unrecognised values are not assessed).
func (p Participant) Conformance() (conformant, assessed int) {
	for _, a := range p.Actions {
		switch a.Conformance {
		case Conformant:
			conformant++
			assessed++
		case NonConformant:
			assessed++
		}
	}
	return conformant, assessed
}

// Stats counts what a DB holds, for snapshot provenance.
type Stats struct {
	ParticipantASNs int // distinct ASNs known to belong to participants
	Participants    int // participant records from conformance reports
}

// DB holds participant ASNs and conformance records from one or more responses.
type DB struct {
	asns         map[uint32]bool
	participants []Participant
	byASN        map[uint32][]int
}

// New returns an empty DB; add responses with Add.
func New() *DB { return &DB{asns: map[uint32]bool{}, byASN: map[uint32][]int{}} }

func (db *DB) addParticipant(p Participant) {
	idx := len(db.participants)
	db.participants = append(db.participants, p)
	for _, a := range p.ASNs {
		db.asns[a] = true
		if !slices.Contains(db.byASN[a], idx) {
			db.byASN[a] = append(db.byASN[a], idx)
		}
	}
}

// IsParticipant reports whether asn belongs to a MANRS participant, from the /asns list or a
// conformance report.
func (db *DB) IsParticipant(asn uint32) bool { return db.asns[asn] }

// Participant returns the conformance record of the participant holding asn. When several
// programmes list the ASN, the Network Operators record is preferred, then the first read.
func (db *DB) Participant(asn uint32) (Participant, bool) {
	ps := db.Participants(asn)
	if len(ps) == 0 {
		return Participant{}, false
	}
	for _, p := range ps {
		if p.Program == "net-ops" {
			return p, true
		}
	}
	return ps[0], true
}

// Participants returns every conformance record listing asn, in reading order.
func (db *DB) Participants(asn uint32) []Participant {
	out := make([]Participant, 0, len(db.byASN[asn]))
	for _, i := range db.byASN[asn] {
		out = append(out, db.participants[i])
	}
	return out
}

// ASNs returns all participant ASNs, ascending.
func (db *DB) ASNs() []uint32 {
	out := make([]uint32, 0, len(db.asns))
	for a := range db.asns {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// Stats returns the counts.
func (db *DB) Stats() Stats {
	return Stats{ParticipantASNs: len(db.asns), Participants: len(db.participants)}
}
