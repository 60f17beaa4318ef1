package assess

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	rw "routewarden/internal/routewarden"
)

// Mode says what monitoring does when a critical alert opens for a vendor whose latest decided
// assessment is approved (ROUTEWARDEN_REASSESS_ON_CRITICAL).
type Mode string

const (
	ModeOff   Mode = "off"   // nothing: the alert and "changed since attestation" only
	ModeDraft Mode = "draft" // open a draft re-assessment pre-filled with the new measurements
	ModeSend  Mode = "send"  // open it and e-mail the invitation to the vendor's contact
)

// ParseMode reads a mode; "" is off.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(strings.ToLower(strings.TrimSpace(s))); m {
	case "":
		return ModeOff, nil
	case ModeOff, ModeDraft, ModeSend:
		return m, nil
	}
	return "", fmt.Errorf("ROUTEWARDEN_REASSESS_ON_CRITICAL %q: want off, draft or send", s)
}

// ReassessDue is how long the vendor gets to answer a re-assessment.
const ReassessDue = 30 * 24 * time.Hour

// Outcome is what Reassess did for one vendor.
type Outcome struct {
	VendorID     int64
	Vendor       string
	AssessmentID int64  // the re-assessment opened, 0 when none
	Sent         bool   // its invitation was queued
	Note         string // what happened, or why nothing did
}

// Reassess opens a re-assessment for each vendor with a newly opened critical alert among
// events whose latest decided assessment is approved — unless one is already open (not final)
// or mode is off. The draft carries the vendor's current measurements (the ones that raised the
// alert) and a comment naming the alerts; in send mode its invitation is e-mailed to the
// vendor's contact when e-mail is configured, otherwise it stays a draft and the comment says
// why. One vendor's failure does not stop the others; the errors are joined.
func (s *Service) Reassess(ctx context.Context, mode Mode, events []rw.AlertEvent) ([]Outcome, error) {
	if mode == ModeOff || mode == "" {
		return nil, nil
	}
	byVendor := map[int64][]rw.Alert{}
	for _, e := range events {
		if e.Type == "alert.opened" && e.Alert.Severity == rw.SeverityCritical && e.Alert.VendorID != 0 {
			byVendor[e.Alert.VendorID] = append(byVendor[e.Alert.VendorID], e.Alert)
		}
	}
	if len(byVendor) == 0 {
		return nil, nil
	}
	if err := s.configured(); err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(byVendor))
	for id := range byVendor {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var out []Outcome
	var errs []error
	for _, id := range ids {
		o, err := s.reassess(ctx, mode, id, byVendor[id])
		if err != nil {
			errs = append(errs, fmt.Errorf("re-assessment of vendor %d: %w", id, err))
			o.Note = "not opened: " + err.Error()
		}
		out = append(out, o)
	}
	return out, errors.Join(errs...)
}

const actor = "monitor"

func (s *Service) reassess(ctx context.Context, mode Mode, vendorID int64, alerts []rw.Alert) (Outcome, error) {
	o := Outcome{VendorID: vendorID, Vendor: alerts[0].VendorName}
	list, _, err := s.Assessments.FindAssessments(ctx, rw.AssessmentFilter{VendorID: vendorID, Limit: 1000})
	if err != nil {
		return o, err
	}
	var decided *rw.Assessment
	for _, a := range list {
		if !a.State.Final() {
			o.Note = fmt.Sprintf("assessment #%d is already open (%s)", a.ID, a.State.Label())
			return o, nil
		}
		if a.DecidedAt != nil && (decided == nil || a.DecidedAt.After(*decided.DecidedAt)) && a.State != rw.StateCancelled {
			decided = a
		}
	}
	if decided == nil || decided.State != rw.StateApproved {
		o.Note = "no approved assessment to re-open"
		return o, nil
	}
	now := s.Now()
	title := "Re-assessment after critical alert"
	if len(alerts) > 1 {
		title += "s"
	}
	title += fmt.Sprintf(" (%s)", now.UTC().Format("2006-01-02"))
	a, err := s.Draft(ctx, vendorID, title, "", now.Add(ReassessDue), actor)
	if err != nil {
		return o, err
	}
	o.AssessmentID = a.ID
	var b strings.Builder
	fmt.Fprintf(&b, "Opened by monitoring: approved assessment #%d no longer matches the measured posture.", decided.ID)
	for _, al := range alerts {
		fmt.Fprintf(&b, "\n- alert #%d [%s] %s", al.ID, al.Rule, al.Summary)
	}
	o.Note = fmt.Sprintf("draft #%d opened", a.ID)
	if mode == ModeSend {
		switch {
		case !s.MailEnabled:
			o.Note += "; not sent: e-mail is not configured"
		case a.ContactEmail == "":
			o.Note += "; not sent: the vendor has no contact"
		default:
			if _, err := s.Send(ctx, a, actor); err != nil {
				o.Note += "; not sent: " + err.Error()
			} else {
				o.Sent = true
				o.Note = fmt.Sprintf("re-assessment #%d sent to %s", a.ID, a.ContactEmail)
			}
		}
	}
	fmt.Fprintf(&b, "\n%s.", upperFirst(o.Note))
	body := b.String()
	if r := []rune(body); len(r) > 4000 { // a comment holds at most 5,000 characters
		body = string(r[:4000]) + "…"
	}
	if err := s.Assessments.AddComment(ctx, &rw.Comment{AssessmentID: a.ID, Author: actor, Body: body}); err != nil {
		return o, err
	}
	return o, nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
