package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"routewarden/internal/loadgen"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
	"routewarden/internal/store"
)

// loadEnv is a served, filled database and the credentials the scenarios use.
type loadEnv struct {
	o       loadOptions
	db      *store.DB
	base    string
	stop    func()
	client  *http.Client
	session string // auditor's session cookie value
	token   string // admin's API bearer token
	vendors []int64
	portal  []*portalClient
	setup   time.Duration
}

// portalClient is one vendor's open questionnaire: its session and the question it edits.
type portalClient struct {
	assessment int64
	cookie     string
	csrf       string
	question   string
	version    int
}

func newLoadEnv(ctx context.Context, db *store.DB, dir string, o loadOptions, log *slog.Logger) (*loadEnv, error) {
	t0 := time.Now()
	if _, err := db.MigrateUp(ctx); err != nil {
		return nil, err
	}
	lib, err := loadLibrary(ctx, db, log)
	if err != nil {
		return nil, err
	}
	if err := seedDemo(ctx, db, log); err != nil {
		return nil, err
	}
	e := &loadEnv{o: o, db: db}
	if e.vendors, err = fillVendors(ctx, db, o.Vendors, db.Dialect == store.Postgres); err != nil {
		return nil, err
	}
	cfg := config{Addr: "127.0.0.1:0", DataDir: dir, DB: db.DSN, CookieSecure: "false"}
	srv, stopQueue, err := newServerAsServe(ctx, &cfg, db, lib, log)
	if err != nil {
		return nil, err
	}
	base, stopHTTP, err := serveLoopback(srv.Handler())
	if err != nil {
		stopQueue()
		return nil, err
	}
	e.base, e.stop = base, func() { stopHTTP(); stopQueue() }
	tr := &http.Transport{MaxIdleConns: 2048, MaxIdleConnsPerHost: 1024, IdleConnTimeout: time.Minute}
	e.client = &http.Client{Transport: tr, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if err := e.credentials(ctx); err != nil {
		e.close()
		return nil, err
	}
	if err := e.openPortals(ctx); err != nil {
		e.close()
		return nil, err
	}
	e.setup = time.Since(t0)
	return e, nil
}

func (e *loadEnv) close() {
	if e.stop != nil {
		e.stop()
	}
	e.client.CloseIdleConnections()
}

var (
	loadWords   = []string{"Alpine", "Baltic", "Coastal", "Delta", "Nordic", "Summit", "Harbour", "Granite", "Pacific", "Lagoon", "Zenith", "Orbit"}
	loadKinds   = []string{"Transit", "Fibre", "Cloud", "Networks", "Carrier", "Exchange", "Hosting", "Telecom"}
	loadSuffix  = []string{"GmbH", "AG", "Ltd", "B.V.", "SA", "Inc.", "Oy", "AB"}
	loadCountry = []string{"DE", "NL", "FR", "US", "GB", "FI", "SE", "IE"}
)

// loadVendorName is the i-th generated vendor name: mixed words, so that searches match one
// vendor (the number) or hundreds (a word).
func loadVendorName(i int) string {
	return fmt.Sprintf("%s %s %05d %s", loadWords[i%len(loadWords)], loadKinds[(i/7)%len(loadKinds)], i, loadSuffix[(i/3)%len(loadSuffix)])
}

// fillVendors creates n vendors with a service, one or two networks and a contact each.
func fillVendors(ctx context.Context, db *store.DB, n int, parallel bool) ([]int64, error) {
	ids := make([]int64, n)
	workers := 1
	if parallel {
		workers = 8
	}
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				v := &rw.Vendor{LegalName: loadVendorName(i), Country: loadCountry[i%len(loadCountry)],
					Website:  fmt.Sprintf("https://vendor-%05d.example", i),
					Services: []*rw.Service{{Name: "IP transit", Type: "S10", ProviderType: rw.ProviderTransit, Critical: i%5 == 0}},
					Networks: []*rw.Network{{ASN: uint32(200000 + i), Name: "Backbone"}},
					Contacts: []*rw.Contact{{Name: "NOC", Email: fmt.Sprintf("noc@vendor-%05d.example", i), Role: "NOC"}}}
				if i%4 == 0 {
					v.Networks = append(v.Networks, &rw.Network{ASN: uint32(300000 + i), Name: "Access"})
				}
				if err := db.CreateVendor(ctx, v); err != nil {
					errc <- fmt.Errorf("vendor %d: %w", i, err)
					return
				}
				ids[i] = v.ID
			}
		})
	}
	wg.Wait()
	close(errc)
	return ids, <-errc
}

