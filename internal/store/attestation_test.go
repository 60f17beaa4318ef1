package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
	"time"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
)

func sampleAttestation(pdf string) *rw.Attestation {
	sum := sha256.Sum256([]byte(pdf))
	return &rw.Attestation{DocumentID: rw.NewDocumentID(time.Now()), SHA256: hex.EncodeToString(sum[:]),
		SignerFingerprint: hex.EncodeToString(sum[:]), SignerName: "Risk Office, Łódź", AssessmentID: 7, VendorID: 3,
		VendorName: "Société Générale des Réseaux", IssuedAt: time.Date(2026, 11, 27, 10, 0, 0, 123e6, time.UTC),
		IssuedBy: "risk@demo.example", Demo: true, DevCertificate: true, PDF: []byte(pdf)}
}

func TestAttestationRoundTrip(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := sampleAttestation("%PDF-1.5 one")
		until := time.Date(2027, 11, 27, 10, 0, 0, 0, time.UTC)
		a.ValidUntil = &until
		if err := db.CreateAttestation(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindAttestationByID(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.PDF != nil {
			t.Error("FindAttestationByID loaded the PDF bytes")
		}
		got.PDF = a.PDF
		if !reflect.DeepEqual(got, a) || got.Size != int64(len(a.PDF)) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, a)
		}
		byDoc, err := db.FindAttestationByDocumentID(ctx, a.DocumentID)
		if err != nil || byDoc.ID != a.ID {
			t.Fatalf("by document ID: %v %v", byDoc, err)
		}
		full, err := db.AttestationPDF(ctx, a.ID)
		if err != nil || !bytes.Equal(full.PDF, a.PDF) {
			t.Fatalf("PDF bytes: %q %v", full.PDF, err)
		}
		if _, err := db.FindAttestationByDocumentID(ctx, "RW-2026-000000000000"); rw.ErrorCode(err) != rw.ENOTFOUND {
			t.Errorf("unknown document ID: %v, want not_found", err)
		}
	})
}

func TestAttestationRegistryRules(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := sampleAttestation("%PDF-1.5 two")
		if err := db.CreateAttestation(ctx, a); err != nil {
			t.Fatal(err)
		}
		dup := sampleAttestation("%PDF-1.5 two")
		if err := db.CreateAttestation(ctx, dup); rw.ErrorCode(err) != rw.ECONFLICT {
			t.Errorf("same SHA-256 registered twice: %v, want conflict", err)
		}
		dup = sampleAttestation("%PDF-1.5 three")
		dup.DocumentID = a.DocumentID
		if err := db.CreateAttestation(ctx, dup); rw.ErrorCode(err) != rw.ECONFLICT {
			t.Errorf("same document ID registered twice: %v, want conflict", err)
		}
		bad := sampleAttestation("x")
		bad.DocumentID = "not-an-id"
		if err := db.CreateAttestation(ctx, bad); rw.ErrorCode(err) != rw.EINVALID {
			t.Errorf("malformed document ID: %v, want invalid", err)
		}
		if _, err := db.RevokeAttestation(ctx, a.ID, "risk@demo.example", "  no "); rw.ErrorCode(err) != rw.EINVALID {
			t.Errorf("short reason: %v, want invalid", err)
		}
		rev, err := db.RevokeAttestation(ctx, a.ID, "risk@demo.example", "  Superseded by the 2027 review. ")
		if err != nil {
			t.Fatal(err)
		}
		if !rev.Revoked() || rev.RevokedBy != "risk@demo.example" || rev.RevocationReason != "Superseded by the 2027 review." {
			t.Errorf("revoked = %+v", rev)
		}
		if _, err := db.RevokeAttestation(ctx, a.ID, "admin@demo.example", "A second reason here."); rw.ErrorCode(err) != rw.ECONFLICT {
			t.Errorf("second revocation: %v, want conflict", err)
		}
		got, _ := db.FindAttestationByID(ctx, a.ID)
		if got.RevokedBy != "risk@demo.example" || got.RevokedAt == nil {
			t.Errorf("second revocation changed the record: %+v", got)
		}
		evs, err := db.FindAuditEvents(ctx, a.AssessmentID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range evs {
			actions = append(actions, e.Action)
		}
		if strings.Join(actions, ",") != "attestation.issued,attestation.revoked" {
			t.Errorf("audit events = %v, want issued then revoked (once)", actions)
		}
		if rep, err := db.VerifyAudit(ctx); err != nil || !rep.Intact() || rep.Events < 2 {
			t.Errorf("audit chain: %+v, %v", rep, err)
		}
		if _, err := db.RevokeAttestation(ctx, 9999, "x", "Reason long enough"); rw.ErrorCode(err) != rw.ENOTFOUND {
			t.Errorf("unknown attestation: %v, want not_found", err)
		}
	})
}

func TestFindAttestations(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var first int64
		for i, p := range []string{"a", "b", "c"} {
			a := sampleAttestation(p)
			a.AssessmentID = int64(1 + i%2)
			if i == 2 {
				a.Supersedes = first // the second of assessment 1 is a confirmed re-issue
			}
			if err := db.CreateAttestation(ctx, a); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				first = a.ID
			}
		}
		tests := []struct {
			name  string
			f     rw.AttestationFilter
			n     int
			total int
		}{
			{"all", rw.AttestationFilter{}, 3, 3},
			{"by assessment", rw.AttestationFilter{AssessmentID: 1}, 2, 2},
			{"paged", rw.AttestationFilter{Limit: 1, Offset: 1}, 1, 3},
			{"by vendor, none", rw.AttestationFilter{VendorID: 99}, 0, 0},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				list, total, err := db.FindAttestations(ctx, tc.f)
				if err != nil || len(list) != tc.n || total != tc.total {
					t.Fatalf("got %d of %d (%v), want %d of %d", len(list), total, err, tc.n, tc.total)
				}
				for i := 1; i < len(list); i++ {
					if list[i].ID > list[i-1].ID {
						t.Error("not newest first")
					}
				}
				for _, a := range list {
					if a.PDF != nil {
						t.Error("list loaded PDF bytes")
					}
				}
			})
		}
	})
}

// TestAttestedAssessments: which assessments of a list have an attestation in force, in one
// query; a revoked one no longer counts.
func TestAttestedAssessments(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := sampleAttestation("%PDF-1.5 in force")
		b := sampleAttestation("%PDF-1.5 revoked")
		b.AssessmentID, b.DocumentID = 8, rw.NewDocumentID(time.Now().Add(time.Second))
		for _, x := range []*rw.Attestation{a, b} {
			if err := db.CreateAttestation(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.RevokeAttestation(ctx, b.ID, "risk@demo.example", "wrong scope"); err != nil {
			t.Fatal(err)
		}
		got, err := db.AttestedAssessments(ctx, []int64{7, 8, 9})
		if err != nil || !reflect.DeepEqual(got, map[int64]bool{7: true}) {
			t.Errorf("attested = %v, %v; want only 7", got, err)
		}
		if got, err := db.AttestedAssessments(ctx, nil); err != nil || len(got) != 0 {
			t.Errorf("no IDs: %v, %v", got, err)
		}
	})
}
