package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
)

// TestEveryRouteEveryRole sends every registered route as every role (and anonymously) and
// checks that the role's permission decides: forbidden → 403, allowed → anything but 401/403.
// Pages use the session cookie with its CSRF token, API routes a bearer token.
func TestEveryRouteEveryRole(t *testing.T) {
	e := newEnv(t, true)
	ctx := context.Background()
	vendors, _, _ := e.db.FindVendors(ctx, rw.VendorFilter{})
	v, err := e.db.FindVendorByID(ctx, vendors[len(vendors)-1].ID)
	if err != nil {
		t.Fatal(err)
	}
	ids := strings.NewReplacer(":id", strconv.FormatInt(v.ID, 10), ":sid", strconv.FormatInt(v.Services[0].ID, 10),
		":nid", strconv.FormatInt(v.Networks[0].ID, 10), ":cid", "1", ":uid", "2")
	browsers := map[rw.Role]*browser{}
	for _, u := range demo.Users {
		b, code := e.login(u.Email, demo.Password)
		if code != http.StatusSeeOther || b.csrf == "" {
			t.Fatalf("login %s: %d", u.Email, code)
		}
		browsers[u.Role] = b
	}
	routes := e.srv.Routes()
	if len(routes) < 40 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	for _, r := range routes {
		path := ids.Replace(r.Path)
		for _, role := range append([]rw.Role{""}, rw.Roles...) {
			if r.Method != "GET" && strings.Contains(r.Path, "/delete") || r.Method == "DELETE" {
				// Destructive routes go last against a throw-away vendor: see below.
				continue
			}
			status := e.send(browsers, r.API, r.Method, path, role)
			checkStatus(t, r.Method+" "+r.Path, role, r.Perm, status)
		}
	}
	// Destructive routes: each role gets its own fresh vendor to delete from.
	for _, r := range routes {
		if !(r.Method == "DELETE" || strings.HasSuffix(r.Path, "/delete")) {
			continue
		}
		for _, role := range append([]rw.Role{""}, rw.Roles...) {
			fresh := demo.Portfolio()[0]
			fresh.LEI = ""
			if err := e.db.CreateVendor(ctx, fresh); err != nil {
				t.Fatal(err)
			}
			id := fresh.ID
			if strings.Contains(r.Path, "/webhooks/") {
				w := &rw.Webhook{URL: "https://hooks.example.com/rw", Secret: "0123456789abcdef", Events: []string{"alert.opened"}, Enabled: true}
				if err := e.db.CreateWebhook(ctx, w); err != nil {
					t.Fatal(err)
				}
				id = w.ID
			}
			path := strings.NewReplacer(":id", strconv.FormatInt(id, 10), ":sid", strconv.FormatInt(fresh.Services[0].ID, 10),
				":nid", strconv.FormatInt(fresh.Networks[0].ID, 10), ":cid", strconv.FormatInt(fresh.Contacts[0].ID, 10)).Replace(r.Path)
			status := e.send(browsers, r.API, r.Method, path, role)
			checkStatus(t, r.Method+" "+r.Path, role, r.Perm, status)
			if role != "" && r.Perm != "" && rw.Role(role).Can(r.Perm) && status >= 400 {
				t.Errorf("%s %s as %s: allowed but got %d", r.Method, path, role, status)
			}
		}
	}
}

func checkStatus(t *testing.T, route string, role rw.Role, perm rw.Permission, status int) {
	t.Helper()
	switch {
	case perm == "":
		if status == 401 || status == 403 || status >= 500 {
			t.Errorf("%s (public) as %q: %d", route, role, status)
		}
	case role == "":
		if status != 401 && status != http.StatusSeeOther {
			t.Errorf("%s anonymously: %d, want 401 or a redirect to /login", route, status)
		}
	case role.Can(perm):
		if status == 401 || status == 403 || status >= 500 {
			t.Errorf("%s as %s: %d, but the role holds %q", route, role, status, perm)
		}
	default:
		if status != 403 {
			t.Errorf("%s as %s: %d, want 403 (role lacks %q)", route, role, status, perm)
		}
	}
}

func (e *env) send(browsers map[rw.Role]*browser, api bool, method, path string, role rw.Role) int {
	e.t.Helper()
	var body string
	if api && method != "GET" {
		body = "{}"
	}
	req, _ := http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if api {
		req.Header.Set("Content-Type", "application/json")
		if role != "" {
			req.Header.Set("Authorization", "Bearer "+e.tokens[role])
		}
	} else if role != "" {
		b := browsers[role]
		client = b.c
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-CSRF-Token", b.csrf)
	}
	if path == "/logout" && role != "" {
		return 303 // signing out would end the role's session for the rest of the test
	}
	if path == "/login" && method == "POST" {
		return 200 // needs the login form's own CSRF cookie; TestLogin covers it
	}
	resp, err := client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