// credentials creates an auditor session for the pages and an admin API token for the writes,
// the way login and `token create` do.
func (e *loadEnv) credentials(ctx context.Context) error {
	auditor, err := e.db.FindUserByEmail(ctx, "auditor@demo.example")
	if err != nil {
		return err
	}
	e.session = secret.NewToken("")
	if err := e.db.CreateSession(ctx, &rw.Session{TokenHash: secret.HashToken(e.session), UserID: auditor.ID,
		CSRFToken: secret.NewToken(""), ExpiresAt: e.db.Now().Add(24 * time.Hour)}); err != nil {
		return err
	}
	admin, err := e.db.FindUserByEmail(ctx, "admin@demo.example")
	if err != nil {
		return err
	}
	e.token = secret.NewToken("rw_")
	return e.db.CreateAPIToken(ctx, &rw.APIToken{UserID: admin.ID, Name: "load", TokenHash: secret.HashToken(e.token)})
}

var (
	loadYesNo   = regexp.MustCompile(`type="radio" name="a:([^"]+)" value="yes"`)
	loadVersion = `name="v:%s" value="(\d+)"`
)

// openPortals creates and sends an assessment for each portal vendor through the API and opens
// a portal session for it (the invitation link's exchange, without its per-address limit).
func (e *loadEnv) openPortals(ctx context.Context) error {
	for i := range e.o.PortalVendors {
		vid := e.vendors[i*len(e.vendors)/e.o.PortalVendors]
		var a struct {
			ID int64 `json:"id"`
		}
		body := fmt.Sprintf(`{"vendor_id":%d,"title":"Load %d","contact_email":"noc@load.example","due_date":%q}`, vid, i, e.db.Now().AddDate(0, 1, 0).Format(time.DateOnly))
		if err := e.api(ctx, "POST", "/api/v1/assessments", body, http.StatusCreated, &a); err != nil {
			return fmt.Errorf("create assessment: %w", err)
		}
		if err := e.api(ctx, "POST", fmt.Sprintf("/api/v1/assessments/%d/send", a.ID), "", http.StatusOK, nil); err != nil {
			return fmt.Errorf("send assessment: %w", err)
		}
		invs, err := e.db.FindInvitations(ctx, a.ID)
		if err != nil || len(invs) == 0 {
			return fmt.Errorf("assessment %d has no invitation (%v)", a.ID, err)
		}
		p := &portalClient{assessment: a.ID, cookie: secret.NewToken(""), csrf: secret.NewToken("")}
		if err := e.db.CreatePortalSession(ctx, &rw.PortalSession{TokenHash: secret.HashToken(p.cookie), InvitationID: invs[0].ID,
			AssessmentID: a.ID, Email: invs[0].Email, CSRFToken: p.csrf, ExpiresAt: e.db.Now().Add(24 * time.Hour)}); err != nil {
			return err
		}
		if err := e.portalQuestion(ctx, p); err != nil {
			return err
		}
		e.portal = append(e.portal, p)
	}
	return nil
}

// portalQuestion reads the portal page and picks its first yes/no question and its version.
func (e *loadEnv) portalQuestion(ctx context.Context, p *portalClient) error {
	page, err := e.get(ctx, fmt.Sprintf("/portal/a/%d", p.assessment), "rw_portal", p.cookie)
	if err != nil {
		return err
	}
	m := loadYesNo.FindStringSubmatch(page)
	if m == nil {
		return fmt.Errorf("portal page of assessment %d has no yes/no question", p.assessment)
	}
	p.question = m[1]
	if v := regexp.MustCompile(fmt.Sprintf(loadVersion, regexp.QuoteMeta(m[1]))).FindStringSubmatch(page); v != nil {
		p.version, _ = strconv.Atoi(v[1])
	}
	return nil
}

