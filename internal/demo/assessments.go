package demo

import (
	"context"
	"fmt"
	"time"

	"routewarden/controls"
	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
	"routewarden/internal/secret"
)

// AssessmentStores are the stores the demo assessments are written to.
type AssessmentStores interface {
	rw.AssessmentStore
	rw.InvitationStore
}

// demoPlan says which state each demo vendor's assessment reaches, by legal name.
// Upstreams is the vendor's answer naming its upstream providers (RS-RES-01.Q2), where the demo
// gives one: as observed in the demo paths, except Société Générale's, which names a backup
// transit (AS64496) that no path shows, so the concentration report has a real declared-vs-
// observed difference to show.
var demoPlan = []struct {
	Vendor    string
	State     rw.AssessmentState
	Due       int // days from now
	Upstreams string
}{
	{"Meridian Edge CDN B.V.", rw.StateApproved, -20, "Transit from AS64510 and AS64511, both in Amsterdam."},
	{"Société Générale des Réseaux SA", rw.StateInReview, -5, "AS64510 (primary) and AS64496 (backup transit, contracted in 2025)."},
	{"Northwind Transit AG", rw.StateSubmitted, 3, ""},
	{"Aegis Scrubbing Services Ltd", rw.StateChangesRequested, 7, "AS64496 and AS64511."},
	{"Mainport Internet Exchange e.V.", rw.StateInProgress, 10, ""},
	{"Bluefjord Cloud Oy", rw.StateSent, 21, ""},
	{"Zürich Fibre Networks GmbH", rw.StateDraft, 30, ""},
	{"Atlantic Subsea Carrier Inc.", rw.StateRejected, -40, "AS64511 only (a second upstream is planned for 2027)."},
	{"Łódź Data Centre sp. z o.o.", rw.StateCancelled, 14, ""},
}

// Library loads the newest embedded routewarden-manrs control library.
func Library() (*control.Library, error) {
	set, err := controls.Shipped()
	if err != nil {
		return nil, err
	}
	lib, ok := set.Library("routewarden-manrs", "")
	if !ok {
		return nil, fmt.Errorf("control library routewarden-manrs not shipped")
	}
	return lib, nil
}

// SeedAssessments creates one assessment per demo vendor in the plan, taking each through the
// lifecycle to its state with answers, evidence, reviews, resolved discrepancies and a
// decision. Measurements come from the check results in snaps (the seeded routing world), or
// from a small synthetic set when snaps is nil.
func SeedAssessments(ctx context.Context, st AssessmentStores, vendors rw.VendorStore, snaps rw.SnapshotStore, now time.Time) (int, error) {
	lib, err := Library()
	if err != nil {
		return 0, err
	}
	list, _, err := vendors.FindVendors(ctx, rw.VendorFilter{Limit: 100})
	if err != nil {
		return 0, err
	}
	byName := map[string]int64{}
	for _, v := range list {
		byName[v.LegalName] = v.ID
	}
	n := 0
	for _, p := range demoPlan {
		id, ok := byName[p.Vendor]
		if !ok {
			continue
		}
		v, err := vendors.FindVendorByID(ctx, id)
		if err != nil {
			return n, err
		}
		ms := measurements(v, now)
		if snaps != nil {
			ms = nil
			for _, nw := range v.Networks {
				rs, err := snaps.FindCheckResults(ctx, nw.ASN)
				if err != nil {
					return n, err
				}
				ms = append(ms, score.Measurements(rs)...)
			}
		}
		if err := seedOne(ctx, st, vendors, lib, v, ms, p.State, now.Truncate(24*time.Hour).AddDate(0, 0, p.Due), p.Upstreams, now); err != nil {
			return n, fmt.Errorf("demo assessment for %s: %w", v.LegalName, err)
		}
		n++
	}
	return n, nil
}

const analyst, officer = "procurement@demo.example", "risk@demo.example"

