package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
)

// answerAll answers the visible questions of the assessment in library order (so that
// conditions see the earlier answers): favourable answers, except for the rejected demo, which
// declares the absence of the practices the library treats as claims. An assessment left in
// progress gets only its first section answered.
func answerAll(ctx context.Context, st AssessmentStores, lib *control.Library, a *rw.Assessment, actor string, target rw.AssessmentState, upstreams string) error {
	existing, err := st.FindAnswers(ctx, a.ID)
	if err != nil {
		return err
	}
	values := map[string][]string{}
	for _, x := range existing {
		values[x.QuestionID] = x.Values
	}
	controls := lib.ForProviders(a.ScopeStrings())
	for i, c := range controls {
		if target == rw.StateInProgress && c.Family != controls[0].Family {
			break
		}
		for qi := range c.Questions {
			q := &c.Questions[qi]
			if _, done := values[q.ID]; done || !lib.Visible(q.ID, values) {
				continue
			}
			if q.Type == control.TypeFile {
				if score.RequiresEvidence(c, q) {
					if err := attach(ctx, st, a, q, actor); err != nil {
						return err
					}
				}
				continue
			}
			v := demoValue(q, target == rw.StateRejected, i)
			if g := metValue(q, a.DueDate); g != nil && !(target == rw.StateRejected && len(q.Contradictions) > 0) {
				v = g
			}
			if q.ID == "RS-RES-01.Q2" && upstreams != "" {
				v = []string{upstreams}
			}
			if err := st.SaveAnswer(ctx, &rw.Answer{AssessmentID: a.ID, QuestionID: q.ID, Values: v}, actor); err != nil {
				return err
			}
			values[q.ID] = v
		}
	}
	return nil
}

func demoValue(q *control.Question, deny bool, i int) []string {
	switch q.Type {
	case control.TypeYesNo:
		for _, k := range q.Contradictions {
			if deny && k.Answer.Op == "=" && k.Answer.Value == "yes" {
				return []string{"no"}
			}
		}
		return []string{"yes"}
	case control.TypeSingleChoice, control.TypeMultipleChoice:
		return []string{q.Options[0].Value}
	case control.TypeNumber:
		n := 1.0
		if q.Min != nil && *q.Min > n {
			n = *q.Min
		}
		if q.Max != nil && *q.Max < n {
			n = *q.Max
		}
		return []string{strconv.FormatFloat(n, 'f', -1, 64)}
	case control.TypePercentage:
		return []string{"100"}
	case control.TypeDate:
		return []string{"2026-06-30"}
	}
	return []string{fmt.Sprintf("Synthetic demo answer %d: documented in the operations handbook, section %d.", i+1, i+3)}
}

func attach(ctx context.Context, st AssessmentStores, a *rw.Assessment, q *control.Question, actor string) error {
	data := []byte(fmt.Sprintf("Synthetic demo evidence for %s (%s).\nThis file is demo data and proves nothing.\n", q.ID, q.Evidence))
	sum := sha256.Sum256(data)
	return st.AddEvidence(ctx, &rw.EvidenceFile{AssessmentID: a.ID, QuestionID: q.ID, Name: q.Evidence + "-demo.txt",
		MediaType: "text/plain; charset=utf-8", Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Data: data, UploadedBy: actor})
}

// review accepts every answer; the changes-requested demo sends one question back, the
// approved demo resolves its discrepancy, the rejected demo raises a finding.
func review(ctx context.Context, st AssessmentStores, vendors rw.VendorStore, lib *control.Library, a *rw.Assessment, target rw.AssessmentState, now time.Time) error {
	answers, err := st.FindAnswers(ctx, a.ID)
	if err != nil {
		return err
	}
	if target == rw.StateSubmitted {
		return nil
	}
	for i, x := range answers {
		verdict, note := rw.ReviewAccepted, ""
		if target == rw.StateChangesRequested && i == len(answers)/2 {
			verdict, note = rw.ReviewChanges, "Please be more specific and attach the procedure."
		}
		if target == rw.StateInReview && i%3 != 0 {
			continue // review half-way through
		}
		if err := st.ReviewAnswer(ctx, a.ID, x.QuestionID, verdict, note, analyst); err != nil {
			return err
		}
	}
	switch target {
	case rw.StateApproved:
		in, err := score.Gather(ctx, st, vendors, lib, a, now)
		if err != nil {
			return err
		}
		for _, d := range score.Evaluate(in).OpenDiscrepancies() {
			err := st.ResolveDiscrepancy(ctx, &rw.Resolution{AssessmentID: a.ID, Key: d.Key, Outcome: "measurement",
				Reason:     "The measurement stands; the vendor corrected its answer in the remediation plan and a re-measurement is scheduled.",
				ResolvedBy: officer})
			if err != nil {
				return err
			}
		}
		return nil
	case rw.StateRejected:
		return st.AddFinding(ctx, &rw.Finding{AssessmentID: a.ID, ControlID: "RS-ROV-01", Severity: "critical",
			Title: "RPKI-invalid routes are accepted and propagated towards customers.", CreatedBy: analyst})
	case rw.StateInReview:
		return st.AddDispute(ctx, &rw.Dispute{AssessmentID: a.ID, ASN: 64502, Check: "rpki.roa-coverage",
			Explanation: "Our route objects live in RADB, which the snapshot did not include.", Author: "vendor:" + a.ContactEmail})
	}
	return nil
}

