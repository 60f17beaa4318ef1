package web

import (
	"io/fs"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	rw "routewarden/internal/routewarden"
)

// Public marks a route that needs no sign-in.
const Public rw.Permission = ""

// route is one registered endpoint with the permission it requires. The table is the single
// source for registration, the role tests and the OpenAPI consistency test.
type route struct {
	Method, Path string
	Perm         rw.Permission
	API          bool // JSON with bearer tokens (and sessions), under /api/v1
	handler      gin.HandlerFunc
}

// Route describes a registered endpoint for tests and documentation.
type Route struct {
	Method, Path string
	Perm         rw.Permission
	API          bool
}

// Routes lists every registered endpoint.
func (s *Server) Routes() []Route {
	out := make([]Route, len(s.routes))
	for i, r := range s.routes {
		out[i] = Route{r.Method, r.Path, r.Perm, r.API}
	}
	return out
}

func (s *Server) registerRoutes(reg *prometheus.Registry) {
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if s.deps.Jobs != nil {
		reg.MustRegister(jobCollector{s.deps.Jobs})
	}
	read, write, admin := rw.PermRead, rw.PermVendorWrite, rw.PermUserAdmin
	s.routes = []route{
		{"GET", "/healthz", Public, false, s.healthz},
		{"GET", "/readyz", Public, false, s.readyz},
		{"GET", "/metrics", Public, false, s.metricsHandler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))},
		{"GET", "/login", Public, false, s.loginPage},
		{"POST", "/login", Public, false, s.login},
		{"POST", "/logout", read, false, s.logout},
		{"GET", "/", read, false, s.dashboardPage},

		{"GET", "/vendors", read, false, s.vendorList},
		{"GET", "/vendors/new", write, false, s.vendorNew},
		{"POST", "/vendors", write, false, s.vendorCreate},
		{"GET", "/vendors/:id", read, false, s.vendorShow},
		{"GET", "/vendors/:id/edit", write, false, s.vendorEdit},
		{"POST", "/vendors/:id", write, false, s.vendorUpdate},
		{"POST", "/vendors/:id/delete", write, false, s.vendorDelete},
		{"GET", "/vendors/:id/services/new", write, false, s.serviceNew},
		{"POST", "/vendors/:id/services", write, false, s.serviceCreate},
		{"GET", "/vendors/:id/services/:sid/edit", write, false, s.serviceEdit},
		{"POST", "/vendors/:id/services/:sid", write, false, s.serviceUpdate},
		{"POST", "/vendors/:id/services/:sid/delete", write, false, s.serviceDelete},
		{"GET", "/vendors/:id/networks/new", write, false, s.networkNew},
		{"POST", "/vendors/:id/networks", write, false, s.networkCreate},
		{"GET", "/vendors/:id/networks/:nid/edit", write, false, s.networkEdit},
		{"POST", "/vendors/:id/networks/:nid", write, false, s.networkUpdate},
		{"POST", "/vendors/:id/networks/:nid/delete", write, false, s.networkDelete},
		{"GET", "/vendors/:id/contacts/new", write, false, s.contactNew},
		{"POST", "/vendors/:id/contacts", write, false, s.contactCreate},
		{"POST", "/vendors/:id/contacts/:cid/delete", write, false, s.contactDelete},

		{"GET", "/attestations", read, false, s.attestationList},
		{"POST", "/attestations/:id/revoke", rw.PermAttest, false, s.attestationRevoke},
		{"POST", "/assessments/:id/attestations", rw.PermAttest, false, s.attestationIssue},
		{"GET", "/assessments/:id/attestations/reissue", rw.PermAttest, false, s.attestationReissue},
		{"GET", "/verify", Public, false, s.verifyPage},
		{"POST", "/verify", Public, false, s.verifyUpload(s.newVerifyLimiter())},

		{"GET", "/asn/:asn", read, false, s.asnPage},
		{"GET", "/data", read, false, s.dataPage},
		{"POST", "/data/import", rw.PermDataImport, false, s.dataImport},

		{"GET", "/controls", read, false, s.controlList},
		{"GET", "/controls/:id", read, false, s.controlShow},
		{"GET", "/obligations", read, false, s.obligationList},
		{"GET", "/obligations/:id", read, false, s.obligationShow},
		{"GET", "/coverage", read, false, s.coverage},

		{"GET", "/admin/users", admin, false, s.userList},
		{"POST", "/admin/users", admin, false, s.userCreate},
		{"GET", "/admin/users/:uid/edit", admin, false, s.userEdit},
		{"POST", "/admin/users/:uid", admin, false, s.userUpdate},

		{"GET", "/api/v1/openapi.json", Public, true, s.openAPI},
		{"GET", "/api/v1/me", read, true, s.apiMe},
		{"GET", "/api/v1/reference", read, true, s.apiReference},
		{"GET", "/api/v1/checks", read, true, s.apiChecks},
		{"GET", "/api/v1/snapshots", read, true, s.apiSnapshots},
		{"GET", "/api/v1/controls", read, true, s.apiControlList},
		{"GET", "/api/v1/controls/:id", read, true, s.apiControlGet},
		{"GET", "/api/v1/obligations", read, true, s.apiObligationList},
		{"GET", "/api/v1/obligations/:id", read, true, s.apiObligationGet},
		{"GET", "/api/v1/vendors", read, true, s.apiVendorList},
		{"POST", "/api/v1/vendors", write, true, s.apiVendorCreate},
		{"GET", "/api/v1/vendors/:id", read, true, s.apiVendorGet},
		{"PATCH", "/api/v1/vendors/:id", write, true, s.apiVendorUpdate},
		{"DELETE", "/api/v1/vendors/:id", write, true, s.apiVendorDelete},
		{"POST", "/api/v1/vendors/:id/services", write, true, s.apiServiceCreate},
		{"PUT", "/api/v1/vendors/:id/services/:sid", write, true, s.apiServiceUpdate},
		{"DELETE", "/api/v1/vendors/:id/services/:sid", write, true, s.apiServiceDelete},
		{"POST", "/api/v1/vendors/:id/networks", write, true, s.apiNetworkCreate},
		{"PUT", "/api/v1/vendors/:id/networks/:nid", write, true, s.apiNetworkUpdate},
		{"DELETE", "/api/v1/vendors/:id/networks/:nid", write, true, s.apiNetworkDelete},
		{"POST", "/api/v1/vendors/:id/contacts", write, true, s.apiContactCreate},
		{"DELETE", "/api/v1/vendors/:id/contacts/:cid", write, true, s.apiContactDelete},
		{"GET", "/api/v1/attestations", read, true, s.apiAttestationList},
		{"GET", "/api/v1/attestations/:id", read, true, s.apiAttestationGet},
		{"GET", "/api/v1/attestations/:id/pdf", read, true, s.attestationPDF},
		{"POST", "/api/v1/attestations/:id/revoke", rw.PermAttest, true, s.apiAttestationRevoke},
		{"POST", "/api/v1/assessments/:id/attestations", rw.PermAttest, true, s.apiAttestationIssue},
	}
	s.routes = append(s.routes, s.assessmentRoutes()...)
	s.routes = append(s.routes, s.monitorRoutes()...)
	s.routes = append(s.routes, s.reportRoutes()...)
	s.routes = append(s.routes, s.roiRoutes()...)
	s.routes = append(s.routes, s.boardRoutes()...)
	static, _ := fs.Sub(s.deps.Static, ".")
	s.engine.GET("/static/*filepath", s.cacheStatic, gin.WrapH(http.StripPrefix("/static/", http.FileServerFS(static))))
	for _, r := range s.routes {
		chain := []gin.HandlerFunc{s.metrics.instrument(r.Path), s.limitBody(r.Method, r.Path)}
		if r.Perm != Public {
			chain = append(chain, s.authenticate(r.API), s.require(r.Perm, r.API), s.checkCSRF)
		}
		s.engine.Handle(r.Method, r.Path, append(chain, r.handler)...)
	}
}

func (s *Server) cacheStatic(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=3600")
}
