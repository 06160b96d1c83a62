package bench

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/builtin"
	"github.com/iacscan/iacscan/rules/custom"
	"github.com/iacscan/iacscan/scan"
)

// customRules returns n custom rules in the shapes docs/custom-rules.md shows, over the
// corpus's kinds, in turn: a CEL tag policy on buckets, a simple condition on a bucket ACL,
// a CEL policy on every ingress permission of security groups, a CEL policy on a bucket's
// neighbours (the ACLs that reference it) and a CEL policy on a bucket's values. Each rule
// differs from the others of its shape by a constant, as a team's rules differ.
func customRules(tb testing.TB, n int) []*rules.Rule {
	tb.Helper()
	var b strings.Builder
	b.WriteString("rules:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - id: BENCH-%03d\n    title: t\n    description: d\n    remediation: r\n    severity: low\n", i)
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, "    select: {kinds: [aws_s3_bucket]}\n    require: {cel: \"!('Name' in resource.tags) || !resource.tags.Name.endsWith('%d')\"}\n", i/5%10)
		case 1:
			b.WriteString("    select: {kinds: [aws_s3_bucket_acl]}\n    setting: {terraform: acl}\n    require: {not: {equals: public-read-write}}\n")
		case 2:
			fmt.Fprintf(&b, "    select: {kinds: [aws_security_group]}\n    require: {cel: \"resource.ingress.all(p, !p.world || p.from_port != %d)\"}\n", 440+i/5%10)
		case 3:
			fmt.Fprintf(&b, "    select: {kinds: [aws_s3_bucket]}\n    require: {cel: \"resource.referrers.all(n, n.kind != 'aws_s3_bucket_acl' || !has(n.values.acl) || n.values.acl in ['private', 'acl-%d'])\"}\n", i)
		default:
			fmt.Fprintf(&b, "    select: {kinds: [aws_s3_bucket]}\n    require: {cel: \"!has(resource.values.VersioningConfiguration) || resource.values.VersioningConfiguration.Status in ['Enabled', 'Status-%d']\"}\n", i)
		}
	}
	rs, diags := custom.Parse("bench.yaml", []byte(b.String()), builtin.All())
	if len(diags) > 0 || len(rs) != n {
		tb.Fatalf("%d rules, %v", len(rs), diags)
	}
	return rs
}

// TestCustomRulesOnCorpus checks the benchmark's rules: they report on the corpus and
// decide every resource, and with the built-in rules (which run beside them: go test -race
// checks they share nothing) they report what each set reports alone.
func TestCustomRulesOnCorpus(t *testing.T) {
	dir := t.TempDir()
	if _, err := WriteCorpus(dir, 400); err != nil {
		t.Fatal(err)
	}
	scanWith := func(rs []*rules.Rule) *scan.Result {
		t.Helper()
		res, err := scan.Run(t.Context(), []string{dir}, scan.Options{Rules: rs})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	custom := scanWith(customRules(t, 5))
	if len(custom.Findings) == 0 || len(custom.Diagnostics) > 0 || len(custom.Unresolved) > 0 {
		t.Errorf("%d findings, %d unresolved checks, diagnostics %v: want findings and everything decided",
			len(custom.Findings), len(custom.Unresolved), custom.Diagnostics)
	}
	builtins := scanWith(builtin.All())
	both := scanWith(append(builtin.All(), customRules(t, 5)...))
	if len(both.Findings) != len(builtins.Findings)+len(custom.Findings) || len(both.Unresolved) != len(builtins.Unresolved) {
		t.Errorf("together: %d findings, %d unresolved; apart: %d+%d findings, %d unresolved",
			len(both.Findings), len(both.Unresolved), len(builtins.Findings), len(custom.Findings), len(builtins.Unresolved))
	}
}

// BenchmarkCustomRules scans the 10,000-resource corpus with the built-in rules alone and
// with 100 custom rules more: the product's target is at most 20% more time. cpu-ms/scan is
// the process's CPU time per scan, steadier than wall time on a shared machine.
func BenchmarkCustomRules(b *testing.B) {
	dir := b.TempDir()
	if _, err := WriteCorpus(dir, 10_000); err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{0, 100} {
		opts := scan.Options{Rules: builtin.All()}
		if n > 0 {
			opts.Rules = append(opts.Rules, customRules(b, n)...)
		}
		b.Run(fmt.Sprintf("custom=%d", n), func(b *testing.B) {
			start, measured := cpuTime()
			for b.Loop() {
				if _, err := scan.Run(b.Context(), []string{dir}, opts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/scan")
			if end, ok := cpuTime(); ok && measured {
				b.ReportMetric(float64((end-start).Milliseconds())/float64(b.N), "cpu-ms/scan")
			}
		})
	}
}