func seedOne(ctx context.Context, st AssessmentStores, vendors rw.VendorStore, lib *control.Library, v *rw.Vendor, ms []rw.Measurement, target rw.AssessmentState, due time.Time, upstreams string, now time.Time) error {
	contact := "security@" + v.Website[len("https://"):]
	if len(v.Contacts) > 0 {
		contact = v.Contacts[0].Email
	}
	a := &rw.Assessment{VendorID: v.ID, Title: "Routing security 2026 (demo)", Library: lib.Name, LibraryVersion: lib.Version,
		LibraryDigest: lib.Digest(), Scope: v.ProviderTypes(), DueDate: due, ContactEmail: contact}
	if err := st.CreateAssessment(ctx, a, score.Prefill(lib, a.ScopeStrings(), ms), ms, analyst); err != nil {
		return err
	}
	vendor := "vendor:" + contact
	steps := []struct {
		to    rw.AssessmentState
		actor string
		do    func() error
	}{
		{rw.StateSent, analyst, func() error { return invite(ctx, st, a, now) }},
		{rw.StateInProgress, vendor, func() error { return answerAll(ctx, st, lib, a, vendor, target, upstreams) }},
		{rw.StateSubmitted, vendor, nil},
		{rw.StateInReview, analyst, func() error { return review(ctx, st, vendors, lib, a, target, now) }},
	}
	for _, s := range steps {
		if a.State == target {
			break
		}
		if target == rw.StateCancelled && s.to == rw.StateSubmitted {
			break
		}
		if s.do != nil {
			if err := s.do(); err != nil {
				return err
			}
		}
		next, err := st.Transition(ctx, a.ID, s.to, rw.AuditEvent{Actor: s.actor})
		if err != nil {
			return err
		}
		a = next
	}
	if err := finish(ctx, st, a, target); err != nil {
		return err
	}
	// An owner on the open rounds, so that "my work" has something to show: the analyst
	// drives them; the review is the risk officer's.
	if owner := map[rw.AssessmentState]string{rw.StateDraft: analyst, rw.StateSent: analyst, rw.StateInProgress: analyst,
		rw.StateSubmitted: analyst, rw.StateChangesRequested: analyst, rw.StateInReview: officer}[target]; owner != "" {
		ev := rw.AuditEvent{Actor: analyst, Action: "assessment.assigned", Detail: "Owner: " + owner + " (demo)."}
		if _, err := st.UpdateAssessment(ctx, a.ID, rw.AssessmentUpdate{Assignee: &owner}, &ev); err != nil {
			return err
		}
	}
	a, err := st.FindAssessmentByID(ctx, a.ID)
	if err != nil {
		return err
	}
	_, _, err = score.Refresh(ctx, st, vendors, lib, a, now)
	return err
}

func finish(ctx context.Context, st AssessmentStores, a *rw.Assessment, target rw.AssessmentState) error {
	var note string
	switch target {
	case rw.StateChangesRequested:
		note = "Please attach the contract extract."
	case rw.StateApproved:
		note = "Residual risk accepted; discrepancy on invalid originations resolved."
	case rw.StateRejected:
		note = "No origin validation and no upstream filtering; supplier to be replaced."
	case rw.StateCancelled:
		note = "Service terminated before the assessment was completed."
	default:
		return nil
	}
	actor := analyst
	if target == rw.StateApproved || target == rw.StateRejected {
		actor = officer
	}
	_, err := st.Transition(ctx, a.ID, target, rw.AuditEvent{Actor: actor, Detail: note})
	return err
}

func invite(ctx context.Context, st AssessmentStores, a *rw.Assessment, now time.Time) error {
	inv := &rw.Invitation{AssessmentID: a.ID, Email: a.ContactEmail, TokenHash: secret.HashToken(secret.NewToken("rwi_")),
		Purpose: "invitation", CreatedBy: analyst, ExpiresAt: a.DueDate.AddDate(0, 0, 14)}
	if inv.ExpiresAt.Before(now) {
		inv.ExpiresAt = now.AddDate(0, 0, 1)
	}
	return st.CreateInvitation(ctx, inv, true)
}
