// Package control loads, validates, digests and compares Routewarden's control library (the
// MANRS+-aligned control matrix, one YAML file per released version) and the obligation
// catalogue (DORA, NIS2, CER and their level-2 acts).
package control

// Library is one released version of a control library, e.g. routewarden-manrs 2026.1.
type Library struct {
	Name        string    `yaml:"library" json:"library"`
	Version     string    `yaml:"version" json:"version"`
	Title       string    `yaml:"title" json:"title"`
	Description string    `yaml:"description" json:"description"`
	Released    string    `yaml:"released" json:"released"`
	Readiness   Readiness `yaml:"readiness" json:"readiness"`
	Changelog   []Release `yaml:"changelog" json:"changelog"`
	Families    []Family  `yaml:"families" json:"families"`
	Controls    []Control `yaml:"controls" json:"controls"`

	// File is the path the library was read from (inside the fs.FS), for messages.
	File string `yaml:"-" json:"-"`
	src  *source
}

// Readiness holds the thresholds that turn a per-MANRS-action score (0..1) into a readiness
// level: at least Ready → Ready, at least Aspiring → Aspiring, otherwise Lagging. Actions may
// override the library-wide thresholds.
type Readiness struct {
	Ready    float64                    `yaml:"ready" json:"ready"`
	Aspiring float64                    `yaml:"aspiring" json:"aspiring"`
	Actions  map[string]ActionThreshold `yaml:"actions" json:"actions,omitempty"`
}

// ActionThreshold overrides the readiness thresholds for one MANRS action.
type ActionThreshold struct {
	Ready    float64 `yaml:"ready" json:"ready"`
	Aspiring float64 `yaml:"aspiring" json:"aspiring"`
}

// Readiness levels, as the MANRS Observatory names them.
const (
	LevelReady    = "Ready"
	LevelAspiring = "Aspiring"
	LevelLagging  = "Lagging"
)

// Level returns the readiness level of a score (0..1) for a MANRS action.
func (r Readiness) Level(action string, score float64) string {
	ready, aspiring := r.Ready, r.Aspiring
	if t, ok := r.Actions[action]; ok {
		ready, aspiring = t.Ready, t.Aspiring
	}
	switch {
	case score >= ready:
		return LevelReady
	case score >= aspiring:
		return LevelAspiring
	default:
		return LevelLagging
	}
}

// Release is one changelog entry of a library.
type Release struct {
	Version string   `yaml:"version" json:"version"`
	Date    string   `yaml:"date" json:"date"`
	Changes []string `yaml:"changes" json:"changes"`
}

// Family groups controls, e.g. ORIG (origin authorisation).
type Family struct {
	ID          string `yaml:"id" json:"id"`
	Title       string `yaml:"title" json:"title"`
	Description string `yaml:"description" json:"description"`
}

// Control is one auditable requirement on a supplier. Its ID is durable: it never changes
// meaning across library versions.
type Control struct {
	ID          string      `yaml:"id" json:"id"`
	Title       string      `yaml:"title" json:"title"`
	Family      string      `yaml:"family" json:"family"`
	Objective   string      `yaml:"objective" json:"objective"`
	Rationale   string      `yaml:"rationale" json:"rationale"`
	AppliesTo   []string    `yaml:"applies_to" json:"applies_to"`
	MANRS       []string    `yaml:"manrs" json:"manrs"`
	Severity    string      `yaml:"severity" json:"severity"`
	Weight      int         `yaml:"weight" json:"weight"`
	Basis       string      `yaml:"basis" json:"basis"`
	Checks      []CheckRule `yaml:"checks" json:"checks"`
	Evidence    []Evidence  `yaml:"evidence" json:"evidence"`
	Questions   []Question  `yaml:"questions" json:"questions"`
	Obligations []string    `yaml:"obligations" json:"obligations"`
}

// Verification bases: how a control's result is established.
const (
	BasisMeasured  = "measured"  // by named routing-evidence checks with thresholds
	BasisEvidenced = "evidenced" // by required document types
	BasisDeclared  = "declared"  // by questionnaire answers only
)

// Bases lists the verification bases, strongest first.
var Bases = []string{BasisMeasured, BasisEvidenced, BasisDeclared}

// Severities lists the control severities, lowest first.
var Severities = []string{"low", "medium", "high", "critical"}

// ProviderTypes lists the supplier types a control can apply to.
var ProviderTypes = []string{"transit", "access", "cloud", "cdn", "ddos", "ixp"}

