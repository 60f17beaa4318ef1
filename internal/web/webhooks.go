package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
)

// webhookInput is the body of POST /api/v1/webhooks and the admin form. An empty secret makes
// the server generate one (shown once).
type webhookInput struct {
	URL     string   `form:"url" json:"url" validate:"required,max=2000"`
	Secret  string   `form:"secret" json:"secret" validate:"omitempty,min=16,max=200"`
	Events  []string `form:"events" json:"events" validate:"required,min=1,max=10"`
	Enabled *bool    `json:"enabled"`
}

type webhookJSON struct {
	ID        int64     `json:"id"`
	URL       string    `json:"url"`
	Events    []string  `json:"events"`
	Enabled   bool      `json:"enabled"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
	Secret    string    `json:"secret,omitempty"` // only in the answer to a create without a secret
}

func toWebhookJSON(w *rw.Webhook) webhookJSON {
	return webhookJSON{ID: w.ID, URL: w.URL, Events: w.Events, Enabled: w.Enabled, CreatedAt: w.CreatedAt, CreatedBy: w.CreatedBy}
}

type deliveryJSON struct {
	ID          int64      `json:"id"`
	Event       string     `json:"event"`
	State       string     `json:"state"`
	Attempts    int        `json:"attempts"`
	StatusCode  int        `json:"status_code"`
	Error       string     `json:"error,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
}

// createWebhook validates in (URL policy, event names) and stores the webhook.
func (s *Server) createWebhook(c *gin.Context, in webhookInput) (*rw.Webhook, bool, error) {
	if err := s.check(&in); err != nil {
		return nil, false, err
	}
	in.URL = strings.TrimSpace(in.URL)
	if s.deps.WebhookPolicy != nil {
		if err := s.deps.WebhookPolicy.CheckURL(in.URL); err != nil {
			return nil, false, rw.FieldError("url", "%s", err.Error())
		}
	}
	seen := map[string]bool{}
	var events []string
	for _, e := range in.Events {
		if !rw.ValidWebhookEvent(e) {
			return nil, false, rw.FieldError("events", "unknown event %q; known: %s", e, strings.Join(rw.WebhookEvents, ", "))
		}
		if !seen[e] {
			seen[e] = true
			events = append(events, e)
		}
	}
	generated := in.Secret == ""
	if generated {
		b := make([]byte, 24)
		if _, err := rand.Read(b); err != nil {
			return nil, false, err
		}
		in.Secret = "whsec_" + hex.EncodeToString(b)
	}
	w := &rw.Webhook{URL: in.URL, Secret: in.Secret, Events: events, Enabled: in.Enabled == nil || *in.Enabled, CreatedBy: currentUser(c).Email}
	if err := s.deps.Monitor.CreateWebhook(c.Request.Context(), w); err != nil {
		return nil, false, err
	}
	s.log.Info("webhook created", "request_id", c.GetString(ctxRequestID), "webhook_id", w.ID, "by_user_id", currentUser(c).ID)
	return w, generated, nil
}

func (s *Server) apiWebhookCreate(c *gin.Context) {
	if !s.monitoring(c) {
		return
	}
	var in webhookInput
	if err := s.bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	w, generated, err := s.createWebhook(c, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := toWebhookJSON(w)
	if generated {
		out.Secret = w.Secret
	}
	c.JSON(http.StatusCreated, out)
}

func (s *Server) apiWebhookList(c *gin.Context) {
	if !s.monitoring(c) {
		return
	}
	ws, err := s.deps.Monitor.FindWebhooks(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]webhookJSON, len(ws))
	for i := range ws {
		out[i] = toWebhookJSON(&ws[i])
	}
	c.JSON(http.StatusOK, gin.H{"webhooks": out})
}

