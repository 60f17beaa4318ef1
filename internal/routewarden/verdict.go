package routewarden

import (
	"strconv"
	"strings"
	"time"
)

// Kinds of document a Routewarden verifier recognises.
const (
	KindAttestation = "attestation"
	KindBoardReport = "board report"
)

// Fact is one line of the plain summary of a checked document, e.g. {"Rating", "Low"}.
type Fact struct {
	Label, Value string
}

func (v *Verdict) kindName() string {
	if v.Kind == "" {
		return KindAttestation
	}
	return v.Kind
}

// longDate writes a day the way a reader says it: "2 March 2026".
func longDate(t time.Time) string { return t.UTC().Format("2 January 2006") }

// issuedAt is when the registry says the document was issued, else when it was signed.
func (v *Verdict) issuedAt() time.Time {
	switch {
	case v.Attestation != nil:
		return v.Attestation.IssuedAt
	case v.BoardReport != nil:
		return v.BoardReport.IssuedAt
	}
	return v.SigningTime
}

// What names the document in plain words, e.g. "Attestation of the routing security of
// Northwind Transit AG"; "" when the file did not say what it is.
func (v *Verdict) What() string {
	switch {
	case v.Kind == KindBoardReport:
		return "Board / supervisor report on the routing security of the supplier portfolio"
	case v.Attestation != nil:
		return "Attestation of the routing security of " + v.Attestation.VendorName
	case v.Kind == KindAttestation:
		return "Attestation of a supplier's routing security"
	}
	return ""
}

// Headline is the verdict as one plain sentence, e.g. "Valid: board report RW-BOARD-2026-…
// issued on 10 March 2026." or "Not valid: the file was changed after it was signed."
func (v *Verdict) Headline() string {
	if v.Valid {
		s := "Valid: " + v.kindName() + " " + v.DocumentID
		if v.Attestation != nil {
			s += " for " + v.Attestation.VendorName
		}
		if t := v.issuedAt(); !t.IsZero() {
			s += ", issued on " + longDate(t)
		}
		return s + "."
	}
	plain := v.PlainReasons()
	if len(plain) == 0 {
		return "Not valid."
	}
	first := plain[0]
	return "Not valid: " + strings.ToLower(first[:1]) + first[1:]
}

// PlainReasons are the plain sentences saying why the document is not valid (the technical
// reasons when no plain sentence was given).
func (v *Verdict) PlainReasons() []string {
	if len(v.Plain) > 0 {
		return v.Plain
	}
	return v.Reasons
}

// Facts summarise the document for a reader: what it is, its rating and validity (for an
// attestation), when it was issued and who signed it. Who issued or revoked it is left out:
// the public verification page shows the facts to anyone.
func (v *Verdict) Facts() []Fact {
	var out []Fact
	if w := v.What(); w != "" {
		out = append(out, Fact{"Document", w})
	}
	if v.DocumentID != "" {
		out = append(out, Fact{"Document ID", v.DocumentID})
	}
	if v.Kind == KindAttestation && v.Rating != "" {
		out = append(out, Fact{"Residual rating", v.Rating})
	}
	if s := v.validity(); s != "" {
		out = append(out, Fact{"Validity", s})
	}
	if t := v.issuedAt(); !t.IsZero() && (v.Attestation != nil || v.BoardReport != nil) {
		out = append(out, Fact{"Issued on", longDate(t)})
	}
	if v.SignerName != "" {
		s := v.SignerName
		if !v.SigningTime.IsZero() {
			s += ", signed " + v.SigningTime.UTC().Format("2006-01-02 15:04 UTC")
		}
		out = append(out, Fact{"Signed by", s})
	}
	return out
}

// validity says whether the document is in force, from the registry's view.
func (v *Verdict) validity() string {
	var period string
	if !v.PeriodStart.IsZero() && !v.PeriodEnd.IsZero() {
		period = "; it covers the assessment period " + longDate(v.PeriodStart) + " – " + longDate(v.PeriodEnd)
	}
	switch {
	case v.Attestation != nil && v.Attestation.Revoked():
		return "Revoked on " + longDate(*v.Attestation.RevokedAt) + period
	case v.Attestation != nil && v.Attestation.Superseded():
		return "Replaced by a later attestation (" + v.Attestation.SupersededNote() + ")" + period
	case v.Expired:
		return "Expired on " + longDate(v.ValidUntil) + period
	case v.Attestation != nil && v.Valid && !v.ValidUntil.IsZero():
		return "In force until " + longDate(v.ValidUntil) + ": the current attestation of assessment #" +
			strconv.FormatInt(v.Attestation.AssessmentID, 10) + ", neither revoked nor replaced" + period
	case v.Attestation != nil && v.Valid:
		return "In force: the current attestation of assessment #" + strconv.FormatInt(v.Attestation.AssessmentID, 10) +
			", neither revoked nor replaced" + period
	case v.BoardReport != nil && v.BoardReport.Revoked():
		return "Revoked on " + longDate(*v.BoardReport.RevokedAt)
	case v.BoardReport != nil && v.Valid:
		return "Registered and not revoked; it states the portfolio as on " + longDate(v.BoardReport.IssuedAt)
	}
	return ""
}
