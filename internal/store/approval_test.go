package store_test

import (
	"context"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
)

func approve(t *testing.T, db *store.DB, id int64) {
	t.Helper()
	for _, st := range []rw.AssessmentState{rw.StateSent, rw.StateInProgress, rw.StateSubmitted, rw.StateInReview, rw.StateApproved} {
		if _, err := db.Transition(context.Background(), id, st, rw.AuditEvent{Actor: "risk@example.net"}); err != nil {
			t.Fatalf("to %s: %v", st, err)
		}
	}
}

// TestApprovalFreezesScope: the scope recorded at approval stays as approved when the vendor is
// renamed and given another network afterwards, and the edits show as changes.
func TestApprovalFreezesScope(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAssessment(t, db)
		if _, err := db.FindApprovedScope(ctx, a.ID); rw.ErrorCode(err) != rw.ENOTFOUND {
			t.Fatalf("scope of a draft: %v, want not_found", err)
		}
		approve(t, db, a.ID)
		v, _ := db.FindVendorByID(ctx, a.VendorID)
		name := "Renamed Networks SA"
		if _, err := db.UpdateVendor(ctx, v.ID, rw.VendorUpdate{LegalName: &name, Version: v.Version}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateNetwork(ctx, &rw.Network{VendorID: v.ID, ASN: 64511,
			ExpectedPrefixes: []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24")}}); err != nil {
			t.Fatal(err)
		}
		sc, err := db.FindApprovedScope(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sc.LegalName != v.LegalName || len(sc.Networks) != 2 || sc.Networks[0].ASN != 3333 || len(sc.Networks[0].Prefixes) != 2 ||
			len(sc.Services) != 1 || sc.Services[0].Name != "Transit" || sc.ApprovedBy != "risk@example.net" || sc.ApprovedAt.IsZero() {
			t.Fatalf("approved scope = %+v", sc)
		}
		now, _ := db.FindVendorByID(ctx, a.VendorID)
		got := strings.Join(sc.ChangesSince(rw.ScopeOf(now)), "; ")
		for _, w := range []string{`legal name "` + v.LegalName + `" → "Renamed Networks SA"`, "AS64511 added"} {
			if !strings.Contains(got, w) {
				t.Errorf("changes %q lack %q", got, w)
			}
		}
	})
}

// TestOneCurrentAttestation: two issues of the same assessment at once register one; a re-issue
// must name the current one and supersedes it; a revoked one leaves room for a new one.
func TestOneCurrentAttestation(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make([]error, 2)
		atts := []*rw.Attestation{sampleAttestation("%PDF one"), sampleAttestation("%PDF two")}
		for i := range atts {
			wg.Go(func() { errs[i] = db.CreateAttestation(ctx, atts[i]) })
		}
		wg.Wait()
		ok := 0
		var first *rw.Attestation
		for i, err := range errs {
			switch rw.ErrorCode(err) {
			case "":
				ok++
				first = atts[i]
			case rw.ECONFLICT:
				if !strings.Contains(rw.ErrorMessage(err), "already has a current attestation") {
					t.Errorf("conflict message: %v", err)
				}
			default:
				t.Errorf("concurrent issue: %v", err)
			}
		}
		if _, n, _ := db.FindAttestations(ctx, rw.AttestationFilter{AssessmentID: 7}); ok != 1 || n != 1 {
			t.Fatalf("two concurrent issues: %d succeeded, %d registered; want 1 and 1", ok, n)
		}
		again := sampleAttestation("%PDF three")
		again.Supersedes = first.ID
		if err := db.CreateAttestation(ctx, again); err != nil {
			t.Fatal(err)
		}
		old, err := db.FindAttestationByDocumentID(ctx, first.DocumentID)
		if err != nil || !old.Superseded() || old.SupersededBy != again.ID || old.SupersededByDocumentID != again.DocumentID || old.Current() {
			t.Fatalf("superseded = %+v %v", old, err)
		}
		if !strings.Contains(old.SupersededNote(), "superseded by #"+itoa(again.ID)+" ("+again.DocumentID+") on ") {
			t.Errorf("note = %q", old.SupersededNote())
		}
		if cur, err := db.CurrentAttestation(ctx, 7); err != nil || cur.ID != again.ID {
			t.Errorf("current = %+v %v", cur, err)
		}
		stale := sampleAttestation("%PDF four")
		stale.Supersedes = first.ID // a second confirmation of the same re-issue
		if err := db.CreateAttestation(ctx, stale); rw.ErrorCode(err) != rw.ECONFLICT {
			t.Errorf("re-issue superseding a superseded one: %v, want conflict", err)
		}
		if _, err := db.RevokeAttestation(ctx, again.ID, "risk@example.net", "Issued against the wrong contract."); err != nil {
			t.Fatal(err)
		}
		fresh := sampleAttestation("%PDF five")
		if err := db.CreateAttestation(ctx, fresh); err != nil {
			t.Errorf("issue after the current one was revoked: %v", err)
		}
		if rep, err := db.VerifyAudit(ctx); err != nil || !rep.Intact() {
			t.Errorf("audit: %+v %v", rep, err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