// scenarios are the measured request kinds, in report order.
func (e *loadEnv) scenarios() []loadgen.Scenario {
	w := e.o.Workers
	n := len(e.vendors)
	searches := func(i int) string {
		switch i % 4 {
		case 0:
			return fmt.Sprintf("%05d", (i*7919)%n) // one vendor by its number
		case 1:
			return fmt.Sprintf("AS%d", 200000+(i*104729)%n) // by ASN
		case 2:
			return strings.ToLower(loadWords[i%len(loadWords)]) + " " + strings.ToLower(loadKinds[(i/3)%len(loadKinds)]) // hundreds
		}
		return loadKinds[i%len(loadKinds)] // about an eighth of all vendors
	}
	return []loadgen.Scenario{
		{Name: "vendor list (page 1-200)", Workers: w, Do: func(ctx context.Context, wk, i int) error {
			_, err := e.get(ctx, fmt.Sprintf("/vendors?page=%d", 1+(i*31+wk)%200), "rw_session", e.session)
			return err
		}},
		{Name: "vendor search", Workers: w, Do: func(ctx context.Context, wk, i int) error {
			_, err := e.get(ctx, "/vendors?q="+url.QueryEscape(searches(i*w+wk)), "rw_session", e.session)
			return err
		}},
		{Name: "vendor page", Workers: w, Do: func(ctx context.Context, wk, i int) error {
			_, err := e.get(ctx, fmt.Sprintf("/vendors/%d", e.vendors[(i*7919+wk*104729)%n]), "rw_session", e.session)
			return err
		}},
		{Name: fmt.Sprintf("portal autosave (%d vendors)", len(e.portal)), Workers: len(e.portal), Do: func(ctx context.Context, wk, i int) error {
			return e.autosave(ctx, e.portal[wk], i)
		}},
		{Name: "API vendor create", Workers: w, Do: func(ctx context.Context, wk, i int) error {
			body := fmt.Sprintf(`{"legal_name":"API load %d-%d","country":"DE","services":[{"name":"Transit","type":"S10","provider_type":"transit"}],"networks":[{"asn":%d}]}`,
				wk, i, 400000+wk*100000+i%100000)
			return e.api(ctx, "POST", "/api/v1/vendors", body, http.StatusCreated, nil)
		}},
	}
}

// autosave sends the portal script's background save of one answer and keeps its version.
func (e *loadEnv) autosave(ctx context.Context, p *portalClient, i int) error {
	f := url.Values{"q": {p.question}, "a:" + p.question: {[]string{"yes", "no"}[i%2]},
		"c:" + p.question: {fmt.Sprintf("autosave %d", i)}, "v:" + p.question: {strconv.Itoa(p.version)}}
	req, err := http.NewRequestWithContext(ctx, "POST", fmt.Sprintf("%s/portal/a/%d/answers", e.base, p.assessment), strings.NewReader(f.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Autosave", "1")
	req.Header.Set("X-CSRF-Token", p.csrf)
	req.AddCookie(&http.Cookie{Name: "rw_portal", Value: p.cookie})
	var res struct {
		Saved    int            `json:"saved"`
		Versions map[string]int `json:"versions"`
	}
	if err := e.do(req, http.StatusOK, &res); err != nil {
		return err
	}
	if v, ok := res.Versions[p.question]; ok {
		p.version = v
	}
	if res.Saved != 1 {
		return fmt.Errorf("autosave of %s saved %d answers, want 1", p.question, res.Saved)
	}
	return nil
}

func (e *loadEnv) get(ctx context.Context, path, cookie, value string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", e.base+path, nil)
	if err != nil {
		return "", err
	}
	req.AddCookie(&http.Cookie{Name: cookie, Value: value})
	var page bytes.Buffer
	err = e.do(req, http.StatusOK, &page)
	return page.String(), err
}

func (e *loadEnv) api(ctx context.Context, method, path, body string, want int, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, e.base+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("Content-Type", "application/json")
	return e.do(req, want, out)
}

// do sends req and checks the status; out is a *bytes.Buffer for the raw body, or a value to
// decode JSON into, or nil.
func (e *loadEnv) do(req *http.Request, want int, out any) error {
	resp, err := e.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: status %d, want %d: %.200s", req.Method, req.URL.Path, resp.StatusCode, want, body)
	}
	switch out := out.(type) {
	case nil:
	case *bytes.Buffer:
		out.Write(body)
	default:
		return json.Unmarshal(body, out)
	}
	return nil
}
