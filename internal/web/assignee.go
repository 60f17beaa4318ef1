package web

import (
	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
)

// owners lists the users who may own an assessment, for the assignee form.
func (s *Server) owners(c *gin.Context) ([]*rw.User, error) {
	users, _, err := s.deps.Users.FindUsers(c.Request.Context(), rw.UserFilter{Limit: 1000})
	if err != nil {
		return nil, err
	}
	var out []*rw.User
	for _, u := range users {
		if u.CanOwnAssessments() {
			out = append(out, u)
		}
	}
	return out, nil
}

// assign makes the user with e-mail email the owner of the assessment ("" unassigns).
func (s *Server) assign(c *gin.Context, a *rw.Assessment, email string) (*rw.Assessment, error) {
	email = rw.NormalizeEmail(email)
	if email != "" {
		u, err := s.deps.Users.FindUserByEmail(c.Request.Context(), email)
		if rw.ErrorCode(err) == rw.ENOTFOUND {
			return nil, rw.FieldError("assignee", "There is no user %s to assign.", email)
		} else if err != nil {
			return nil, err
		}
		if !u.CanOwnAssessments() {
			return nil, rw.FieldError("assignee", "%s cannot own assessments: the account is disabled or its role (%s) neither works on nor decides assessments.", email, u.Role.Label())
		}
	}
	if email == a.Assignee {
		return a, nil
	}
	from, to := a.Assignee, email
	if from == "" {
		from = "nobody"
	}
	if to == "" {
		to = "nobody"
	}
	ev := rw.Event(a.ID, actorOf(c), "assessment.assigned", "Owner: %s → %s.", from, to)
	return s.deps.Assessments.UpdateAssessment(c.Request.Context(), a.ID, rw.AssessmentUpdate{Assignee: &email}, &ev)
}

// assessmentAssign sets the owner from the assessment page.
func (s *Server) assessmentAssign(c *gin.Context) {
	a, ok := s.loadAssessment(c)
	if !ok {
		return
	}
	who := c.PostForm("assignee")
	if c.PostForm("me") != "" {
		who = actorOf(c)
	}
	next, err := s.assign(c, a, who)
	msg := "Nobody owns the assessment now."
	if err == nil && next.Assignee != "" {
		msg = "Owner: " + next.Assignee + "."
	}
	s.afterAction(c, a, err, msg)
}

// workFilter applies ?work= to the list filter: assigned to me, or waiting for my role (states
// that can wait for staff; the step itself is checked per row).
func workFilter(c *gin.Context, f *rw.AssessmentFilter) (string, error) {
	work := c.Query("work")
	switch work {
	case "":
	case rw.WorkAssigned:
		f.Assignee = actorOf(c)
	case rw.WorkRole:
		if len(f.States) == 0 {
			f.States = []rw.AssessmentState{rw.StateDraft, rw.StateSubmitted, rw.StateInReview, rw.StateApproved}
		}
	default:
		return "", rw.FieldError("work", "work must be %q or %q (got %q).", rw.WorkAssigned, rw.WorkRole, work)
	}
	return work, nil
}

// waitingFor keeps the assessments whose next step is role's.
func waitingFor(list []*rw.Assessment, next map[int64]rw.NextStep, role rw.Role) []*rw.Assessment {
	var out []*rw.Assessment
	for _, a := range list {
		if next[a.ID].For(role) {
			out = append(out, a)
		}
	}
	return out
}