// measurements returns synthetic check results for the vendor's ASNs when no routing world is
// seeded: healthy networks, except Meridian (invalid originations: the approved demo's
// discrepancy), Société Générale des Réseaux (no ROAs, propagates an invalid route: open
// discrepancies in the review queue) and Atlantic (a route leak: the rejected demo).
func measurements(v *rw.Vendor, now time.Time) []rw.Measurement {
	var out []rw.Measurement
	for i, n := range v.Networks {
		figs := map[string]float64{"rpki.roa-coverage": 0.99, "rpki.score": 0.98, "rpki.invalid-originations": 0,
			"rov.invalid-propagation": 0, "irr.route-coverage": 1, "irr.policy-published": 1, "coord.peeringdb-contacts": 1,
			"bogon.prefixes": 0, "leak.valley-free": 0}
		switch {
		case v.LegalName == "Meridian Edge CDN B.V." && i == 0:
			figs["rpki.invalid-originations"], figs["rpki.roa-coverage"] = 2, 0.62
		case v.LegalName == "Société Générale des Réseaux SA":
			figs["rpki.roa-coverage"], figs["rov.invalid-propagation"], figs["rpki.invalid-originations"] = 0, 1, 1
		case v.LegalName == "Atlantic Subsea Carrier Inc.":
			figs["leak.valley-free"], figs["rpki.roa-coverage"] = 3, 0.4
		}
		for check, f := range figs {
			status := rw.StatusPass
			if (f > 0 && f < 0.9) || (f > 1 && check != "irr.route-coverage") || (f == 1 && check == "rpki.invalid-originations") {
				status = rw.StatusFail
			}
			out = append(out, rw.Measurement{ASN: n.ASN, Check: check, Status: status, Figure: &f,
				Summary: "Synthetic demo measurement.", ComputedAt: now})
		}
	}
	return out
}

// metValue returns an answer the library grades as meeting the control (libraries from 2026.2
// grade every answer), so that the favourable demo answers are favourable under the grading
// too; nil when the question has no grading. Dates are taken relative to the due date.
func metValue(q *control.Question, due time.Time) []string {
	g := q.Grading
	if g == nil {
		return nil
	}
	switch q.Type {
	case control.TypeYesNo:
		for _, v := range []string{"yes", "no"} {
			if g.Answers[v] == control.GradeMet {
				return []string{v}
			}
		}
	case control.TypeSingleChoice, control.TypeMultipleChoice:
		var out []string
		for _, o := range q.Options {
			if g.Answers[o.Value] == control.GradeMet {
				out = append(out, o.Value)
				if q.Type == control.TypeSingleChoice || g.Combine != "all" {
					break
				}
			}
		}
		if len(out) > 0 {
			return out
		}
	case control.TypeNumber, control.TypePercentage:
		if g.Met != nil {
			return []string{strconv.FormatFloat(*g.Met, 'f', -1, 64)}
		}
	case control.TypeDate:
		if g.Date == control.DateUntil && g.Better == "higher" {
			return []string{due.AddDate(1, 0, 0).Format(time.DateOnly)} // an expiry: far ahead
		}
		if g.Date == control.DateUntil {
			return []string{due.AddDate(0, 0, 30).Format(time.DateOnly)} // a deadline: soon
		}
		return []string{due.AddDate(0, 0, -60).Format(time.DateOnly)}
	}
	return nil
}
