package web

import (
	"strconv"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
)

// monitorRoutes are the continuous-monitoring pages and API: alerts, vendor history, webhooks
// and the job queue's admin view.
func (s *Server) monitorRoutes() []route {
	read, decide, admin := rw.PermRead, rw.PermAssessmentDecide, rw.PermUserAdmin
	return []route{
		{"GET", "/alerts", read, false, s.alertList},
		{"POST", "/alerts/:id/acknowledge", decide, false, s.alertAcknowledge},
		{"GET", "/vendors/:id/history", read, false, s.vendorHistory},
		{"GET", "/admin/webhooks", admin, false, s.webhookList},
		{"POST", "/admin/webhooks", admin, false, s.webhookCreate},
		{"GET", "/admin/webhooks/:id", admin, false, s.webhookShow},
		{"POST", "/admin/webhooks/:id/delete", admin, false, s.webhookDelete},
		{"POST", "/admin/webhooks/:id/test", admin, false, s.webhookTest},
		{"GET", "/admin/jobs", admin, false, s.jobList},
		{"POST", "/admin/jobs/:id/retry", admin, false, s.jobRetry},

		{"GET", "/api/v1/alerts", read, true, s.apiAlertList},
		{"POST", "/api/v1/alerts/:id/acknowledge", decide, true, s.apiAlertAcknowledge},
		{"GET", "/api/v1/vendors/:id/history", read, true, s.apiVendorHistory},
		{"GET", "/api/v1/webhooks", admin, true, s.apiWebhookList},
		{"POST", "/api/v1/webhooks", admin, true, s.apiWebhookCreate},
		{"DELETE", "/api/v1/webhooks/:id", admin, true, s.apiWebhookDelete},
		{"GET", "/api/v1/webhooks/:id/deliveries", admin, true, s.apiWebhookDeliveries},
	}
}

// monitoring answers 404 when the server was built without monitoring.
func (s *Server) monitoring(c *gin.Context) bool {
	if s.deps.Monitor == nil {
		s.fail(c, rw.Errorf(rw.ENOTFOUND, "Monitoring is not configured on this server."))
		return false
	}
	return true
}

// idParam reads a positive numeric path parameter; a malformed one is a 404 naming what.
func idParam(c *gin.Context, what string) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, rw.Errorf(rw.ENOTFOUND, "There is no %s with ID %q.", what, c.Param("id"))
	}
	return id, nil
}
