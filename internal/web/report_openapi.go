package web

// reportAPI returns the report endpoints' OpenAPI operations and schemas, kept beside them;
// OpenAPI merges them into the document.
func reportAPI() (map[string]apiOp, map[string]any) {
	ops, schemas := map[string]apiOp{}, map[string]any{}
	ops["GET /api/v1/reports/dashboard"] = apiOp{Summary: "The portfolio dashboard's figures: ratings, MANRS readiness of critical suppliers, assessments by state, alerts, attestations, data freshness, monitor trend", Response: "Dashboard", Status: "200"}
	ops["GET /api/v1/reports/concentration"] = apiOp{Summary: "Concentration risk from observed BGP paths: upstreams shared by services, single-upstream services, HHI, what-if, declared vs observed", Response: "Concentration", Status: "200"}
	ops["GET /api/v1/reports/board"] = apiOp{Summary: "List issued board / supervisor reports, newest first (registry entries; the PDF is at pdf_url)", Response: "BoardReportList", Status: "200", Query: []string{"offset", "limit"}}
	ops["POST /api/v1/reports/board"] = apiOp{Summary: "Issue a board / supervisor report: gather the portfolio, render, sign and register the PDF (risk officer, admin)", Response: "BoardReport", Status: "201"}
	ops["GET /api/v1/reports/board/{id}/pdf"] = apiOp{Summary: "Download a signed board report PDF (application/pdf), byte for byte as registered", Status: "200"}
	ops["POST /api/v1/reports/board/{id}/revoke"] = apiOp{Summary: "Revoke a board report with a reason (once; later verifications fail)", Request: "Revocation", Response: "BoardReport", Status: "200"}
	ops["GET /api/v1/reports/obligations"] = apiOp{Summary: "Obligations coverage across suppliers: per DORA / NIS2 / CER obligation mapped to controls, each supplier's state (met, partly, failed, unknown, not_applicable, out_of_scope) on its latest decided assessment, with the controls behind each cell; format=csv gives one row per supplier and obligation", Response: "ObligationsCoverage", Status: "200", Query: []string{"regulation", "tier", "critical", "format"}, Errors: []string{"400"}}
	arr := func(items any) map[string]any { return map[string]any{"type": "array", "items": items} }
	count := obj([]string{"label", "n", "link"}, map[string]any{"label": str, "n": integ, "link": str})
	svc := obj([]string{"vendor_id", "vendor", "service_id", "name", "critical"}, map[string]any{"vendor_id": integ, "vendor": str, "service_id": integ, "name": str, "critical": boolT})
	num := map[string]any{"type": "number"}
	schemas["Dashboard"] = obj([]string{"vendors", "ratings", "assessments_by_state", "alerts", "freshness", "trend"}, map[string]any{
		"vendors": count, "critical_vendors": count, "ratings": arr(count), "assessments_by_state": arr(count), "alerts": arr(count),
		"overdue_count": count, "attestations_due_count": count, "attestations_valid": count,
		"readiness": arr(obj(nil, map[string]any{"action": str, "mean": num, "suppliers": integ, "ready": integ})),
		"freshness": arr(obj(nil, map[string]any{"kind": str, "age_hours": integ, "stale": boolT, "missing": boolT})),
		"trend":     arr(obj(nil, map[string]any{"at": str, "asns": integ, "changes": integ, "opened": integ, "resolved": integ, "open_after": integ})),
		"overdue":   arr(map[string]any{"type": "object"}), "attestations_due_for_renewal": arr(map[string]any{"type": "object"})})
	board := obj([]string{"id", "document_id", "sha256", "issued_at", "issued_by", "revoked", "pdf_url"}, map[string]any{
		"id": integ, "document_id": str, "sha256": str, "signer_name": str, "signer_fingerprint": str, "issued_at": str, "issued_by": str,
		"revoked": boolT, "revoked_at": str, "revoked_by": str, "revocation_reason": str, "demo": boolT, "dev_certificate": boolT, "size": integ, "pdf_url": str})
	schemas["BoardReport"] = board
	schemas["BoardReportList"] = obj([]string{"board_reports", "total"}, map[string]any{"board_reports": arr(board), "total": integ, "offset": integ, "limit": integ})
	schemas["Concentration"] = obj([]string{"upstreams", "single_upstream_services"}, map[string]any{
		"upstreams": arr(obj([]string{"asn", "services", "critical_services"}, map[string]any{"asn": integ, "name": str, "vendor_asns": arr(integ),
			"services": arr(svc), "critical_services": integ, "critical_share": num, "shared": boolT, "if_lost_lose_all": arr(svc), "if_lost_lose_some": arr(svc)})),
		"single_upstream_services": arr(map[string]any{"type": "object"}), "no_upstream_services": arr(map[string]any{"type": "object"}),
		"services": arr(map[string]any{"type": "object"}), "vendor_asns": arr(map[string]any{"type": "object"}),
		"discrepancies": arr(obj(nil, map[string]any{"vendor_id": integ, "vendor": str, "assessment_id": integ, "control": str, "declared": str, "observed": str, "message": str})),
		"hhi":           map[string]any{"type": "number", "nullable": true}, "critical_services_total": integ, "route_server_asns": arr(integ), "unknown": str})
	counts := map[string]any{"type": "object", "additionalProperties": integ, "description": "cells by state"}
	schemas["ObligationsCoverage"] = obj([]string{"obligations", "suppliers", "unmapped", "counts"}, map[string]any{
		"generated_at": str,
		"filter":       map[string]any{"type": "object"},
		"obligations": arr(obj([]string{"id", "regulation", "framework", "controls", "counts"}, map[string]any{"id": str, "regulation": str, "framework": str,
			"reference": str, "title": str, "controls": arr(str), "counts": counts, "in_scope": integ})),
		"suppliers": arr(obj([]string{"vendor_id", "vendor", "cells"}, map[string]any{"vendor_id": integ, "vendor": str, "demo": boolT, "critical": boolT,
			"frameworks": arr(str), "tier": str, "assessment_id": integ, "assessment_state": str, "decided_at": str, "library": str, "counts": counts,
			"cells": arr(obj([]string{"obligation", "state"}, map[string]any{"obligation": str,
				"state":  map[string]any{"type": "string", "enum": []string{"met", "partly", "failed", "unknown", "not_applicable", "out_of_scope"}},
				"reason": str, "waived": boolT,
				"controls": arr(obj([]string{"id", "status"}, map[string]any{"id": str, "status": str, "basis": str, "waived": boolT}))}))})),
		"unmapped": arr(str), "counts": counts})
	return ops, schemas
}
