package attest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
)

// Issuer attests approved assessments: it reads the assessment and everything it rests on,
// scores it, assembles the Document, renders and signs it, checks the result against its own
// trust, and registers it. It implements routewarden.AttestationService.
type Issuer struct {
	Assessments rw.AssessmentStore
	Vendors     rw.VendorStore
	Snapshots   rw.SnapshotStore // optional: without it the snapshot table stays empty
	Registry    rw.AttestationStore
	Controls    *control.Set
	Signer      Signer
	Fonts       Options
	VerifyURL   string // printed as where to verify, e.g. https://rw.example/verify
	Now         func() time.Time
}

// IssueAttestation attests the assessment for actor (an e-mail, or "cli"). Only an approved
// assessment can be attested (ECONFLICT otherwise). When it has a current attestation,
// supersede must name it (the user confirmed the re-issue): the new one then supersedes it.
func (is *Issuer) IssueAttestation(ctx context.Context, assessmentID int64, actor string, supersede int64) (*rw.Attestation, error) {
	// Refuse early what the registry would refuse after the costly render; the registry's
	// transaction stays the authority when two issues race.
	if err := is.checkCurrent(ctx, assessmentID, supersede); err != nil {
		return nil, err
	}
	now := time.Now()
	if is.Now != nil {
		now = is.Now()
	}
	now = now.UTC().Truncate(time.Second)
	doc, a, err := is.document(ctx, assessmentID, now)
	if err != nil {
		return nil, err
	}
	doc.ID = rw.NewDocumentID(now)
	doc.SignerName = signerName(is.Signer, actor)
	doc.SignerFingerprint = is.Signer.Fingerprint()
	doc.VerifyURL = is.VerifyURL
	unsigned, err := Render(doc, is.Fonts)
	if err != nil {
		return nil, fmt.Errorf("attest assessment %d: %w", assessmentID, err)
	}
	signed, err := Sign(unsigned, is.Signer)
	if err != nil {
		return nil, fmt.Errorf("attest assessment %d: %w", assessmentID, err)
	}
	// What we hand out must pass our own verification; a failure here is a bug or a broken key.
	if res, err := Verify(signed, is.Signer.TrustPool()); err != nil || !res.Valid {
		return nil, fmt.Errorf("attest assessment %d: the signed document does not verify: %s", assessmentID, res.Verdict())
	}
	sum := sha256.Sum256(signed)
	att := &rw.Attestation{DocumentID: doc.ID, SHA256: hex.EncodeToString(sum[:]), SignerFingerprint: doc.SignerFingerprint,
		SignerName: doc.SignerName, AssessmentID: a.ID, VendorID: a.VendorID, VendorName: doc.Vendor.LegalName,
		IssuedAt: now, IssuedBy: actor, Demo: doc.Demo, DevCertificate: is.Signer.Dev, PDF: signed, Supersedes: supersede}
	if !doc.ValidUntil.IsZero() {
		until := doc.ValidUntil.UTC()
		att.ValidUntil = &until
	}
	if err := is.Registry.CreateAttestation(ctx, att); err != nil {
		return nil, err
	}
	return att, nil
}

