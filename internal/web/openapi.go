package web

import (
	"maps"
	"net/http"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"
)

// apiOp documents one API operation. The OpenAPI document is built from the route table plus
// these entries; a test fails when a route lacks an entry or an entry lacks a route.
type apiOp struct {
	Summary  string
	Request  string // schema name of the JSON body, if any
	Response string // schema name of the 2xx body, "" for 204
	Status   string // success status code
	Query    []string
	// StringID marks path parameters that are text IDs (e.g. RS-ROV-01), not integers.
	StringID bool
	// Errors lists further error statuses to document, e.g. "400" for unknown filter values.
	Errors []string
}

var apiOps = map[string]apiOp{
	"GET /api/v1/reports/roi":                     {Summary: "DORA register of information (ITS 2024/2956): format=xbrl-csv (EBA report package zip, default), xlsx, csv (zip of CSVs) or json (the lint); the lint's count is in X-Register-Problems; strict=true answers 422 with the list when it finds problems", Status: "200", Query: []string{"format", "strict"}, Errors: []string{"400", "422"}},
	"GET /api/v1/openapi.json":                    {Summary: "This OpenAPI 3 document", Response: "", Status: "200"},
	"GET /api/v1/me":                              {Summary: "The authenticated user and its permissions", Response: "Me", Status: "200"},
	"GET /api/v1/reference":                       {Summary: "Reference lists: DORA service types, provider types, regulations, countries", Response: "Reference", Status: "200"},
	"GET /api/v1/checks":                          {Summary: "Run every routing-evidence check for ASNs (asn=, repeatable) or a vendor's networks (vendor=ID) over the latest snapshots", Response: "CheckResults", Status: "200", Query: []string{"asn", "vendor"}},
	"GET /api/v1/snapshots":                       {Summary: "Imported routing-data snapshots with provenance (kind=)", Response: "Snapshots", Status: "200", Query: []string{"kind"}},
	"GET /api/v1/controls":                        {Summary: "List the controls of a control library version (filters combine)", Response: "ControlList", Status: "200", Query: []string{"family", "provider", "manrs", "obligation", "basis", "library", "version"}, Errors: []string{"400", "404"}},
	"GET /api/v1/controls/{id}":                   {Summary: "Get a control with its checks, evidence, questions and obligations", Response: "Control", Status: "200", Query: []string{"library", "version"}, StringID: true, Errors: []string{"404"}},
	"GET /api/v1/obligations":                     {Summary: "List the obligation catalogue with the controls behind each obligation", Response: "ObligationList", Status: "200", Query: []string{"regulation", "library", "version"}, Errors: []string{"400", "404"}},
	"GET /api/v1/obligations/{id}":                {Summary: "Get an obligation with the controls behind it", Response: "Obligation", Status: "200", Query: []string{"library", "version"}, StringID: true, Errors: []string{"404"}},
	"GET /api/v1/vendors":                         {Summary: "List vendors (search and filters, paginated); sort=name|rating|state|due|tier|updated (the latest assessment's columns; vendors without one last) with dir=asc|desc or a leading minus", Response: "VendorList", Status: "200", Query: []string{"q", "country", "type", "provider", "critical", "sort", "dir", "offset", "limit"}},
	"POST /api/v1/vendors":                        {Summary: "Create a vendor with its services, networks and contacts (all or nothing); 409 when a network's ASN already belongs to another vendor (the message names it) unless confirm_shared_asns is true", Request: "VendorInput", Response: "Vendor", Status: "201"},
	"GET /api/v1/vendors/{id}":                    {Summary: "Get a vendor with its services, networks and contacts", Response: "Vendor", Status: "200"},
	"PATCH /api/v1/vendors/{id}":                  {Summary: "Change vendor fields; send version for optimistic locking", Request: "VendorPatch", Response: "Vendor", Status: "200"},
	"DELETE /api/v1/vendors/{id}":                 {Summary: "Delete a vendor and its parts", Status: "204"},
	"POST /api/v1/vendors/{id}/services":          {Summary: "Add a service", Request: "Service", Response: "Service", Status: "201"},
	"PUT /api/v1/vendors/{id}/services/{sid}":     {Summary: "Replace a service", Request: "Service", Response: "Service", Status: "200"},
	"DELETE /api/v1/vendors/{id}/services/{sid}":  {Summary: "Remove a service", Status: "204"},
	"POST /api/v1/vendors/{id}/networks":          {Summary: "Add a network (ASN); 409 when the ASN already belongs to another vendor (the message names it) unless confirm_shared_asns is true", Request: "Network", Response: "Network", Status: "201"},
	"PUT /api/v1/vendors/{id}/networks/{nid}":     {Summary: "Replace a network", Request: "Network", Response: "Network", Status: "200"},
	"DELETE /api/v1/vendors/{id}/networks/{nid}":  {Summary: "Remove a network", Status: "204"},
	"POST /api/v1/vendors/{id}/contacts":          {Summary: "Add a contact", Request: "Contact", Response: "Contact", Status: "201"},
	"DELETE /api/v1/vendors/{id}/contacts/{cid}":  {Summary: "Remove a contact", Status: "204"},
	"GET /api/v1/attestations":                    {Summary: "List issued attestations, newest first (paginated)", Response: "AttestationList", Status: "200", Query: []string{"assessment_id", "vendor_id", "offset", "limit"}},
	"GET /api/v1/attestations/{id}":               {Summary: "Get an attestation's registry entry", Response: "Attestation", Status: "200"},
	"GET /api/v1/attestations/{id}/pdf":           {Summary: "Download the signed attestation PDF (application/pdf), byte for byte as registered", Status: "200"},
	"POST /api/v1/attestations/{id}/revoke":       {Summary: "Revoke an attestation with a reason (once; later verifications fail)", Request: "Revocation", Response: "Attestation", Status: "200"},
	"POST /api/v1/assessments/{id}/attestations":  {Summary: "Issue a signed attestation of an approved assessment (409 unless approved; 409 while one is current unless ?supersede=ID names it)", Response: "Attestation", Status: "201"},
	"GET /api/v1/assessments":                     {Summary: "List assessments with state, due date and scores (filters: state=a,b; vendor; q; overdue)", Response: "AssessmentList", Status: "200", Query: []string{"state", "vendor", "q", "overdue", "offset", "limit"}},
	"POST /api/v1/assessments":                    {Summary: "Create a draft assessment for a vendor (scope from its services, answers pre-filled from measurements)", Request: "AssessmentInput", Response: "Assessment", Status: "201"},
	"GET /api/v1/assessments/{id}":                {Summary: "An assessment with control results (status, basis, how reached), readiness per MANRS action, discrepancies, findings, waivers and the risk rating", Response: "AssessmentDetail", Status: "200"},
	"POST /api/v1/assessments/{id}/send":          {Summary: "Send (or re-send) the invitation link; without SMTP the link is returned", Response: "SendResult", Status: "200"},
	"POST /api/v1/assessments/{id}/submit":        {Summary: "Submit on the vendor's behalf (only when every required answer and document is present)", Request: "Note", Response: "Assessment", Status: "200"},
	"POST /api/v1/assessments/{id}/review":        {Summary: "Review: per-question accept / request_changes / finding, optionally return to the vendor", Request: "ReviewInput", Response: "Assessment", Status: "200"},
	"POST /api/v1/assessments/{id}/discrepancies": {Summary: "Resolve a discrepancy between an answer and a measurement, with a reason", Request: "Resolution", Response: "Resolved", Status: "200"},
	"POST /api/v1/assessments/{id}/due-date":      {Summary: "Extend the due date", Request: "DueDate", Response: "Assessment", Status: "200"},
	"POST /api/v1/assessments/{id}/remeasure":     {Summary: "Capture the vendor's current check results into the assessment (measured answers and discrepancies follow)", Response: "Assessment", Status: "200"},
	"POST /api/v1/assessments/{id}/cancel":        {Summary: "Cancel an open assessment", Request: "Note", Response: "Assessment", Status: "200"},
	"POST /api/v1/assessments/{id}/waivers":       {Summary: "Waive the risk of a control with a justification and an expiry", Request: "Waiver", Response: "Waived", Status: "201"},
	"POST /api/v1/assessments/{id}/approve":       {Summary: "Approve (risk officer; no open discrepancies)", Request: "Note", Response: "Assessment", Status: "200"},
	"POST /api/v1/assessments/{id}/reject":        {Summary: "Reject with a reason (risk officer)", Request: "Note", Response: "Assessment", Status: "200"},
	"GET /api/v1/alerts":                          {Summary: "Monitoring alerts, newest first (filters combine; state=active is open or acknowledged)", Response: "AlertList", Status: "200", Query: []string{"state", "vendor", "asn", "rule", "severity", "since", "limit"}, Errors: []string{"400"}},
	"POST /api/v1/alerts/{id}/acknowledge":        {Summary: "Acknowledge an open alert with a comment (audited; announced to webhooks)", Request: "Acknowledgement", Response: "Alert", Status: "200", Errors: []string{"404"}},
	"GET /api/v1/vendors/{id}/history":            {Summary: "Monitoring history of a vendor's networks: headline figure series and the list of changes", Response: "History", Status: "200"},
	"GET /api/v1/webhooks":                        {Summary: "List webhooks (secrets are never returned)", Response: "WebhookList", Status: "200"},
	"POST /api/v1/webhooks":                       {Summary: "Create a webhook; events such as alert.opened; an omitted secret is generated and returned once", Request: "WebhookInput", Response: "Webhook", Status: "201"},
	"DELETE /api/v1/webhooks/{id}":                {Summary: "Delete a webhook and its delivery log", Status: "204", Errors: []string{"404"}},
	"GET /api/v1/webhooks/{id}/deliveries":        {Summary: "A webhook's latest deliveries with attempts and response codes", Response: "DeliveryList", Status: "200", Query: []string{"limit"}, Errors: []string{"404"}},
}

