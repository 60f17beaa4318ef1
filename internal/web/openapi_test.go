package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestOpenAPIMatchesRoutes keeps /api/v1/openapi.json in step with the registered API routes:
// every route is documented with a summary and responses, and nothing else is.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t, false)
	resp, err := http.Get(e.ts.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("document: %v %q", err, doc.OpenAPI)
	}
	param := regexp.MustCompile(`:([a-z]+)`)
	want := map[string]bool{}
	for _, r := range e.srv.Routes() {
		if !r.API {
			continue
		}
		p := param.ReplaceAllString(r.Path, "{$1}")
		key := strings.ToLower(r.Method) + " " + p
		want[key] = true
		op, ok := doc.Paths[p][strings.ToLower(r.Method)]
		if !ok {
			t.Errorf("route %s is not in the OpenAPI document", key)
			continue
		}
		if s, _ := op["summary"].(string); s == "" {
			t.Errorf("%s has no summary (add it to apiOps)", key)
		}
		if rs, _ := op["responses"].(map[string]any); len(rs) == 0 {
			t.Errorf("%s has no responses", key)
		}
	}
	for p, ops := range doc.Paths {
		for m := range ops {
			if !want[m+" "+p] {
				t.Errorf("OpenAPI documents %s %s, which is not a route", m, p)
			}
		}
	}
}
