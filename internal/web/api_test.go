package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	rw "routewarden/internal/routewarden"
)

func errField(body map[string]any) (code, field string) {
	e, _ := body["error"].(map[string]any)
	code, _ = e["code"].(string)
	field, _ = e["field"].(string)
	return
}

func TestAPIAuthAndValidation(t *testing.T) {
	e := newEnv(t, true)
	before := e.countVendors()
	cases := []struct {
		name         string
		method, path string
		role         rw.Role
		body         string
		status       int
		code, field  string
	}{
		{"no token", "GET", "/api/v1/vendors", "", "", 401, "unauthorized", ""},
		{"auditor may not write", "POST", "/api/v1/vendors", rw.RoleAuditor, `{"legal_name":"X","country":"DE"}`, 403, "forbidden", ""},
		{"risk officer may not write", "DELETE", "/api/v1/vendors/1", rw.RoleRiskOfficer, "", 403, "forbidden", ""},
		{"bad LEI", "POST", "/api/v1/vendors", rw.RoleAdmin, `{"legal_name":"Bad LEI Ltd","lei":"5493001KJTIIGC8Y1R13","country":"DE"}`, 400, "invalid", "lei"},
		{"bad country", "POST", "/api/v1/vendors", rw.RoleProcurement, `{"legal_name":"X","country":"XX"}`, 400, "invalid", "country"},
		{"missing name", "POST", "/api/v1/vendors", rw.RoleProcurement, `{"country":"DE"}`, 400, "invalid", "legal_name"},
		{"unknown field", "POST", "/api/v1/vendors", rw.RoleProcurement, `{"legal_name":"X","country":"DE","ceo":"Y"}`, 400, "invalid", "ceo"},
		{"not JSON", "POST", "/api/v1/vendors", rw.RoleProcurement, `{"legal_name":`, 400, "invalid", ""},
		{"two objects", "POST", "/api/v1/vendors", rw.RoleProcurement, `{"legal_name":"X","country":"DE"}{}`, 400, "invalid", ""},
		{"AS0", "POST", "/api/v1/vendors", rw.RoleProcurement, `{"legal_name":"X","country":"DE","networks":[{"asn":0}]}`, 400, "invalid", "networks[0].asn"},
		{"ASN too big", "POST", "/api/v1/vendors", rw.RoleProcurement, `{"legal_name":"X","country":"DE","networks":[{"asn":4294967296}]}`, 400, "invalid", "networks.asn"},
		{"host bits", "POST", "/api/v1/vendors", rw.RoleProcurement, `{"legal_name":"X","country":"DE","networks":[{"asn":64500,"expected_prefixes":["192.0.2.1/24"]}]}`, 400, "invalid", "networks[0].expected_prefixes"},
		{"bad service type", "POST", "/api/v1/vendors", rw.RoleProcurement, `{"legal_name":"X","country":"DE","services":[{"name":"s","type":"S20","provider_type":"transit"}]}`, 400, "invalid", "services[0].type"},
		{"missing vendor", "GET", "/api/v1/vendors/999999", rw.RoleAuditor, "", 404, "not_found", ""},
		{"malformed id", "GET", "/api/v1/vendors/abc", rw.RoleAuditor, "", 404, "not_found", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.api(tc.method, tc.path, tc.role, tc.body)
			code, field := errField(body)
			if status != tc.status || code != tc.code || (tc.field != "" && field != tc.field) {
				t.Errorf("%s %s as %q: %d %s field=%q, want %d %s field=%q (%v)", tc.method, tc.path, tc.role, status, code, field, tc.status, tc.code, tc.field, body)
			}
		})
	}
	if after := e.countVendors(); after != before {
		t.Fatalf("refused requests changed the vendor count from %d to %d", before, after)
	}
	big := `{"legal_name":"` + strings.Repeat("x", 2<<20) + `","country":"DE"}`
	if status, body := e.api("POST", "/api/v1/vendors", rw.RoleAdmin, big); status != 413 {
		t.Errorf("oversize body: %d %v, want 413 (see TestBodyLimits)", status, body)
	}
}

func TestAPIVendorLifecycle(t *testing.T) {
	e := newEnv(t, false)
	status, v := e.api("POST", "/api/v1/vendors", rw.RoleProcurement, `{"legal_name":"Réseau Test","lei":"5493001KJTIIGC8Y1R12","country":"fr",
		"services":[{"name":"Transit","type":"S10","provider_type":"transit","critical":true,"regulations":["DORA"],"contract_start":"2025-01-01","contract_end":"2026-01-01"}],
		"networks":[{"asn":"AS3333","expected_prefixes":["193.0.0.0/21"],"as_set":"AS-RIPENCC"},{"asn":65000}]}`)
	if status != 201 {
		t.Fatalf("create: %d %v", status, v)
	}
	id := int(v["id"].(float64))
	nets := v["networks"].([]any)
	if len(nets) != 2 || nets[1].(map[string]any)["warning"] == "" || v["critical"] != true || v["country"] != "FR" {
		t.Fatalf("created vendor: %v", v)
	}
	path := fmt.Sprintf("/api/v1/vendors/%d", id)
	if status, got := e.api("GET", path, rw.RoleAuditor, ""); status != 200 || got["legal_name"] != "Réseau Test" {
		t.Fatalf("get: %d %v", status, got)
	}
	if status, got := e.api("PATCH", path, rw.RoleProcurement, `{"website":"https://r.example","version":1}`); status != 200 || got["version"].(float64) != 2 {
		t.Fatalf("patch: %d %v", status, got)
	}
	if status, got := e.api("PATCH", path, rw.RoleProcurement, `{"legal_name":"Lost update","version":1}`); status != http.StatusConflict {
		t.Fatalf("stale patch: %d %v", status, got)
	}
	if status, got := e.api("POST", path+"/networks", rw.RoleProcurement, `{"asn":3333}`); status != http.StatusConflict {
		t.Fatalf("duplicate network: %d %v", status, got)
	}
	status, n := e.api("POST", path+"/networks", rw.RoleProcurement, `{"asn":"AS196615","expected_prefixes":["2001:db8::/32"]}`)
	if status != 201 {
		t.Fatalf("add network: %d %v", status, n)
	}
	if status, _ := e.api("DELETE", fmt.Sprintf("%s/networks/%d", path, int(n["id"].(float64))), rw.RoleProcurement, ""); status != 204 {
		t.Fatalf("delete network: %d", status)
	}
	if status, _ := e.api("DELETE", path, rw.RoleAdmin, ""); status != 204 {
		t.Fatalf("delete: %d", status)
	}
	if status, _ := e.api("GET", path, rw.RoleAdmin, ""); status != 404 {
		t.Fatalf("after delete: %d", status)
	}
}

func TestAPIListsDemoVendors(t *testing.T) {
	e := newEnv(t, true)
	status, body := e.api("GET", "/api/v1/vendors?q=transit", rw.RoleAuditor, "")
	rows, _ := body["vendors"].([]any)
	if status != 200 || len(rows) != 1 || body["total"].(float64) != 1 {
		t.Fatalf("search: %d %v", status, body)
	}
	status, body = e.api("GET", "/api/v1/vendors?limit=3&offset=3", rw.RoleAuditor, "")
	if rows, _ := body["vendors"].([]any); status != 200 || len(rows) != 3 || body["total"].(float64) < 8 {
		t.Fatalf("page: %d %v", status, body)
	}
}