func (is *Issuer) checkCurrent(ctx context.Context, assessmentID, supersede int64) error {
	cur, err := is.Registry.CurrentAttestation(ctx, assessmentID)
	switch {
	case rw.ErrorCode(err) == rw.ENOTFOUND:
		if supersede != 0 {
			return rw.Errorf(rw.ECONFLICT, "Attestation #%d is no longer the current attestation of assessment #%d; nothing was issued.",
				supersede, assessmentID)
		}
		return nil
	case err != nil:
		return err
	case cur.ID != supersede:
		return rw.Errorf(rw.ECONFLICT, "Assessment #%d already has a current attestation, %s (#%d, issued %s); "+
			"re-issuing supersedes it and must be confirmed. Nothing was issued.", assessmentID, cur.DocumentID, cur.ID,
			cur.IssuedAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	return nil
}

// Document assembles, without signing or registering, what an attestation of the assessment
// would state at now.
func (is *Issuer) Document(ctx context.Context, assessmentID int64, now time.Time) (*Document, error) {
	d, _, err := is.document(ctx, assessmentID, now)
	return d, err
}

func (is *Issuer) document(ctx context.Context, id int64, now time.Time) (*Document, *rw.Assessment, error) {
	a, err := is.Assessments.FindAssessmentByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if a.State != rw.StateApproved {
		return nil, nil, rw.Errorf(rw.ECONFLICT, "Only an approved assessment can be attested; assessment #%d is %s.",
			a.ID, strings.ToLower(a.State.Label()))
	}
	src, err := is.source(ctx, a, now)
	if err != nil {
		return nil, nil, fmt.Errorf("attest assessment %d: %w", id, err)
	}
	return Assemble(src), a, nil
}

// source reads everything the assessment rests on and scores it as the review does
// (score.Gather, score.Evaluate).
func (is *Issuer) source(ctx context.Context, a *rw.Assessment, now time.Time) (Source, error) {
	src := Source{Assessment: a, Catalogue: is.Controls.Catalogue, Now: now}
	var ok bool
	if src.Library, ok = is.Controls.Library(a.Library, a.LibraryVersion); !ok {
		return src, fmt.Errorf("control library %s %s is not embedded in this build", a.Library, a.LibraryVersion)
	}
	in, err := score.Gather(ctx, is.Assessments, is.Vendors, src.Library, a, now)
	if err != nil {
		return src, err
	}
	if src.Vendor, err = is.Vendors.FindVendorByID(ctx, a.VendorID); err != nil {
		return src, err
	}
	if src.Evidence, err = is.Assessments.FindEvidence(ctx, a.ID); err != nil {
		return src, err
	}
	switch src.Approved, err = is.Assessments.FindApprovedScope(ctx, a.ID); rw.ErrorCode(err) {
	case "", rw.ENOTFOUND:
	default:
		return src, err
	}
	src.Findings, src.Waivers = in.Findings, in.Waivers
	src.Report = score.Evaluate(in)
	src.Snapshots, err = is.snapshots(ctx, in.Measurements)
	return src, err
}

// snapshots returns the routing-data snapshots the assessment's measurements rest on, as
// recorded when they were captured. Measurements captured before snapshots were recorded fall
// back to the ASN's current check results.
func (is *Issuer) snapshots(ctx context.Context, ms []rw.Measurement) ([]*rw.Snapshot, error) {
	if is.Snapshots == nil {
		return nil, nil
	}
	var ids []int64
	var asns []uint32
	measured := map[string]bool{}
	for _, m := range ms {
		for _, id := range m.Snapshots {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		if len(m.Snapshots) == 0 {
			if !slices.Contains(asns, m.ASN) {
				asns = append(asns, m.ASN)
			}
			measured[fmt.Sprint(m.ASN, m.Check)] = true
		}
	}
	for _, asn := range asns {
		rs, err := is.Snapshots.FindCheckResults(ctx, asn)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			for _, id := range r.Snapshots {
				if measured[fmt.Sprint(r.ASN, r.Check)] && !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
		}
	}
	slices.Sort(ids)
	out := make([]*rw.Snapshot, 0, len(ids))
	for _, id := range ids {
		s, err := is.Snapshots.FindSnapshotByID(ctx, id)
		if rw.ErrorCode(err) == rw.ENOTFOUND {
			continue // pruned since the checks ran
		} else if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// signerName is what the document prints as its signer: the certificate's subject and the user
// who issued it.
func signerName(s Signer, actor string) string {
	name := "Routewarden"
	if s.Certificate != nil {
		subj := s.Certificate.Subject
		name = subj.CommonName
		if len(subj.Organization) > 0 && !strings.Contains(name, subj.Organization[0]) {
			name += ", " + subj.Organization[0]
		}
	}
	if actor != "" {
		name += " (issued by " + actor + ")"
	}
	return name
}
