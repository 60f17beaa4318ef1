package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	rw "routewarden/internal/routewarden"
)

type jobListView struct {
	Jobs   []rw.Job
	State  string
	States []string
	Counts map[string]int
}

func (jobListView) PageTitle() string { return "Background jobs" }

var jobViewStates = []string{"running", "available", "scheduled", "retryable", "discarded", "cancelled", "completed"}

// jobList is the admin's view of the job queue: what is queued, running, and what failed with
// its error (the dead letters: discarded after the last attempt), with a retry button.
func (s *Server) jobList(c *gin.Context) {
	if s.deps.Jobs == nil {
		s.fail(c, rw.Errorf(rw.ENOTFOUND, "The job queue is not configured on this server."))
		return
	}
	state := c.Query("state")
	var states []string
	if state != "" {
		states = []string{state}
	}
	ctx := c.Request.Context()
	jobs, err := s.deps.Jobs.ListJobs(ctx, states, 200)
	if err != nil {
		s.fail(c, err)
		return
	}
	counts, err := s.deps.Jobs.CountJobs(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "jobs", jobListView{Jobs: jobs, State: state, States: jobViewStates, Counts: counts})
}

func (s *Server) jobRetry(c *gin.Context) {
	if s.deps.Jobs == nil {
		s.fail(c, rw.Errorf(rw.ENOTFOUND, "The job queue is not configured on this server."))
		return
	}
	id, err := idParam(c, "job")
	if err == nil {
		err = s.deps.Jobs.RetryJob(c.Request.Context(), id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.log.Info("job retried", "request_id", c.GetString(ctxRequestID), "job_id", id, "by_user_id", currentUser(c).ID)
	s.redirectFlash(c, "/admin/jobs", fmt.Sprintf("Job %d queued again.", id))
}

// jobCollector exports the job queue's size per state on /metrics, read at scrape time.
type jobCollector struct{ q rw.JobQueue }

var jobsDesc = prometheus.NewDesc("routewarden_jobs", "Background jobs in the queue, by state (River).", []string{"state"}, nil)

func (jobCollector) Describe(ch chan<- *prometheus.Desc) { ch <- jobsDesc }

func (j jobCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := j.q.CountJobs(ctx)
	if err != nil {
		return
	}
	for _, st := range jobViewStates {
		ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(counts[st]), st)
	}
}
