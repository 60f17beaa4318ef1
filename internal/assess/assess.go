// Package assess opens assessments for vendors — a draft pre-filled with the vendor's current
// measurements, and the invitation that sends it — for the web handlers and for monitoring,
// which can open a re-assessment when a critical alert concerns a vendor with an approved
// assessment (Reassess).
package assess

import (
	"context"
	"fmt"
	"strings"
	"time"

	"routewarden/internal/control"
	"routewarden/internal/mail"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
	"routewarden/internal/secret"
)

// Library is the control library new assessments are generated from (its newest version).
const Library = "routewarden-manrs"

// InvitationTTL is how long an invitation link works after the due date; links live at least
// MinInvitationTTL.
const (
	InvitationTTL    = 14 * 24 * time.Hour
	MinInvitationTTL = 7 * 24 * time.Hour
)

// Service opens assessments and invites vendors to them.
type Service struct {
	Library     *control.Set
	Vendors     rw.VendorStore
	Assessments rw.AssessmentStore
	Invitations rw.InvitationStore
	Snapshots   rw.SnapshotStore // nil: drafts start without measurements
	// MailEnabled says whether SMTP is configured; BaseURL, when set, is the origin of
	// invitation links (never a request's Host header).
	MailEnabled bool
	BaseURL     string
	Now         func() time.Time
}

func (s *Service) configured() error {
	if s == nil || s.Assessments == nil || s.Invitations == nil || s.Library == nil || s.Vendors == nil {
		return rw.Errorf(rw.EINTERNAL, "assessments are not configured (assessment, invitation and vendor stores, control library)")
	}
	return nil
}

// Draft generates a draft for a vendor: the scope from its services' provider types, the newest
// library version, the vendor's current measurements, and the answers they settle; then its
// scores. An empty title or contact is filled from the year and the vendor's first contact.
func (s *Service) Draft(ctx context.Context, vendorID int64, title, contact string, due time.Time, actor string) (*rw.Assessment, error) {
	if err := s.configured(); err != nil {
		return nil, err
	}
	now := s.Now()
	lib, ok := s.Library.Library(Library, "")
	if !ok {
		return nil, rw.Errorf(rw.EINTERNAL, "control library %s not shipped", Library)
	}
	a := &rw.Assessment{VendorID: vendorID, Title: title, ContactEmail: contact, DueDate: due, Library: lib.Name,
		LibraryVersion: lib.Version, LibraryDigest: lib.Digest()}
	var v *rw.Vendor
	if vendorID > 0 {
		var err error
		if v, err = s.Vendors.FindVendorByID(ctx, vendorID); err != nil {
			if rw.ErrorCode(err) == rw.ENOTFOUND {
				return nil, rw.FieldError("vendor_id", "There is no vendor with ID %d.", vendorID)
			}
			return nil, err
		}
		a.Scope = v.ProviderTypes()
		if a.ContactEmail == "" && len(v.Contacts) > 0 {
			a.ContactEmail = v.Contacts[0].Email
		}
		if a.Title == "" {
			a.Title = fmt.Sprintf("Routing security %d", now.Year())
		}
	}
	if err := a.Validate(now); err != nil {
		return nil, err
	}
	ms, err := s.Measurements(ctx, v)
	if err != nil {
		return nil, err
	}
	if err := s.Assessments.CreateAssessment(ctx, a, score.Prefill(lib, a.ScopeStrings(), ms), ms, actor); err != nil {
		return nil, err
	}
	_, _, err = score.Refresh(ctx, s.Assessments, s.Vendors, lib, a, now)
	return a, err
}

// Measurements are the vendor's current check results as assessment measurements.
func (s *Service) Measurements(ctx context.Context, v *rw.Vendor) ([]rw.Measurement, error) {
	if s.Snapshots == nil || v == nil {
		return nil, nil
	}
	var ms []rw.Measurement
	for _, n := range v.Networks {
		rs, err := s.Snapshots.FindCheckResults(ctx, n.ASN)
		if err != nil {
			return nil, err
		}
		ms = append(ms, score.Measurements(rs)...)
	}
	return ms, nil
}

// Invite creates an invitation link for email (revoking the previous one for the same person
// and section), queues the e-mail when SMTP is configured and returns the link.
func (s *Service) Invite(ctx context.Context, a *rw.Assessment, email, section, purpose, actor string) (string, error) {
	if err := s.configured(); err != nil {
		return "", err
	}
	base, err := s.Base() // before anything changes: no link is revoked for nothing
	if err != nil {
		return "", err
	}
	raw := secret.NewToken("rwi_")
	exp := a.DueDate.Add(InvitationTTL)
	if min := s.Now().Add(MinInvitationTTL); exp.Before(min) {
		exp = min
	}
	inv := &rw.Invitation{AssessmentID: a.ID, Email: email, Section: section, TokenHash: secret.HashToken(raw), Purpose: purpose,
		CreatedBy: actor, ExpiresAt: exp}
	if err := s.Invitations.CreateInvitation(ctx, inv, true); err != nil {
		return "", err
	}
	link := base + "/portal/open?token=" + raw
	if s.MailEnabled {
		m := &rw.Mail{To: inv.Email, Subject: mail.InvitationSubject(a, purpose), Body: mail.InvitationBody(a, link, exp, section)}
		if err := s.Invitations.EnqueueMail(ctx, m); err != nil {
			return link, err
		}
	}
	return link, nil
}

// Base is the origin of invitation links: the configured public URL. Without one, e-mail is
// refused and links shown by hand are relative to this server.
func (s *Service) Base() (string, error) {
	if s.BaseURL != "" {
		return strings.TrimRight(s.BaseURL, "/"), nil
	}
	if s.MailEnabled {
		return "", rw.Errorf(rw.ECONFLICT, "Invitations cannot be e-mailed: ROUTEWARDEN_PUBLIC_URL is not set, so there is no address for the link. Ask the administrator to set it.")
	}
	return "", nil
}

// Send invites the assessment's contact and moves the assessment to sent. It returns the link.
func (s *Service) Send(ctx context.Context, a *rw.Assessment, actor string) (string, error) {
	if a.ContactEmail == "" {
		return "", rw.FieldError("contact_email", "The assessment has no vendor contact to invite; add a contact to the vendor first.")
	}
	if err := a.State.CheckTransition(rw.StateSent); err != nil {
		return "", err
	}
	link, err := s.Invite(ctx, a, a.ContactEmail, "", "invitation", actor)
	if err != nil {
		return "", err
	}
	next, err := s.Assessments.Transition(ctx, a.ID, rw.StateSent, rw.AuditEvent{Actor: actor, Detail: "Invitation to " + a.ContactEmail})
	if err != nil {
		return link, err
	}
	if lib, ok := s.Library.Library(next.Library, next.LibraryVersion); ok {
		_, _, err = score.Refresh(ctx, s.Assessments, s.Vendors, lib, next, s.Now())
	}
	*a = *next
	return link, err
}
