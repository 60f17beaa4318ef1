package monitor

import (
	"context"
	"fmt"
	"strings"

	rw "routewarden/internal/routewarden"
)

// AlertFinder reads alerts.
type AlertFinder interface {
	FindAlerts(ctx context.Context, f rw.AlertFilter) ([]rw.Alert, error)
}

// SinceAttestation returns the critical alerts about the attested vendor that opened after the
// attestation was issued and still hold: the measured posture the attestation describes has
// changed since. The signature is unaffected; readers are told.
func SinceAttestation(ctx context.Context, st AlertFinder, a *rw.Attestation) ([]rw.Alert, error) {
	if a == nil || a.VendorID == 0 || a.Revoked() {
		return nil, nil
	}
	return st.FindAlerts(ctx, rw.AlertFilter{VendorID: a.VendorID, State: "active", Severity: string(rw.SeverityCritical), Since: a.IssuedAt})
}

// PostureWarning is the sentence a verdict adds when critical alerts opened since issue.
func PostureWarning(alerts []rw.Alert) string {
	if len(alerts) == 0 {
		return ""
	}
	parts := make([]string, 0, len(alerts))
	for _, a := range alerts {
		parts = append(parts, fmt.Sprintf("%s (alert %d, %s)", a.Summary, a.ID, a.OpenedAt.Format("2006-01-02")))
	}
	return "The measured posture has changed since issue: " + strings.Join(parts, "; ")
}

// AnnotateVerdict adds the posture warning to a verdict about a registered attestation.
func AnnotateVerdict(ctx context.Context, st AlertFinder, v *rw.Verdict) error {
	if v == nil || v.Attestation == nil || st == nil {
		return nil
	}
	as, err := SinceAttestation(ctx, st, v.Attestation)
	if err != nil {
		return err
	}
	if w := PostureWarning(as); w != "" {
		v.Warnings = append(v.Warnings, w)
	}
	return nil
}
