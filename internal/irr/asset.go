package irr

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// DefaultMaxDepth is the nesting depth ExpandASSet follows: deeper chains are refused. Real
// customer-cone sets of large transit networks nest about ten levels.
const DefaultMaxDepth = 20

// ErrNotFound is returned (wrapped) when the as-set to expand is not in the DB.
var ErrNotFound = errors.New("not found")

// DepthError reports an as-set chain nested deeper than the limit.
type DepthError struct {
	Max   int
	Chain []string // root first
}

// Error names the chain that went too deep.
func (e *DepthError) Error() string {
	return fmt.Sprintf("as-set nesting deeper than %d: %s", e.Max, strings.Join(e.Chain, " > "))
}

// Expansion is the result of expanding an as-set.
type Expansion struct {
	Name string
	// ASNs holds every AS number reached, sorted and without repeats.
	ASNs []uint32
	// Sets lists the as-sets that were found and expanded, root first.
	Sets []string
	// Missing lists nested as-sets named as members but absent from the DB.
	Missing []string
	// Cycles lists each loop met, as the chain from the repeated set back to itself.
	Cycles [][]string
	// Depth is the deepest nesting level reached (0 = root only).
	Depth int
	// Sources maps each expanded set to the one IRR source its object was taken from.
	Sources map[string]string
	// Shadowed lists "NAME@SOURCE" for same-named sets in other sources that were not used:
	// sets of one name in different IRRs may belong to different operators and are never
	// merged.
	Shadowed []string
}

// ExpandASSet returns the AS numbers an as-set stands for, sorted, following nested sets up to
// DefaultMaxDepth. Loops are cut (each set is expanded once) and nested sets absent from the
// DB are skipped; use Expand to see both. It fails when the root set is unknown or the nesting
// is too deep.
func (db *DB) ExpandASSet(name string) ([]uint32, error) {
	e, err := db.Expand(name, DefaultMaxDepth)
	if err != nil {
		return nil, err
	}
	return e.ASNs, nil
}

// Expand expands an as-set (any case; "SOURCE::NAME" limits the root to one source, as IRRd
// and PeeringDB write it) following nested sets at most maxDepth levels deep. Each set name is
// resolved in one source only: the root in the named source (else the first source read that
// has it), a nested set in its parent's source when that source has it, else in the first
// source read that has it. Same-named sets of other sources are reported in Shadowed, never
// merged. Members also include aut-nums that name the set in
// member-of when one of their mnt-by maintainers (or ANY) is in the set's mbrs-by-ref
// (RFC 2622 section 5.1).
func (db *DB) Expand(name string, maxDepth int) (*Expansion, error) {
	source, set := splitSource(name)
	root, err := NormalizeSetName(set)
	if err != nil {
		return nil, err
	}
	x := &expander{db: db, max: maxDepth, onStack: map[string]bool{}, done: map[string]bool{},
		asns: map[uint32]bool{}, out: &Expansion{Name: root, Sources: map[string]string{}}}
	objs := x.pick(root, strings.ToUpper(source), source != "")
	if len(objs) == 0 {
		return nil, fmt.Errorf("as-set %s: %w", name, ErrNotFound)
	}
	if err := x.visit(root, objs, 0, nil); err != nil {
		return nil, err
	}
	for a := range x.asns {
		x.out.ASNs = append(x.out.ASNs, a)
	}
	slices.Sort(x.out.ASNs)
	return x.out, nil
}

type expander struct {
	db      *DB
	max     int
	onStack map[string]bool
	done    map[string]bool
	asns    map[uint32]bool
	out     *Expansion
}

func (x *expander) visit(name string, objs []*ASSet, depth int, stack []string) error {
	stack = append(stack, name)
	if depth > x.max {
		return &DepthError{Max: x.max, Chain: slices.Clone(stack)}
	}
	x.out.Depth = max(x.out.Depth, depth)
	x.onStack[name] = true
	x.out.Sets = append(x.out.Sets, name)
	for _, o := range objs {
		for _, a := range o.ASNs {
			x.asns[a] = true
		}
		x.addByRef(name, o.MbrsByRef)
		for _, child := range o.Sets {
			if err := x.child(child, depth, stack); err != nil {
				return err
			}
		}
	}
	x.onStack[name] = false
	x.done[name] = true
	return nil
}

func (x *expander) child(name string, depth int, stack []string) error {
	switch {
	case x.onStack[name]:
		i := slices.Index(stack, name)
		x.out.Cycles = append(x.out.Cycles, append(slices.Clone(stack[i:]), name))
		return nil
	case x.done[name]:
		return nil
	}
	objs := x.pick(name, x.out.Sources[stack[len(stack)-1]], false)
	if len(objs) == 0 {
		if !slices.Contains(x.out.Missing, name) {
			x.out.Missing = append(x.out.Missing, name)
		}
		return nil
	}
	return x.visit(name, objs, depth+1, stack)
}

// pick returns the objects of one source for a set name: the preferred source when it has the
// set (only that source when strict), else the first source read that has it.
func (x *expander) pick(name, prefer string, strict bool) []*ASSet {
	all := x.db.asSets[name]
	chosen := prefer
	if !slices.ContainsFunc(all, func(s *ASSet) bool { return s.Source == prefer }) {
		if strict || len(all) == 0 {
			return nil
		}
		chosen = all[0].Source
	}
	var out []*ASSet
	for _, s := range all {
		if s.Source == chosen {
			out = append(out, s)
		} else if ref := name + "@" + s.Source; !slices.Contains(x.out.Shadowed, ref) {
			x.out.Shadowed = append(x.out.Shadowed, ref)
		}
	}
	x.out.Sources[name] = chosen
	return out
}

// addByRef adds aut-nums that joined the set with member-of and are allowed by mbrs-by-ref.
func (x *expander) addByRef(name string, mbrsByRef []string) {
	if len(mbrsByRef) == 0 {
		return
	}
	for _, a := range x.db.refs[name] {
		if allowedByRef(mbrsByRef, a.MntBy) {
			x.asns[a.ASN] = true
		}
	}
}

func allowedByRef(mbrsByRef, mntBy []string) bool {
	for _, m := range mbrsByRef {
		if strings.EqualFold(m, "ANY") {
			return true
		}
		for _, n := range mntBy {
			if strings.EqualFold(m, n) {
				return true
			}
		}
	}
	return false
}
