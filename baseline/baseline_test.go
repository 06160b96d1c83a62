package baseline

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

var (
	ssh    = &rules.Meta{ID: "AWS-EC2-002"}
	public = &rules.Meta{ID: "AWS-S3-001"}
)

func finding(m *rules.Meta, path, addr, attr string, line int) rules.Finding {
	return rules.Finding{
		Rule:     m,
		Resource: graph.ID{Path: path, Address: addr},
		Path:     attr,
		Range:    source.Range{Path: path, Start: source.Pos{Line: line, Column: 3}},
	}
}

func TestWriteReadFilter(t *testing.T) {
	recorded := []rules.Finding{
		finding(ssh, "main.tf", "aws_security_group.web", "ingress[0].cidr_blocks[0]", 12),
		finding(public, "main.tf", "aws_s3_bucket.site", "acl", 3),
		finding(public, "a.yaml", "Site", "AccessControl", 9),
	}
	var buf bytes.Buffer
	if err := Write(&buf, recorded, ""); err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": 1,
  "findings": [
    {
      "fingerprint": "` + recorded[2].Fingerprint() + `",
      "rule": "AWS-S3-001",
      "file": "a.yaml",
      "address": "Site",
      "path": "AccessControl"
    },
    {
      "fingerprint": "` + recorded[1].Fingerprint() + `",
      "rule": "AWS-S3-001",
      "file": "main.tf",
      "address": "aws_s3_bucket.site",
      "path": "acl"
    },
    {
      "fingerprint": "` + recorded[0].Fingerprint() + `",
      "rule": "AWS-EC2-002",
      "file": "main.tf",
      "address": "aws_security_group.web",
      "path": "ingress[0].cidr_blocks[0]"
    }
  ]
}
`
	if buf.String() != want {
		t.Fatalf("baseline file:\n%s\nwant:\n%s", buf.String(), want)
	}
	b, err := Read(&buf, "")
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 3 {
		t.Fatalf("Len = %d, want 3", b.Len())
	}

	// The same findings after lines were inserted above them, one new finding, and a
	// second finding with the identity of a recorded one.
	now := []rules.Finding{
		finding(ssh, "main.tf", "aws_security_group.web", "ingress[0].cidr_blocks[0]", 40),
		finding(ssh, "main.tf", "aws_security_group.web", "ingress[1].cidr_blocks[0]", 45),
		finding(public, "main.tf", "aws_s3_bucket.site", "acl", 31),
		finding(public, "main.tf", "aws_s3_bucket.site", "acl", 31),
		{Rule: nil, Message: "no rule: never baselined"},
	}
	fresh, known := b.Filter(now)
	if len(known) != 2 || known[0].Range.Start.Line != 40 || known[1].Range.Start.Line != 31 {
		t.Errorf("known = %+v, want the moved SSH and ACL findings", known)
	}
	if len(fresh) != 3 || fresh[0].Path != "ingress[1].cidr_blocks[0]" || fresh[1].Path != "acl" || fresh[2].Rule != nil {
		t.Errorf("fresh = %+v, want the new ingress, the duplicate ACL and the rule-less finding", fresh)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
		is              error
	}{
		{"not JSON", "findings:", "baseline: invalid character", nil},
		{"unknown field", `{"version": 1, "findings": [], "extra": 1}`, `baseline: json: unknown field "extra"`, nil},
		{"version", `{"version": 2, "findings": []}`, "baseline: unsupported baseline version 2 (want 1)", ErrVersion},
		{"no fingerprint", `{"version": 1, "findings": [{"rule": "AWS-S3-001", "address": "b"}]}`, "baseline: an entry for AWS-S3-001 b has no fingerprint", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.src), "")
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v, want prefix %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want errors.Is %v", err, tc.is)
			}
		})
	}
}

// TestRelativeToRoot records findings scanned from the root and matches them when the
// scan runs from a subdirectory (paths relative to it) or with absolute paths.
func TestRelativeToRoot(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "infra")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	var buf bytes.Buffer
	if err := Write(&buf, []rules.Finding{finding(public, "infra/main.tf", "aws_s3_bucket.site", "acl", 3)}, root); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"file": "infra/main.tf"`) {
		t.Errorf("baseline file:\n%s\nwant the file relative to the root", buf.String())
	}
	data := buf.Bytes()
	for _, tc := range []struct{ dir, path string }{
		{root, "infra/main.tf"},
		{sub, "main.tf"},
		{t.TempDir(), filepath.ToSlash(filepath.Join(sub, "main.tf"))},
	} {
		t.Chdir(tc.dir)
		b, err := Read(bytes.NewReader(data), root)
		if err != nil {
			t.Fatal(err)
		}
		if fresh, _ := b.Filter([]rules.Finding{finding(public, tc.path, "aws_s3_bucket.site", "acl", 3)}); len(fresh) != 0 {
			t.Errorf("from %s, %s is not matched by the baseline", tc.dir, tc.path)
		}
		// Without the root, the path as reported is the identity: a scan from elsewhere
		// does not match.
		b, _ = Read(bytes.NewReader(data), "")
		if fresh, _ := b.Filter([]rules.Finding{finding(public, tc.path, "aws_s3_bucket.site", "acl", 3)}); (len(fresh) == 0) != (tc.path == "infra/main.tf") {
			t.Errorf("from %s without a root, %s: fresh = %v", tc.dir, tc.path, fresh)
		}
	}
}
