package routewarden

import (
	"fmt"
	"time"
)

// AuditReport is what a verification of the audit log established, what it found broken, and
// what it could not prove.
type AuditReport struct {
	Events    int    // events read
	LastID    int64  // ID of the newest event (the head)
	Head      string // its hash
	Chain     *AuditChain
	KeySource string // where the key came from ("" without one)
	// KeyChecked is true when the HMACs of the keyed events were recomputed with the key.
	KeyChecked bool
	// KeyMissing explains why keyed events could not be checked (no key supplied).
	KeyMissing string
	Unkeyed    int // events hashed without a key (written before the chain was keyed)
	Keyed      int // events carrying an HMAC
	Anchors    int // attestations that recorded a head
	Latest     *AuditAnchor
	// Covered is the newest event whose removal would be detected: the issue event of the most
	// recent registered attestation (each must be in the log).
	Covered  int64
	Problems []string // each a reason the log is not intact
}

// Intact reports whether everything that could be checked holds.
func (r *AuditReport) Intact() bool { return len(r.Problems) == 0 }

// Fail records a problem.
func (r *AuditReport) Fail(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

// Proven lists, in words, what the verification established.
func (r *AuditReport) Proven() []string {
	if r.Events == 0 {
		return []string{"the log is empty"}
	}
	out := []string{fmt.Sprintf("%d events, IDs 1 to %d without gaps, each linked to the one before", r.Events, r.LastID)}
	if r.Unkeyed > 0 {
		out = append(out, fmt.Sprintf("%d events written before the chain was keyed match their SHA-256 hashes", r.Unkeyed))
	}
	if r.KeyChecked && r.Keyed > 0 {
		out = append(out, fmt.Sprintf("%d keyed events match their HMACs under the audit key from %s (key id %.16s…)",
			r.Keyed, r.KeySource, r.Chain.KeyID))
	}
	if r.Latest != nil {
		out = append(out, fmt.Sprintf("%d document anchors (attestations, board reports) match the log; the latest, %s issued %s, anchors event %d",
			r.Anchors, r.Latest.DocumentID, r.Latest.IssuedAt.UTC().Format("2006-01-02 15:04 UTC"), r.Latest.HeadID))
	}
	return out
}

// Limits lists what the verification cannot prove.
func (r *AuditReport) Limits() []string {
	var out []string
	switch {
	case r.Chain == nil:
		out = append(out, "The chain is not keyed: anyone with write access to the database could rewrite it and recompute every hash.")
	case r.KeyMissing != "":
		out = append(out, fmt.Sprintf("The HMACs of the %d keyed events (from event %d) were NOT checked: %s. "+
			"Without the key, someone with write access to the database could have rewritten them consistently.",
			r.Keyed, r.Chain.KeyedFrom, r.KeyMissing))
	}
	if r.Chain != nil && r.Unkeyed > 0 {
		out = append(out, fmt.Sprintf("Events 1 to %d predate the key (plain SHA-256): someone with write access to the database "+
			"could rewrite them consistently.", r.Chain.KeyedFrom-1))
	}
	covered := r.Covered
	if r.Latest != nil {
		covered = max(covered, r.Latest.HeadID)
	}
	if covered == 0 {
		out = append(out, "No signed document (attestation or board report) anchors the chain: newest events could be removed without detection.")
	} else if after := r.LastID - covered; after > 0 {
		out = append(out, fmt.Sprintf("The last %d event(s), after the latest signed document (events %d to %d), could be removed from the end without detection.",
			after, r.LastID-after+1, r.LastID))
	}
	if r.Latest != nil {
		out = append(out, "Anchors are kept in the same database: someone able to delete attestations and board reports as well as events could "+
			"move the latest anchor back; compare with the attestations you know were issued.")
	}
	return out
}

// Kind names the kind of signed document that holds the anchor, for messages.
func (a *AuditAnchor) Kind() string {
	if ValidBoardDocumentID(a.DocumentID) {
		return "Board report"
	}
	return "Attestation"
}

// AnchorTime formats when an anchor was recorded, for messages.
func (a *AuditAnchor) AnchorTime() string { return a.IssuedAt.UTC().Format(time.DateOnly) }