// CheckRule names a routing-evidence check (routewarden.Checks) and the thresholds that turn
// its figure into pass, warn or fail. Better says which direction is good: with "higher" a
// figure ≥ Pass passes, ≥ Warn warns, anything lower fails; with "lower" a figure ≤ Pass passes,
// ≤ Warn warns. Without Warn there is no warn band.
type CheckRule struct {
	Check  string   `yaml:"check" json:"check"`
	Better string   `yaml:"better" json:"better"`
	Pass   float64  `yaml:"pass" json:"pass"`
	Warn   *float64 `yaml:"warn" json:"warn,omitempty"`
	Note   string   `yaml:"note" json:"note,omitempty"`
	// StatusFigures are figures the thresholds cannot grade: at them the check's own status
	// (pass, warn, fail) decides. upstream.concentration reports 0 for a transit-free network,
	// which reaches the internet through peers and needs no provider; the check passes it.
	StatusFigures []float64 `yaml:"status_figures" json:"status_figures,omitempty"`
}

// Grade returns "pass", "warn" or "fail" for a figure.
func (r CheckRule) Grade(figure float64) string {
	if r.Better == "lower" {
		figure, pass := -figure, -r.Pass
		if figure >= pass {
			return "pass"
		}
		if r.Warn != nil && figure >= -*r.Warn {
			return "warn"
		}
		return "fail"
	}
	if figure >= r.Pass {
		return "pass"
	}
	if r.Warn != nil && figure >= *r.Warn {
		return "warn"
	}
	return "fail"
}

// Evidence is a document type a supplier provides for a control. Required evidence must be
// attached (through a file question naming it) before an answer set can be submitted.
type Evidence struct {
	ID          string `yaml:"id" json:"id"`
	Title       string `yaml:"title" json:"title"`
	Description string `yaml:"description" json:"description,omitempty"`
	Required    bool   `yaml:"required" json:"required"`
}

// Question is one questionnaire item of a control. IDs are global in a library (e.g.
// RS-ORIG-01.Q1) so that conditions can refer to answers anywhere in the questionnaire.
type Question struct {
	ID       string   `yaml:"id" json:"id"`
	Text     string   `yaml:"text" json:"text"`
	Help     string   `yaml:"help" json:"help,omitempty"`
	Type     string   `yaml:"type" json:"type"`
	Optional bool     `yaml:"optional" json:"optional,omitempty"`
	Options  []Option `yaml:"options" json:"options,omitempty"`
	Min      *float64 `yaml:"min" json:"min,omitempty"`
	Max      *float64 `yaml:"max" json:"max,omitempty"`
	Unit     string   `yaml:"unit" json:"unit,omitempty"`
	// When makes the question conditional on an earlier answer.
	When *Condition `yaml:"when" json:"when,omitempty"`
	// Evidence names the control's evidence type that a file answer supplies.
	Evidence string `yaml:"evidence" json:"evidence,omitempty"`
	// Prefill names a check whose figure pre-fills the answer (marked as measured).
	Prefill string `yaml:"prefill" json:"prefill,omitempty"`
	// Contradictions are answers that a measurement can contradict.
	Contradictions []Contradiction `yaml:"contradictions" json:"contradictions,omitempty"`
	// Grading says which answers meet, partly meet or fail the control. The newest version of a
	// library grades every question that has a testable answer (all types but text and file).
	Grading *Grading `yaml:"grading" json:"grading,omitempty"`
}

// Question answer types.
const (
	TypeYesNo          = "yes_no"
	TypeSingleChoice   = "single_choice"
	TypeMultipleChoice = "multiple_choice"
	TypeNumber         = "number"
	TypePercentage     = "percentage"
	TypeDate           = "date"
	TypeText           = "text"
	TypeFile           = "file"
)

// QuestionTypes lists the answer types.
var QuestionTypes = []string{TypeYesNo, TypeSingleChoice, TypeMultipleChoice, TypeNumber,
	TypePercentage, TypeDate, TypeText, TypeFile}

// Option is one choice of a single_choice or multiple_choice question.
type Option struct {
	Value string `yaml:"value" json:"value"`
	Label string `yaml:"label" json:"label"`
}

// Condition compares the answer to another question with a value. Op is one of = != < <= > >=
// (numbers, percentages, dates) or "contains" (multiple_choice: the value is among the chosen).
type Condition struct {
	Question string `yaml:"question" json:"question"`
	Op       string `yaml:"op" json:"op"`
	Value    string `yaml:"value" json:"value"`
}

// Contradiction says which answer a measurement contradicts: when the answer satisfies
// Answer and the check's figure satisfies Measured, the two disagree and a reviewer must
// resolve the discrepancy.
type Contradiction struct {
	Answer   AnswerTest `yaml:"answer" json:"answer"`
	Measured CheckTest  `yaml:"measured" json:"measured"`
	Reason   string     `yaml:"reason" json:"reason"`
}

// AnswerTest compares the question's own answer with a value (same operators as Condition).
type AnswerTest struct {
	Op    string `yaml:"op" json:"op"`
	Value string `yaml:"value" json:"value"`
}

// CheckTest compares a check's figure with a value.
type CheckTest struct {
	Check string  `yaml:"check" json:"check"`
	Op    string  `yaml:"op" json:"op"`
	Value float64 `yaml:"value" json:"value"`
}
