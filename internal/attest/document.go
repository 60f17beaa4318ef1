// Package attest renders, signs and verifies Routewarden's PDF attestations.
//
// An attestation is an A4 PDF that records what was assessed about one
// supplier (networks, services, scope, control library, routing-data
// snapshots), with which result (risk rating, MANRS readiness, per-control
// results with their basis and evidence hashes, discrepancies, waivers, an
// obligations annex) and how to verify it. A JSON manifest with the
// machine-readable facts is attached inside the PDF, and the whole file is
// signed with a PKCS#7 detached signature over a byte range (PAdES-style).
//
// Render, Sign and Verify take a plain Document and bytes and know nothing of
// the database or the web layer. Issuer (assemble an approved assessment,
// render, sign, register) and Checker (signature, trust, registry,
// revocation) work through the domain's store interfaces only.
package attest

import "time"

// Control result statuses, as in the product's scoring model.
const (
	StatusMet           = "met"
	StatusPartiallyMet  = "partially_met"
	StatusNotMet        = "not_met"
	StatusNotApplicable = "not_applicable"
	StatusUnknown       = "unknown"
)

// Bases of a control result: how it was established.
const (
	BasisMeasured  = "measured"
	BasisEvidenced = "evidenced"
	BasisDeclared  = "declared"
)

// Document is everything an attestation states. The caller fills it from an
// approved assessment; Render lays it out and BuildManifest derives the
// machine-readable manifest from it.
type Document struct {
	ID                string    `json:"id"`
	IssuedAt          time.Time `json:"issued_at"`
	SignerName        string    `json:"signer_name"`
	SignerFingerprint string    `json:"signer_fingerprint,omitempty"` // SHA-256 of the signer certificate, hex
	Demo              bool      `json:"demo"`
	Vendor            Vendor    `json:"vendor"`
	Networks          []Network `json:"networks"`
	Services          []Service `json:"services"`
	Scope             string    `json:"scope"`
	// ScopeNote says where vendor, networks and services come from (the approval's frozen
	// scope); ChangedSinceApproval lists vendor edits made after approval, which the
	// document does not cover.
	ScopeNote            string   `json:"scope_note,omitempty"`
	ChangedSinceApproval []string `json:"changed_since_approval,omitempty"`
	// PeriodStart and PeriodEnd are the assessment's window: from the oldest routing data and
	// evidence the results rest on to the decision; PeriodNote says what they rest on.
	PeriodStart time.Time `json:"period_start"`
	PeriodEnd   time.Time `json:"period_end"`
	PeriodNote  string    `json:"period_note,omitempty"`
	// Decision is the approval the document attests.
	Decision Decision `json:"decision"`
	// ValidFrom and ValidUntil bound the document's validity; ValidityNote says why it ends
	// then (ValidityMonths after the decision, or earlier when a waiver expires).
	ValidFrom     time.Time       `json:"valid_from"`
	ValidUntil    time.Time       `json:"valid_until"`
	ValidityNote  string          `json:"validity_note,omitempty"`
	Library       Library         `json:"library"`
	Snapshots     []Snapshot      `json:"snapshots"`
	Rating        Rating          `json:"rating"`
	Readiness     []Readiness     `json:"readiness"`
	KeyFindings   []string        `json:"key_findings"`
	Discrepancies []Discrepancy   `json:"discrepancies"`
	Controls      []ControlResult `json:"controls"`
	Waivers       []Waiver        `json:"waivers"`
	Obligations   []Obligation    `json:"obligations"`
	VerifyURL     string          `json:"verify_url"`
}

// Vendor identifies the assessed supplier.
type Vendor struct {
	LegalName string `json:"legal_name"`
	LEI       string `json:"lei,omitempty"`
	Country   string `json:"country"`
}

// Network is one ASN of the vendor with its expected prefixes and IRR as-set.
type Network struct {
	ASN      uint32   `json:"asn"`
	Prefixes []string `json:"prefixes,omitempty"`
	ASSet    string   `json:"as_set,omitempty"`
}

// Service is a service bought from the vendor, typed by the DORA register
// taxonomy (for example S10 telecom carrier).
type Service struct {
	TypeCode    string   `json:"type_code"`
	Name        string   `json:"name"`
	Critical    bool     `json:"critical"`
	Regulations []string `json:"regulations,omitempty"`
}

// Library pins the control-library version the assessment was answered against.
type Library struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Digest  string `json:"digest"`
}

// Snapshot is one routing-data import the results rest on.
type Snapshot struct {
	Kind     string    `json:"kind"`
	Source   string    `json:"source"`
	DataTime time.Time `json:"data_time"`
	Digest   string    `json:"digest"`
}

// Decision is who approved the assessment and when. By is empty for an assessment approved
// before the approver was recorded with the approved scope.
type Decision struct {
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// Rating is the overall risk rating and how it was reached.
type Rating struct {
	Residual string `json:"residual"`
	Inherent string `json:"inherent"`
	// Compliance is the weighted share of controls met (0–1) the residual rating is banded
	// from; nil when it was not recorded.
	Compliance *float64 `json:"compliance,omitempty"`
	Steps      []string `json:"steps,omitempty"` // triggers and formula, in order
}

// Readiness is the readiness for one MANRS action.
type Readiness struct {
	Action  string  `json:"action"`
	Percent float64 `json:"percent"`
	Level   string  `json:"level"` // Ready, Aspiring or Lagging
}

// Discrepancy is an answer contradicted by measurement, with its resolution.
type Discrepancy struct {
	ControlID  string `json:"control_id"`
	Declared   string `json:"declared"`
	Measured   string `json:"measured"`
	Resolution string `json:"resolution"`
}

// ControlResult is the result of one control.
type ControlResult struct {
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	Status   string     `json:"status"`
	Basis    string     `json:"basis"`
	Note     string     `json:"note,omitempty"` // how the result was reached
	Evidence []Evidence `json:"evidence,omitempty"`
}

// Evidence is one evidence file a control result rests on.
type Evidence struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

// Waiver is an accepted risk on one control.
type Waiver struct {
	ControlID     string    `json:"control_id"`
	Justification string    `json:"justification"`
	Expires       time.Time `json:"expires"`
}

// Obligation is one row of the obligations annex: a DORA, NIS2 or CER
// obligation, the controls that support it and the resulting status.
type Obligation struct {
	ID         string   `json:"id"`
	Regulation string   `json:"regulation"`
	Title      string   `json:"title"`
	ControlIDs []string `json:"control_ids"`
	Status     string   `json:"status"`
	// NotDeclared is set when no service in scope declares the obligation's framework
	// (DORA, NIS2 or CER): the obligation is shown for completeness.
	NotDeclared bool `json:"not_declared,omitempty"`
}
