package score

import (
	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// Progress counts the required answers and evidence of the questionnaire that are present.
type Progress struct {
	Required         int
	Answered         int
	EvidenceRequired int
	EvidenceAttached int
	Missing          []string // question IDs of required answers not given
	MissingEvidence  []string // question IDs of file questions whose required evidence is absent
	AwaitingReview   int      // visible questions answered but not yet decided by a reviewer
	ChangesRequested int      // visible questions marked for changes
	Sections         []SectionProgress
}

// SectionProgress is the progress of one control family.
type SectionProgress struct {
	Family   string
	Title    string
	Required int
	Done     int
}

// Share returns the share of required items present, 0..1 (1 when nothing is required).
func (p Progress) Share() float64 {
	n := p.Required + p.EvidenceRequired
	if n == 0 {
		return 1
	}
	return float64(p.Answered+p.EvidenceAttached) / float64(n)
}

// Complete reports whether every required answer and evidence file is present: the vendor may
// submit.
func (p Progress) Complete() bool { return len(p.Missing) == 0 && len(p.MissingEvidence) == 0 }

// RequiresEvidence reports whether a file question supplies evidence the control requires.
func RequiresEvidence(c *control.Control, q *control.Question) bool {
	if q.Type != control.TypeFile || q.Evidence == "" {
		return false
	}
	for _, e := range c.Evidence {
		if e.ID == q.Evidence {
			return e.Required
		}
	}
	return false
}

func progress(in Input) Progress {
	var p Progress
	values := answerValues(in.Answers)
	sections := map[string]*SectionProgress{}
	for _, c := range in.Library.ForProviders(in.Scope) {
		sp := sections[c.Family]
		if sp == nil {
			f, _ := in.Library.Family(c.Family)
			sp = &SectionProgress{Family: c.Family, Title: f.Title}
			sections[c.Family] = sp
		}
		for qi := range c.Questions {
			q := &c.Questions[qi]
			if !in.Library.Visible(q.ID, values) {
				continue
			}
			if a := in.Answers[q.ID]; a != nil {
				switch {
				case a.Review == rw.ReviewChanges:
					p.ChangesRequested++
				case (a.Review == rw.ReviewPending || a.Review == rw.ReviewResubmitted) && !a.Empty():
					p.AwaitingReview++
				}
			}
			switch {
			case RequiresEvidence(c, q):
				p.EvidenceRequired++
				sp.Required++
				if in.Evidence[q.ID] > 0 {
					p.EvidenceAttached++
					sp.Done++
				} else {
					p.MissingEvidence = append(p.MissingEvidence, q.ID)
				}
			case q.Type != control.TypeFile && !q.Optional:
				p.Required++
				sp.Required++
				if len(values[q.ID]) > 0 {
					p.Answered++
					sp.Done++
				} else {
					p.Missing = append(p.Missing, q.ID)
				}
			}
		}
	}
	for _, f := range in.Library.Families {
		if sp := sections[f.ID]; sp != nil {
			p.Sections = append(p.Sections, *sp)
		}
	}
	return p
}
