package sarif

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/iacscan/iacscan/rules/suppress"
	"github.com/iacscan/iacscan/scan"
)

// addSuppressed adds the suppressed findings the result lists (--include-suppressed) as
// results with a suppression, and records how many findings were kept out of the report
// in the run's properties. Baselined results also say baselineState "unchanged". GitHub
// code scanning ignores suppressions and would open alerts for them: the SARIF uploaded
// there should not list them.
func addSuppressed(run *sarif.Run, res *scan.Result, loc locator, d *describer, keep *selection) {
	for i := range res.Suppressed {
		s := &res.Suppressed[i]
		if s.Rule == nil || !keep.suppressed(i) {
			continue
		}
		r := newResult(&s.Finding, d.describe(s.Rule, s.Severity), loc)
		r.AddSuppression(newSuppression(s, loc))
		if s.Suppression.Baseline {
			r.WithBaselineState("unchanged")
		}
		run.AddResult(r)
	}
	if res.Stats.Suppressed > 0 || res.Stats.Baselined > 0 {
		run.Properties = sarif.Properties{"suppressed": res.Stats.Suppressed, "baselined": res.Stats.Baselined}
	}
}

// newSuppression fills every field: go-sarif writes unset ones as null, which the SARIF
// schema rejects.
func newSuppression(s *suppress.Suppressed, loc locator) *sarif.Suppression {
	where := sarif.NewLocation().WithMessage(sarif.NewTextMessage(s.Suppression.Reason))
	if s.Suppression.Location != nil {
		where = loc.location(*s.Suppression.Location)
	}
	return sarif.NewSuppression(s.Suppression.Kind).
		WithStatus("accepted").
		WithGuid(suppressionGUID(s)).
		WithJustifcation(s.Suppression.Reason).
		WithLocation(where)
}

// suppressionGUID derives a stable GUID (shaped as a name-based version 5 UUID) from the
// finding's fingerprint and the suppression's kind, so that reruns produce the same log.
func suppressionGUID(s *suppress.Suppressed) string {
	sum := sha256.Sum256([]byte(s.Fingerprint() + "\x00" + s.Suppression.Kind))
	sum[6] = sum[6]&0x0f | 0x50 // version 5
	sum[8] = sum[8]&0x3f | 0x80 // RFC 4122 variant
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
