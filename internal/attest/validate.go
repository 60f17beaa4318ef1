package attest

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Validate reports every problem that would make the document misleading:
// missing identity fields, unknown statuses or bases, malformed digests and
// references to controls the document does not contain. The error names the
// offending field, for example "controls[3].evidence[0].sha256".
func (d *Document) Validate() error {
	v := &validator{}
	v.required("id", d.ID)
	if strings.ContainsAny(d.ID, "\r\n") {
		v.add("id", "must be a single line")
	}
	if d.IssuedAt.IsZero() {
		v.add("issued_at", "is required")
	}
	v.required("signer_name", d.SignerName)
	v.required("vendor.legal_name", d.Vendor.LegalName)
	if d.SignerFingerprint != "" {
		v.sha256("signer_fingerprint", d.SignerFingerprint)
	}
	if !d.PeriodStart.IsZero() && !d.PeriodEnd.IsZero() && d.PeriodEnd.Before(d.PeriodStart) {
		v.add("period_end", "is before period_start")
	}
	if !d.ValidFrom.IsZero() && !d.ValidUntil.IsZero() && d.ValidUntil.Before(d.ValidFrom) {
		v.add("valid_until", "is before valid_from")
	}
	v.required("library.version", d.Library.Version)
	v.required("library.digest", d.Library.Digest)
	for i, s := range d.Snapshots {
		v.required(fmt.Sprintf("snapshots[%d].kind", i), s.Kind)
		v.required(fmt.Sprintf("snapshots[%d].digest", i), s.Digest)
	}
	if len(d.Controls) == 0 {
		v.add("controls", "at least one control result is required")
	}
	ids := d.validateControls(v)
	for i, w := range d.Waivers {
		v.known(fmt.Sprintf("waivers[%d].control_id", i), w.ControlID, ids)
		v.required(fmt.Sprintf("waivers[%d].justification", i), w.Justification)
	}
	for i, x := range d.Discrepancies {
		v.known(fmt.Sprintf("discrepancies[%d].control_id", i), x.ControlID, ids)
	}
	for i, o := range d.Obligations {
		f := fmt.Sprintf("obligations[%d]", i)
		v.required(f+".id", o.ID)
		v.status(f+".status", o.Status)
		for j, c := range o.ControlIDs {
			v.known(fmt.Sprintf("%s.control_ids[%d]", f, j), c, ids)
		}
	}
	return v.err()
}

func (d *Document) validateControls(v *validator) map[string]bool {
	ids := make(map[string]bool, len(d.Controls))
	for i, c := range d.Controls {
		f := fmt.Sprintf("controls[%d]", i)
		v.required(f+".id", c.ID)
		if ids[c.ID] {
			v.add(f+".id", fmt.Sprintf("duplicate control %q", c.ID))
		}
		ids[c.ID] = true
		v.status(f+".status", c.Status)
		switch c.Basis {
		case BasisMeasured, BasisEvidenced, BasisDeclared:
		default:
			v.add(f+".basis", fmt.Sprintf("unknown basis %q", c.Basis))
		}
		for j, e := range c.Evidence {
			v.required(fmt.Sprintf("%s.evidence[%d].name", f, j), e.Name)
			v.sha256(fmt.Sprintf("%s.evidence[%d].sha256", f, j), e.SHA256)
		}
	}
	return ids
}

// validator collects field errors so that one call reports all of them.
type validator struct{ errs []error }

func (v *validator) add(field, reason string) {
	v.errs = append(v.errs, fmt.Errorf("%s: %s", field, reason))
}

func (v *validator) required(field, value string) {
	if strings.TrimSpace(value) == "" {
		v.add(field, "is required")
	}
}

func (v *validator) sha256(field, value string) {
	b, err := hex.DecodeString(value)
	if err != nil || len(b) != 32 {
		v.add(field, fmt.Sprintf("%q is not a SHA-256 digest (64 hex digits)", value))
	}
}

func (v *validator) status(field, value string) {
	switch value {
	case StatusMet, StatusPartiallyMet, StatusNotMet, StatusNotApplicable, StatusUnknown:
	default:
		v.add(field, fmt.Sprintf("unknown status %q", value))
	}
}

func (v *validator) known(field, id string, ids map[string]bool) {
	if !ids[id] {
		v.add(field, fmt.Sprintf("control %q is not in the document", id))
	}
}

func (v *validator) err() error {
	if len(v.errs) == 0 {
		return nil
	}
	return fmt.Errorf("attest: invalid document: %w", errors.Join(v.errs...))
}