func (s *Server) apiWebhookDelete(c *gin.Context) {
	if !s.monitoring(c) {
		return
	}
	id, err := idParam(c, "webhook")
	if err == nil {
		err = s.deps.Monitor.DeleteWebhook(c.Request.Context(), id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) apiWebhookDeliveries(c *gin.Context) {
	if !s.monitoring(c) {
		return
	}
	id, err := idParam(c, "webhook")
	var ds []rw.Delivery
	if err == nil {
		if _, err = s.deps.Monitor.FindWebhookByID(c.Request.Context(), id); err == nil {
			ds, err = s.deps.Monitor.FindDeliveries(c.Request.Context(), id, queryInt(c, "limit", 100))
		}
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]deliveryJSON, len(ds))
	for i, d := range ds {
		out[i] = deliveryJSON{d.ID, d.Event, d.State, d.Attempts, d.StatusCode, d.Error, d.CreatedAt, d.DeliveredAt}
	}
	c.JSON(http.StatusOK, gin.H{"deliveries": out})
}

type webhookListView struct {
	Webhooks  []rw.Webhook
	Events    []string
	In        webhookInput
	Errors    map[string]string
	NewSecret string
}

func (webhookListView) PageTitle() string                { return "Webhooks" }
func (v *webhookListView) setErrors(m map[string]string) { v.Errors = m }

func (s *Server) webhookList(c *gin.Context) {
	if !s.monitoring(c) {
		return
	}
	ws, err := s.deps.Monitor.FindWebhooks(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "webhooks", &webhookListView{Webhooks: ws, Events: rw.WebhookEvents, In: webhookInput{Events: []string{"alert.opened"}}})
}

func (s *Server) webhookCreate(c *gin.Context) {
	if !s.monitoring(c) {
		return
	}
	var in webhookInput
	_ = c.ShouldBind(&in)
	ws, err := s.deps.Monitor.FindWebhooks(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	view := &webhookListView{Webhooks: ws, Events: rw.WebhookEvents, In: in}
	w, generated, err := s.createWebhook(c, in)
	if err != nil {
		s.formError(c, err, "webhooks", view)
		return
	}
	if generated {
		view.Webhooks, view.In, view.NewSecret = append(view.Webhooks, *w), webhookInput{}, w.Secret
		s.render(c, http.StatusCreated, "webhooks", view)
		return
	}
	s.redirectFlash(c, "/admin/webhooks", fmt.Sprintf("Webhook %d created.", w.ID))
}

type webhookView struct {
	Hook       *rw.Webhook
	Deliveries []rw.Delivery
}

func (v webhookView) PageTitle() string { return fmt.Sprintf("Webhook %d", v.Hook.ID) }

func (s *Server) webhookShow(c *gin.Context) {
	if !s.monitoring(c) {
		return
	}
	id, err := idParam(c, "webhook")
	var v webhookView
	if err == nil {
		if v.Hook, err = s.deps.Monitor.FindWebhookByID(c.Request.Context(), id); err == nil {
			v.Deliveries, err = s.deps.Monitor.FindDeliveries(c.Request.Context(), id, 100)
		}
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "webhook", v)
}

func (s *Server) webhookDelete(c *gin.Context) {
	if !s.monitoring(c) {
		return
	}
	id, err := idParam(c, "webhook")
	if err == nil {
		err = s.deps.Monitor.DeleteWebhook(c.Request.Context(), id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.redirectFlash(c, "/admin/webhooks", fmt.Sprintf("Webhook %d deleted with its delivery log.", id))
}

// webhookTest queues a "test" event for one webhook, so an admin can see a delivery arrive.
func (s *Server) webhookTest(c *gin.Context) {
	if !s.monitoring(c) {
		return
	}
	id, err := idParam(c, "webhook")
	var payload []byte
	if err == nil {
		if _, err = s.deps.Monitor.FindWebhookByID(c.Request.Context(), id); err == nil {
			payload, err = rw.NewWebhookPayload("test", gin.H{"message": "Test event from Routewarden", "webhook_id": id}, s.now())
		}
	}
	if err == nil {
		_, err = s.deps.Monitor.CreateDeliveries(c.Request.Context(), id, "test", payload)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.redirectFlash(c, fmt.Sprintf("/admin/webhooks/%d", id), "Test event queued; its delivery appears below once a worker has sent it.")
}