var ginParam = regexp.MustCompile(`:([a-z]+)`)

// openAPIPath turns a gin path (/vendors/:id) into an OpenAPI path (/vendors/{id}).
func openAPIPath(p string) string { return ginParam.ReplaceAllString(p, "{$1}") }

func (s *Server) openAPI(c *gin.Context) { c.JSON(http.StatusOK, s.OpenAPI()) }

// OpenAPI builds the OpenAPI 3.0 document of the registered API routes.
func (s *Server) OpenAPI() map[string]any {
	repOps, repSchemas := reportAPI()
	allSchemas := map[string]any{}
	for _, m := range []map[string]any{schemas, controlSchemas(), repSchemas} {
		maps.Copy(allSchemas, m)
	}
	paths := map[string]map[string]any{}
	for _, r := range s.routes {
		if !r.API {
			continue
		}
		p := openAPIPath(r.Path)
		op, ok := apiOps[r.Method+" "+p]
		if !ok {
			op = repOps[r.Method+" "+p]
		}
		o := map[string]any{"summary": op.Summary, "operationId": operationID(r.Method, p), "responses": responses(op, r.Perm != Public)}
		var params []map[string]any
		for _, m := range ginParam.FindAllStringSubmatch(r.Path, -1) {
			typ := "integer"
			if op.StringID {
				typ = "string"
			}
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": typ}})
		}
		for _, q := range op.Query {
			params = append(params, map[string]any{"name": q, "in": "query", "required": false, "schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			o["parameters"] = params
		}
		if op.Request != "" {
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": ref(op.Request)}}}
		}
		if r.Perm == Public {
			o["security"] = []any{}
		} else {
			o["description"] = "Requires permission `" + string(r.Perm) + "`."
		}
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		paths[p][strings.ToLower(r.Method)] = o
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "Routewarden API", "version": s.cfg.Version,
			"description": "Assess the routing security of internet suppliers. Errors are {\"error\":{\"code\",\"message\",\"field\"?}}."},
		"servers":    []any{map[string]any{"url": "/"}},
		"security":   []any{map[string]any{"bearer": []any{}}},
		"paths":      paths,
		"components": map[string]any{"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}}, "schemas": allSchemas},
	}
}

func operationID(method, path string) string {
	parts := []string{strings.ToLower(method)}
	for _, seg := range strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/") {
		seg = strings.Trim(seg, "{}")
		seg = strings.ReplaceAll(seg, ".", "_")
		if seg != "" {
			parts = append(parts, strings.ToUpper(seg[:1])+seg[1:])
		}
	}
	return strings.Join(parts, "")
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }

func responses(op apiOp, auth bool) map[string]any {
	ok := map[string]any{"description": "Success"}
	if op.Response != "" {
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": ref(op.Response)}}
	}
	out := map[string]any{op.Status: ok}
	errResp := map[string]any{"description": "Error", "content": map[string]any{"application/json": map[string]any{"schema": ref("Error")}}}
	if auth {
		out["401"], out["403"] = errResp, errResp
	}
	if op.Request != "" {
		out["400"], out["409"], out["413"] = errResp, errResp, errResp
	}
	for _, code := range op.Errors {
		out[code] = errResp
	}
	if strings.Contains(op.Summary, "vendor") || op.Request != "" {
		out["404"] = errResp
	}
	return out
}

func obj(required []string, props map[string]any) map[string]any {
	return map[string]any{"type": "object", "required": required, "properties": props}
}

var (
	str    = map[string]any{"type": "string"}
	integ  = map[string]any{"type": "integer"}
	boolT  = map[string]any{"type": "boolean"}
	strArr = map[string]any{"type": "array", "items": str}
)

// sharedASNs documents the confirmation that registers an ASN another vendor already has.
var sharedASNs = map[string]any{"type": "boolean", "default": false,
	"description": "Set to true to register a network whose ASN already belongs to another vendor (a shared network); otherwise the request is answered 409 with a message naming that vendor."}

var schemas = map[string]any{
	"Error": obj([]string{"error"}, map[string]any{"error": obj([]string{"code", "message"}, map[string]any{
		"code":    map[string]any{"type": "string", "enum": []string{"invalid", "not_found", "conflict", "unauthorized", "forbidden", "rate_limited", "too_large", "internal"}},
		"message": str, "field": str, "fields": map[string]any{"type": "object", "additionalProperties": str}})}),
	"CheckResults": obj([]string{"results", "snapshots"}, map[string]any{
		"results": map[string]any{"type": "array", "items": obj([]string{"asn", "check", "status", "summary"}, map[string]any{
			"asn": integ, "check": str, "title": str, "status": map[string]any{"type": "string", "enum": []string{"pass", "warn", "fail", "unknown"}},
			"figure": map[string]any{"type": "number", "nullable": true}, "summary": str, "stale": boolT,
			"details":   map[string]any{"type": "array", "items": obj(nil, map[string]any{"kind": str, "prefix": str, "origin": integ, "path": str, "note": str})},
			"snapshots": map[string]any{"type": "array", "items": integ}})},
		"snapshots": map[string]any{"type": "array", "items": ref("Snapshot")}}),
	"Snapshots": obj([]string{"snapshots"}, map[string]any{"snapshots": map[string]any{"type": "array", "items": ref("Snapshot")}}),
	"Snapshot": obj([]string{"id", "kind", "digest"}, map[string]any{"id": integ, "kind": str, "source": str, "format": str,
		"data_time": map[string]any{"type": "string", "format": "date-time", "nullable": true}, "imported_at": map[string]any{"type": "string", "format": "date-time"},
		"records": integ, "skipped": integ, "digest": str, "demo": boolT,
		"files": map[string]any{"type": "array", "items": obj(nil, map[string]any{"name": str, "sha256": str, "size": integ})}}),
	"Me":        obj([]string{"id", "email", "role"}, map[string]any{"id": integ, "email": str, "name": str, "role": str, "permissions": strArr}),
	"Reference": map[string]any{"type": "object"},
	"VendorList": obj([]string{"vendors", "total"}, map[string]any{"vendors": map[string]any{"type": "array", "items": ref("Vendor")},
		"total": integ, "offset": integ, "limit": integ}),
	"Vendor": obj([]string{"id", "legal_name", "country"}, map[string]any{"id": integ, "legal_name": str, "lei": str, "country": str,
		"website": str, "description": str, "demo": boolT, "critical": boolT, "version": integ, "service_count": integ, "network_count": integ,
		"created_at": map[string]any{"type": "string", "format": "date-time"}, "updated_at": map[string]any{"type": "string", "format": "date-time"},
		"services": map[string]any{"type": "array", "items": ref("Service")}, "networks": map[string]any{"type": "array", "items": ref("Network")},
		"contacts": map[string]any{"type": "array", "items": ref("Contact")},
		"latest_assessment": obj([]string{"id", "state"}, map[string]any{"id": integ, "state": str, "due_date": map[string]any{"type": "string", "format": "date"},
			"rating": str, "provisional": boolT, "tier": str})}),
	"VendorInput": obj([]string{"legal_name", "country"}, map[string]any{"legal_name": str,
		"lei":     map[string]any{"type": "string", "description": "ISO 17442 LEI; check digits are verified", "pattern": "^[A-Z0-9]{18}[0-9]{2}$"},
		"country": map[string]any{"type": "string", "description": "ISO 3166-1 alpha-2"}, "website": str, "description": str,
		"services": map[string]any{"type": "array", "items": ref("Service")}, "networks": map[string]any{"type": "array", "items": ref("Network")},
		"contacts":            map[string]any{"type": "array", "items": ref("Contact")},
		"confirm_shared_asns": sharedASNs}),
	"VendorPatch": obj(nil, map[string]any{"legal_name": str, "lei": str, "country": str, "website": str, "description": str,
		"version": map[string]any{"type": "integer", "description": "the version you edited; a mismatch gives 409"}}),
	"Service": obj([]string{"name", "type", "provider_type"}, map[string]any{"id": integ, "name": str,
		"type":          map[string]any{"type": "string", "description": "DORA register ICT service type (ITS 2024/2956 Annex III)", "pattern": "^S(0[1-9]|1[0-9])$"},
		"provider_type": map[string]any{"type": "string", "enum": []string{"transit", "access", "cloud", "cdn", "ddos", "ixp"}},
		"critical":      boolT, "regulations": map[string]any{"type": "array", "items": map[string]any{"type": "string", "enum": []string{"DORA", "NIS2", "CER"}}},
		"substitutability": map[string]any{"type": "string", "enum": []string{"not_substitutable", "highly_complex", "medium_complexity", "easily_substitutable"}},
		"contract_ref":     str, "contract_start": map[string]any{"type": "string", "format": "date"}, "contract_end": map[string]any{"type": "string", "format": "date"},
		"function_name": str, "reliance": map[string]any{"type": "string", "enum": []string{"not_significant", "low", "material", "full"}},
		"exit_plan": map[string]any{"type": "string", "enum": []string{"yes", "no"}}, "rto_hours": integ, "rpo_hours": integ}),
	"Network": obj([]string{"asn"}, map[string]any{"id": integ,
		"asn":  map[string]any{"description": "1–4294967295, as a number or \"AS64500\"", "oneOf": []any{integ, str}},
		"name": str, "expected_prefixes": strArr, "as_set": str, "warning": str,
		"confirm_shared_asns": map[string]any{"type": "boolean", "writeOnly": true, "description": "On POST /api/v1/vendors/{id}/networks: " + sharedASNs["description"].(string)}}),
	"AttestationList": obj([]string{"attestations", "total"}, map[string]any{"attestations": map[string]any{"type": "array", "items": ref("Attestation")},
		"total": integ, "offset": integ, "limit": integ}),
	"Attestation": obj([]string{"id", "document_id", "sha256"}, map[string]any{"id": integ, "document_id": str,
		"sha256": map[string]any{"type": "string", "description": "SHA-256 of the signed PDF, hex"}, "signer_name": str,
		"signer_fingerprint": map[string]any{"type": "string", "description": "SHA-256 of the signer certificate, hex"},
		"assessment_id":      integ, "vendor_id": integ, "vendor_name": str, "issued_at": map[string]any{"type": "string", "format": "date-time"},
		"issued_by": str, "revoked": boolT, "revoked_at": map[string]any{"type": "string", "format": "date-time"}, "revoked_by": str,
		"revocation_reason": str, "demo": boolT, "dev_certificate": boolT, "size": integ, "pdf_url": str}),
	"Revocation": obj([]string{"reason"}, map[string]any{"reason": map[string]any{"type": "string", "minLength": 5, "maxLength": 2000}}),
	"Contact":    obj([]string{"name", "email"}, map[string]any{"id": integ, "name": str, "email": map[string]any{"type": "string", "format": "email"}, "phone": str, "role": str}),
	"AssessmentList": obj([]string{"assessments", "total"}, map[string]any{"assessments": map[string]any{"type": "array", "items": ref("Assessment")},
		"total": integ, "offset": integ, "limit": integ}),
	"Assessment": obj([]string{"id", "vendor", "state", "due_date"}, map[string]any{"id": integ, "vendor": obj(nil, map[string]any{"id": integ, "name": str, "demo": boolT}),
		"title": str, "state": map[string]any{"type": "string", "enum": []string{"draft", "sent", "in_progress", "submitted", "in_review", "changes_requested", "approved", "rejected", "cancelled"}},
		"due_date": map[string]any{"type": "string", "format": "date"}, "overdue": boolT, "library": str, "library_version": str, "library_digest": str,
		"scope": strArr, "contact_email": str, "version": integ, "assignee": map[string]any{"type": "string", "description": "e-mail of the owner; empty for nobody"},
		"next_step": obj([]string{"party", "why", "text"}, map[string]any{"party": map[string]any{"type": "string", "enum": []string{"procurement", "risk_officer", "vendor", ""}},
			"why": str, "text": str, "overdue": boolT}),
		"scores": obj(nil, map[string]any{"rating": str, "tier": str, "compliance": map[string]any{"type": "number"}, "met": integ, "controls": integ,
			"readiness": map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "number"}}, "open_discrepancies": integ,
			"progress": map[string]any{"type": "number"}})}),
	"AssessmentDetail": map[string]any{"allOf": []any{ref("Assessment"), obj([]string{"result"}, map[string]any{"result": obj(nil, map[string]any{
		"controls": map[string]any{"type": "array", "items": obj(nil, map[string]any{"id": str, "status": str, "basis": str, "how_reached": str})},
		"readiness": map[string]any{"type": "object", "description": "keyed by MANRS action, e.g. netops-1",
			"additionalProperties": obj(nil, map[string]any{"percent": map[string]any{"type": "number"}, "level": str, "how_reached": str})},
		"discrepancies": map[string]any{"type": "array", "items": obj(nil, map[string]any{"key": str, "question": str, "check": str, "resolved": boolT})},
		"findings":      map[string]any{"type": "array", "items": map[string]any{"type": "object"}}, "waivers": map[string]any{"type": "array", "items": map[string]any{"type": "object"}},
		"inherent_risk": map[string]any{"type": "object"}, "residual_risk": map[string]any{"type": "object"}, "evaluation_card": map[string]any{"type": "object"}})})}},
	"AssessmentInput": obj([]string{"vendor_id", "due_date"}, map[string]any{"vendor_id": integ, "title": str, "due_date": map[string]any{"type": "string", "format": "date"}, "contact_email": str}),
	"SendResult":      obj([]string{"assessment", "mailed"}, map[string]any{"assessment": ref("Assessment"), "mailed": boolT, "invitation_url": str}),
	"Note":            obj(nil, map[string]any{"note": str}),
	"ReviewInput": obj(nil, map[string]any{"decisions": map[string]any{"type": "array", "items": obj([]string{"question", "decision"}, map[string]any{
		"question": str, "decision": map[string]any{"type": "string", "enum": []string{"accept", "request_changes", "finding"}}, "comment": str, "severity": str})},
		"return_to_vendor": boolT}),
	"Resolution": obj([]string{"key", "outcome", "reason"}, map[string]any{"key": str, "outcome": map[string]any{"type": "string", "enum": []string{"measurement", "answer"}}, "reason": str}),
	"Resolved":   obj(nil, map[string]any{"resolved": str}),
	"DueDate":    obj([]string{"due_date"}, map[string]any{"due_date": map[string]any{"type": "string", "format": "date"}}),
	"Waiver":     obj([]string{"control", "justification", "expires_at"}, map[string]any{"control": str, "justification": str, "expires_at": map[string]any{"type": "string", "format": "date"}}),
	"Waived":     obj(nil, map[string]any{"control": str, "expires_at": str}),
	"Alert": obj([]string{"id", "vendor_id", "asn", "rule", "severity", "state", "opened_at", "summary"}, map[string]any{
		"id": integ, "vendor_id": integ, "vendor": str, "asn": integ, "rule": str, "control": str,
		"severity": map[string]any{"type": "string", "enum": []string{"critical", "high", "medium", "low"}},
		"state":    map[string]any{"type": "string", "enum": []string{"open", "acknowledged", "resolved"}},
		"subject":  str, "summary": str, "evidence": map[string]any{"type": "array", "items": map[string]any{"type": "object"}},
		"snapshots": map[string]any{"type": "array", "items": integ}, "opened_at": str, "last_seen_at": str, "resolved_at": str,
		"acknowledged_at": str, "acknowledged_by": str, "acknowledgement_comment": str}),
	"AlertList":       obj([]string{"alerts"}, map[string]any{"alerts": map[string]any{"type": "array", "items": ref("Alert")}, "total": integ}),
	"Acknowledgement": obj(nil, map[string]any{"comment": str}),
	"History": obj([]string{"vendor_id", "asns"}, map[string]any{"vendor_id": integ, "since": str, "asns": map[string]any{"type": "array", "items": obj(nil, map[string]any{
		"asn": integ, "series": map[string]any{"type": "object", "description": "keyed by check ID: [{at, figure, status}]"},
		"changes": map[string]any{"type": "array", "items": obj(nil, map[string]any{"at": str, "asn": integ, "check": str, "from": str, "to": str, "added": strArr, "removed": strArr, "text": str})}})}}),
	"WebhookInput": obj([]string{"url", "events"}, map[string]any{"url": str, "secret": str, "events": strArr, "enabled": boolT}),
	"Webhook":      obj([]string{"id", "url", "events", "enabled"}, map[string]any{"id": integ, "url": str, "events": strArr, "enabled": boolT, "created_at": str, "created_by": str, "secret": str}),
	"WebhookList":  obj([]string{"webhooks"}, map[string]any{"webhooks": map[string]any{"type": "array", "items": ref("Webhook")}}),
	"DeliveryList": obj([]string{"deliveries"}, map[string]any{"deliveries": map[string]any{"type": "array", "items": obj(nil, map[string]any{
		"id": integ, "event": str, "state": str, "attempts": integ, "status_code": integ, "error": str, "created_at": str, "delivered_at": str})}}),
}
