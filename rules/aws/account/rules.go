// Package account holds the rules about account and region services (RULES.md 3.10):
// GuardDuty, AWS Config, Organizations, stack termination protection and deployment
// regions. The services are account or region singletons: their settings are checked
// wherever the resource is declared, and "the account has none" is a check the baseline
// profile turns on (setting.Account).
package account

import "github.com/iacscan/iacscan/rules"

// Rules is the family, ordered by ID.
var Rules = []*rules.Rule{StackTermination, ConfigRecorder, GuardDuty, Regions, AllFeatures}

// tags are the tags of every rule of the family, plus more.
func tags(more ...string) []string {
	return append([]string{"security", "aws", "account"}, more...)
}
