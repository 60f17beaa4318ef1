package control

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Problem is one defect found while loading or validating a library tree, located by file
// and line (Line is 0 when no line applies).
type Problem struct {
	File string
	Line int
	Msg  string
}

// Error formats the problem as "file:line: message".
func (p Problem) Error() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// Problems is a list of problems; as an error it prints one problem per line.
type Problems []Problem

// Error joins the problems, one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Sort orders problems by file and line.
func (ps Problems) Sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
}

// issue is a problem located by YAML path inside one file, before its line is known.
type issue struct {
	path string
	msg  string
}

func (l *Library) problem(p, msg string) Problem {
	return Problem{File: l.File, Line: l.src.line(p), Msg: msg}
}

func (r *Regulation) problem(p, msg string) Problem {
	return Problem{File: r.File, Line: r.src.line(p), Msg: msg}
}

// CompareVersions compares dotted numeric versions ("2026.1" < "2026.10"); non-numeric
// segments compare as strings.
func CompareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		if i >= len(as) {
			return -1
		}
		if i >= len(bs) {
			return 1
		}
		if c := compareSegment(as[i], bs[i]); c != 0 {
			return c
		}
	}
	return 0
}

func compareSegment(a, b string) int {
	an, aerr := strconv.Atoi(a)
	bn, berr := strconv.Atoi(b)
	if aerr == nil && berr == nil {
		switch {
		case an < bn:
			return -1
		case an > bn:
			return 1
		}
		return 0
	}
	return strings.Compare(a, b)
}
