// Package budget holds the limits that keep a scan bounded whatever its input: a file
// crafted to explode under evaluation (setproduct of ranges, locals that double a
// string, modules counted inside counted modules, nested Fn::ForEach, serverless
// variables that fan out) is cut off at a budget, with a diagnostic naming the file, the
// line and the budget; the value it was computing becomes Unknown and the rest of the scan
// goes on. Every budget has a default, sized so that real repositories never meet it, and
// a setting in .iacscan.yaml (budgets: {file-bytes: ..., values: ...}).
package budget

import (
	"fmt"

	"github.com/iacscan/iacscan/source"
)

// Limits are the budgets of one scan. A zero field takes its default (Default).
type Limits struct {
	// FileBytes is the largest file read; a larger one is skipped with a diagnostic.
	FileBytes int64
	// Values is how many values (collection elements, nested ones included) one evaluated
	// expression or function result may hold.
	Values int
	// StringBytes is the longest string one evaluated expression may produce.
	StringBytes int
	// Instances is how many instances one block may expand to (count, for_each, one
	// Fn::ForEach loop); TotalInstances how many a root module (its nested modules
	// included) or a template may expand to in all.
	Instances, TotalInstances int
	// Steps is how many function calls and expression evaluations one root module (its
	// nested modules included) may take.
	Steps int
	// Expansions is how many variables one serverless.yml may resolve.
	Expansions int
}

// Setting names, as .iacscan.yaml spells them under budgets:.
const (
	FileBytes      = "file-bytes"
	Values         = "values"
	StringBytes    = "string-bytes"
	Instances      = "instances"
	TotalInstances = "total-instances"
	Steps          = "steps"
	Expansions     = "expansions"
)

// Default returns the default budgets.
func Default() Limits {
	return Limits{
		FileBytes:      10 << 20,
		Values:         100_000,
		StringBytes:    1 << 20,
		Instances:      10_000,
		TotalInstances: 10_000,
		Steps:          1 << 21,
		Expansions:     1 << 14,
	}
}

// WithDefaults returns l with every zero (or negative) field set to its default.
func (l Limits) WithDefaults() Limits {
	d := Default()
	fill := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	if l.FileBytes <= 0 {
		l.FileBytes = d.FileBytes
	}
	fill(&l.Values, d.Values)
	fill(&l.StringBytes, d.StringBytes)
	fill(&l.Instances, d.Instances)
	fill(&l.TotalInstances, d.TotalInstances)
	fill(&l.Steps, d.Steps)
	fill(&l.Expansions, d.Expansions)
	return l
}

// Exceeded is the error of an evaluation stopped by a budget.
type Exceeded struct {
	Budget string // the setting's name
	Limit  int64
	What   string // what would have exceeded it, e.g. "setproduct would build 1073741824 values"
}

func (e *Exceeded) Error() string {
	return fmt.Sprintf("%s: more than the %s budget (%d)", e.What, e.Budget, e.Limit)
}

// Diagnostic reports e at r: a warning, since the scan goes on with the value Unknown.
func (e *Exceeded) Diagnostic(r *source.Range, consequence string) source.Diagnostic {
	return source.Diagnostic{
		Severity: source.Warning,
		Summary:  fmt.Sprintf("Evaluation budget %q exceeded", e.Budget),
		Detail: fmt.Sprintf("%s, more than the %s budget (%d); %s. Raise budgets.%s in .iacscan.yaml if this is intended.",
			e.What, e.Budget, e.Limit, consequence, e.Budget),
		Subject: r,
	}
}
