package mail

import (
	"fmt"
	"time"

	rw "routewarden/internal/routewarden"
)

// InvitationSubject is the subject line of an invitation or reminder e-mail.
func InvitationSubject(a *rw.Assessment, purpose string) string {
	what := "Routing-security questionnaire"
	switch purpose {
	case "overdue":
		what = "Overdue: routing-security questionnaire"
	case "reminder-7", "reminder-3", "reminder-1":
		what = "Reminder: routing-security questionnaire"
	case "delegation":
		what = "You were asked to answer part of a routing-security questionnaire"
	}
	return fmt.Sprintf("%s for %s (due %s)", what, a.VendorName, a.DueDate.Format(time.DateOnly))
}

// InvitationBody is the text of an invitation e-mail.
func InvitationBody(a *rw.Assessment, link string, exp time.Time, section string) string {
	part := "the questionnaire"
	if section != "" {
		part = "section " + section + " of the questionnaire"
	}
	return fmt.Sprintf("Hello,\n\nplease answer %s %q about the routing security of %s by %s.\n\nOpen this personal link (no account needed; it works until %s and stops working when a new one is sent):\n%s\n\nAnswers are saved as you go; submit when every required answer and document is in.\n",
		part, a.Title, a.VendorName, a.DueDate.Format(time.DateOnly), exp.Format(time.DateOnly), link)
}
