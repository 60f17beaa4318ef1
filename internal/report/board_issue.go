package report

import (
	"context"
	"errors"
	"fmt"
	"time"

	"routewarden/internal/attest"
	"routewarden/internal/evidence"
	rw "routewarden/internal/routewarden"
)

// BoardTrendWindow is how far back the board report's dashboard figures look for the monitor
// trend.
const BoardTrendWindow = 180 * 24 * time.Hour

// BoardSources are the stores and data sets the board report reads. Answers and Evidence are
// optional: without them the declared-versus-observed comparison, respectively the
// concentration analysis, say they are unknown.
type BoardSources struct {
	Dashboard    DashboardSources // its Vendors and Attestations are also read below
	Answers      AnswerSource
	Findings     FindingSource
	Attestations interface {
		FindAttestations(context.Context, rw.AttestationFilter) ([]*rw.Attestation, int, error)
	}
	Evidence func(context.Context) (*evidence.Data, error)
	// Coverage, when set, is read for the obligations coverage section; without it the section
	// says it was not computed.
	Coverage *CoverageSources
}

// GatherBoard reads everything the board report states as of now: the dashboard figures, the
// concentration analysis, open critical and high findings with the waivers in force, and the
// attestations in force.
func GatherBoard(ctx context.Context, src BoardSources, now time.Time) (*Board, error) {
	vs := src.Dashboard.Vendors
	if vs == nil || src.Findings == nil || src.Attestations == nil {
		return nil, errors.New("report: board: vendors, findings and attestations are required")
	}
	dash, err := LoadDashboard(ctx, src.Dashboard, now, BoardTrendWindow)
	if err != nil {
		return nil, err
	}
	var data *evidence.Data
	if src.Evidence != nil {
		if data, err = src.Evidence(ctx); err != nil {
			return nil, err
		}
	}
	var as AnswerSource
	if src.Answers != nil {
		as = src.Answers
	}
	conc, err := ConcentrationFrom(ctx, vs, as, data)
	if err != nil {
		return nil, err
	}
	findings, waivers, err := LoadFindings(ctx, src.Findings, now)
	if err != nil {
		return nil, err
	}
	b := &Board{Now: now, Dashboard: dash, Concentration: conc, Findings: findings, Waivers: waivers}
	if src.Coverage != nil {
		if b.Coverage, err = LoadCoverage(ctx, *src.Coverage, now, CoverageFilter{}); err != nil {
			return nil, err
		}
	}
	for off := 0; ; {
		atts, total, err := src.Attestations.FindAttestations(ctx, rw.AttestationFilter{Offset: off, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, a := range atts {
			if a.Current() {
				b.Attestations = append(b.Attestations, a)
			}
		}
		off += len(atts)
		if len(atts) == 0 || off >= total {
			break
		}
	}
	vendors, _, err := vs.FindVendors(ctx, rw.VendorFilter{Limit: 1000})
	if err != nil {
		return nil, err
	}
	for _, v := range vendors {
		b.Demo = b.Demo || v.Demo
	}
	return b, nil
}

// BoardIssuer issues board reports: it gathers the figures, renders the PDF with a fresh
// document ID and its manifest, signs it, checks the result against its own trust and
// registers it. It implements routewarden.BoardReportService.
type BoardIssuer struct {
	Sources        BoardSources
	Registry       rw.BoardReportStore
	Signer         attest.Signer
	Font, BoldFont []byte
	Organisation   string
	VerifyURL      string // printed as where to verify, e.g. https://rw.example/verify
	Now            func() time.Time
}

// IssueBoardReport makes, signs and registers a board report for actor (an e-mail, or "cli").
func (bi *BoardIssuer) IssueBoardReport(ctx context.Context, actor string) (*rw.BoardReport, error) {
	if actor == "" {
		return nil, rw.Errorf(rw.EINVALID, "A board report needs the user who issues it.")
	}
	now := time.Now()
	if bi.Now != nil {
		now = bi.Now()
	}
	now = now.UTC().Truncate(time.Second)
	b, err := GatherBoard(ctx, bi.Sources, now)
	if err != nil {
		return nil, err
	}
	b.DocumentID, b.Organisation, b.VerifyURL = rw.NewBoardDocumentID(now), bi.Organisation, bi.VerifyURL
	raw, err := RenderBoard(b, bi.Font, bi.BoldFont)
	if err != nil {
		return nil, err
	}
	signed, err := attest.Sign(raw, bi.Signer)
	if err != nil {
		return nil, fmt.Errorf("report: board: %w", err)
	}
	res, err := attest.Verify(signed, bi.Signer.TrustPool())
	if err != nil || !res.Valid || res.Board == nil || res.DocumentID != b.DocumentID {
		return nil, fmt.Errorf("report: board: the signed document does not verify: %s", res.Verdict())
	}
	r := &rw.BoardReport{DocumentID: b.DocumentID, SHA256: res.SHA256, SignerFingerprint: res.SignerFingerprint,
		SignerName: res.SignerName, IssuedAt: now, IssuedBy: actor, Demo: b.Demo, DevCertificate: res.DevCertificate, PDF: signed}
	if err := bi.Registry.CreateBoardReport(ctx, r); err != nil {
		return nil, err
	}
	return r, nil
}
