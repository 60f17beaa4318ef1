package control

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// An answer is the list of values given to a question: one value for yes_no ("yes" or "no"),
// single_choice (the option value), number and percentage (decimal text) and date
// (YYYY-MM-DD); the chosen option values for multiple_choice. Unanswered is nil.

// Test reports whether the answer to q satisfies "answer op value", the comparison used by
// conditions and contradiction rules. An unanswered question satisfies no test.
func Test(q *Question, answer []string, op, value string) (bool, error) {
	if err := testValid(q, op, value); err != nil {
		return false, fmt.Errorf("question %s: %w", q.ID, err)
	}
	if len(answer) == 0 {
		return false, nil
	}
	switch q.Type {
	case TypeMultipleChoice:
		return slices.Contains(answer, value) == (op == "contains"), nil
	case TypeYesNo, TypeSingleChoice:
		return (answer[0] == value) == (op == "="), nil
	case TypeDate:
		a, err := time.Parse(time.DateOnly, answer[0])
		if err != nil {
			return false, fmt.Errorf("question %s: answer %q is not a date (YYYY-MM-DD)", q.ID, answer[0])
		}
		b, _ := time.Parse(time.DateOnly, value)
		return compare(float64(a.Unix()), op, float64(b.Unix())), nil
	default:
		a, err := strconv.ParseFloat(answer[0], 64)
		if err != nil {
			return false, fmt.Errorf("question %s: answer %q is not a number", q.ID, answer[0])
		}
		b, _ := strconv.ParseFloat(value, 64)
		return compare(a, op, b), nil
	}
}

// Holds reports whether a check's figure satisfies the test.
func (t CheckTest) Holds(figure float64) bool {
	return compare(figure, t.Op, t.Value)
}

// Fires reports whether the rule flags a discrepancy between the answer to q and the figure
// its check measured.
func (k Contradiction) Fires(q *Question, answer []string, figure float64) (bool, error) {
	ok, err := Test(q, answer, k.Answer.Op, k.Answer.Value)
	if err != nil || !ok {
		return false, err
	}
	return k.Measured.Holds(figure), nil
}

// Visible reports whether the question is asked given the answers so far (keyed by question
// ID): a question with a condition is asked only when the question it depends on is itself
// asked and its answer meets the condition.
func (l *Library) Visible(id string, answers map[string][]string) bool {
	// The chain of conditions is at most as long as the questionnaire in a valid library; the
	// bound keeps an invalid (cyclic) one from looping.
	for range l.questionCount() + 1 {
		q, _, ok := l.Question(id)
		if !ok {
			return false
		}
		if q.When == nil {
			return true
		}
		target, _, ok := l.Question(q.When.Question)
		if !ok {
			return false
		}
		met, err := Test(target, answers[target.ID], q.When.Op, q.When.Value)
		if err != nil || !met {
			return false
		}
		id = target.ID
	}
	return false
}

func (l *Library) questionCount() int {
	n := 0
	for _, c := range l.Controls {
		n += len(c.Questions)
	}
	return n
}

func compare(a float64, op string, b float64) bool {
	switch op {
	case "=":
		return a == b
	case "!=":
		return a != b
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case ">=":
		return a >= b
	}
	return false
}
