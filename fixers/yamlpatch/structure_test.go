package yamlpatch_test

import (
	"testing"

	"github.com/iacscan/iacscan/fixers/patch"
	"github.com/iacscan/iacscan/fixers/yamlpatch"
	"github.com/iacscan/iacscan/graph"
)

const group = `Resources:
  G:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Sub "${AWS::StackName} web"
      SecurityGroupIngress:
        # SSH, by mistake
        - IpProtocol: tcp # ssh
          CidrIp: 0.0.0.0/0 # anyone
        - IpProtocol: tcp
          CidrIp: 10.0.0.0/8
        - {IpProtocol: tcp, CidrIpv6: "::/0"}
      Tags:
        - Key: team
          Value: ops
`

func removeItems(addr string, path []string, idx ...int) op {
	return func(d *yamlpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
		list := value(rs[addr], path...)
		var items []*graph.Value
		for _, i := range idx {
			items = append(items, list.Items[i])
		}
		return d.RemoveItems(list, items)
	}
}

func TestRemoveItems(t *testing.T) {
	tests := []struct {
		name, src, want string
		path            []string
		drop            []int
	}{
		{
			name: "a block item with its comments",
			src:  group,
			want: "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Sub \"${AWS::StackName} web\"\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          CidrIp: 10.0.0.0/8\n        - {IpProtocol: tcp, CidrIpv6: \"::/0\"}\n      Tags:\n        - Key: team\n          Value: ops\n",
			path: []string{"SecurityGroupIngress"},
			drop: []int{0},
		},
		{
			name: "a flow item on its own line",
			src:  group,
			want: "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Sub \"${AWS::StackName} web\"\n      SecurityGroupIngress:\n        # SSH, by mistake\n        - IpProtocol: tcp # ssh\n          CidrIp: 0.0.0.0/0 # anyone\n        - IpProtocol: tcp\n          CidrIp: 10.0.0.0/8\n      Tags:\n        - Key: team\n          Value: ops\n",
			path: []string{"SecurityGroupIngress"},
			drop: []int{2},
		},
		{
			name: "every item leaves an empty flow sequence",
			src:  group,
			want: "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Sub \"${AWS::StackName} web\"\n      SecurityGroupIngress:\n        # SSH, by mistake\n        - IpProtocol: tcp # ssh\n          CidrIp: 0.0.0.0/0 # anyone\n        - IpProtocol: tcp\n          CidrIp: 10.0.0.0/8\n        - {IpProtocol: tcp, CidrIpv6: \"::/0\"}\n      Tags: []\n",
			path: []string{"Tags"},
			drop: []int{0},
		},
		{
			name: "flow items, CRLF",
			src:  "Resources:\r\n  G:\r\n    Type: AWS::EC2::SecurityGroup\r\n    Properties:\r\n      SecurityGroupIngress: [{CidrIp: 0.0.0.0/0}, {CidrIp: 10.0.0.0/8}, {CidrIpv6: \"::/0\"}]\r\n",
			want: "Resources:\r\n  G:\r\n    Type: AWS::EC2::SecurityGroup\r\n    Properties:\r\n      SecurityGroupIngress: [{CidrIp: 10.0.0.0/8}]\r\n",
			path: []string{"SecurityGroupIngress"},
			drop: []int{0, 2},
		},
		{
			name: "every flow item",
			src:  "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress: [ {CidrIp: 0.0.0.0/0} ]\n",
			want: "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress: []\n",
			path: []string{"SecurityGroupIngress"},
			drop: []int{0},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, "", tc.src, tc.want, removeItems("G", tc.path, tc.drop...))
		})
	}
}

// editMap removes the named entries of the mapping at path and adds add.
func editMap(addr string, path []string, remove []string, add ...*graph.Attribute) op {
	return func(d *yamlpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
		m := value(rs[addr], path...)
		var drop []*graph.Attribute
		for _, name := range remove {
			drop = append(drop, m.Get(name))
		}
		return d.EditMap(m, drop, add)
	}
}

func TestEditMapRemove(t *testing.T) {
	tests := []struct {
		name, want string
		path       []string
		remove     []string
	}{
		{
			name:   "a property with its lines",
			want:   "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Sub \"${AWS::StackName} web\"\n      Tags:\n        - Key: team\n          Value: ops\n",
			remove: []string{"SecurityGroupIngress"},
		},
		{
			name:   "the first entry of a sequence item: the next moves up to the dash",
			want:   "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Sub \"${AWS::StackName} web\"\n      SecurityGroupIngress:\n        # SSH, by mistake\n        - CidrIp: 0.0.0.0/0 # anyone\n        - IpProtocol: tcp\n          CidrIp: 10.0.0.0/8\n        - {IpProtocol: tcp, CidrIpv6: \"::/0\"}\n      Tags:\n        - Key: team\n          Value: ops\n",
			path:   []string{"SecurityGroupIngress", "0"},
			remove: []string{"IpProtocol"},
		},
		{
			name:   "the last entry of a sequence item",
			want:   "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Sub \"${AWS::StackName} web\"\n      SecurityGroupIngress:\n        # SSH, by mistake\n        - IpProtocol: tcp # ssh\n        - IpProtocol: tcp\n          CidrIp: 10.0.0.0/8\n        - {IpProtocol: tcp, CidrIpv6: \"::/0\"}\n      Tags:\n        - Key: team\n          Value: ops\n",
			path:   []string{"SecurityGroupIngress", "0"},
			remove: []string{"CidrIp"},
		},
		{
			name:   "every entry of a sequence item",
			want:   "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Sub \"${AWS::StackName} web\"\n      SecurityGroupIngress:\n        # SSH, by mistake\n        - IpProtocol: tcp # ssh\n          CidrIp: 0.0.0.0/0 # anyone\n        - IpProtocol: tcp\n          CidrIp: 10.0.0.0/8\n        - {IpProtocol: tcp, CidrIpv6: \"::/0\"}\n      Tags:\n        - {}\n",
			path:   []string{"Tags", "0"},
			remove: []string{"Key", "Value"},
		},
		{
			name:   "a flow entry",
			want:   "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Sub \"${AWS::StackName} web\"\n      SecurityGroupIngress:\n        # SSH, by mistake\n        - IpProtocol: tcp # ssh\n          CidrIp: 0.0.0.0/0 # anyone\n        - IpProtocol: tcp\n          CidrIp: 10.0.0.0/8\n        - {IpProtocol: tcp}\n      Tags:\n        - Key: team\n          Value: ops\n",
			path:   []string{"SecurityGroupIngress", "2"},
			remove: []string{"CidrIpv6"},
		},
		{
			name:   "every property leaves an empty mapping",
			want:   "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {}\n",
			remove: []string{"GroupDescription", "SecurityGroupIngress", "Tags"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, "", group, tc.want, editMap("G", tc.path, tc.remove))
		})
	}
}

func TestEditMapAdd(t *testing.T) {
	versioning := graph.Attr("VersioningConfiguration", graph.MapValue(false, graph.Attr("Status", str("Enabled"))))
	encryption := graph.Attr("BucketEncryption", graph.MapValue(false, graph.Attr("ServerSideEncryptionConfiguration",
		&graph.Value{Type: graph.List, Items: []*graph.Value{graph.MapValue(false, graph.Attr("ServerSideEncryptionByDefault",
			graph.MapValue(false, graph.Attr("SSEAlgorithm", str("AES256")))))}})))
	properties := func(a *graph.Attribute) *graph.Attribute { return graph.Attr("Properties", graph.MapValue(false, a)) }
	tests := []struct {
		name, src, want string
		add             *graph.Attribute
	}{
		{
			name: "after a value with a short tag and a comment",
			src:  "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub \"${AWS::StackName}-b\" # scoped\n",
			want: "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub \"${AWS::StackName}-b\" # scoped\n      VersioningConfiguration:\n        Status: Enabled\n",
			add:  versioning,
		},
		{
			name: "a nested sequence of mappings, no final newline, CRLF",
			src:  "Resources:\r\n  B:\r\n    Type: AWS::S3::Bucket\r\n    Properties:\r\n      BucketName: b",
			want: "Resources:\r\n  B:\r\n    Type: AWS::S3::Bucket\r\n    Properties:\r\n      BucketName: b\r\n      BucketEncryption:\r\n        ServerSideEncryptionConfiguration:\r\n          - ServerSideEncryptionByDefault:\r\n              SSEAlgorithm: AES256",
			add:  encryption,
		},
		{
			name: "sequences at their key's column when the file writes them so, 4 spaces",
			src:  "Resources:\n    B:\n        Type: AWS::S3::Bucket\n        Properties:\n            Tags:\n            - Key: a\n              Value: b\n",
			want: "Resources:\n    B:\n        Type: AWS::S3::Bucket\n        Properties:\n            Tags:\n            - Key: a\n              Value: b\n            BucketEncryption:\n                ServerSideEncryptionConfiguration:\n                - ServerSideEncryptionByDefault:\n                      SSEAlgorithm: AES256\n",
			add:  encryption,
		},
		{
			name: "into a flow mapping",
			src:  "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: flow, Tags: [{Key: team, Value: data}]}\n",
			want: "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: flow, Tags: [{Key: team, Value: data}], VersioningConfiguration: {Status: Enabled}}\n",
			add:  versioning,
		},
		{
			name: "into an empty flow mapping",
			src:  "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {}\n",
			want: "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {VersioningConfiguration: {Status: Enabled}}\n",
			add:  versioning,
		},
		{
			name: "into an empty value, keeping its comment",
			src:  "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: # none yet\n",
			want: "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: # none yet\n      VersioningConfiguration:\n        Status: Enabled\n",
			add:  versioning,
		},
		{
			name: "Properties into a resource that has none",
			src:  "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Retain\n\n  C:\n    Type: AWS::S3::Bucket\n",
			want: "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Retain\n    Properties:\n      VersioningConfiguration:\n        Status: Enabled\n\n  C:\n    Type: AWS::S3::Bucket\n",
			add:  properties(versioning),
		},
		{
			name: "Properties into a resource written as a flow mapping",
			src:  "Resources:\n  B: {Type: AWS::S3::Bucket}\n",
			want: "Resources:\n  B: {Type: AWS::S3::Bucket, Properties: {VersioningConfiguration: {Status: Enabled}}}\n",
			add:  properties(versioning),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, "", tc.src, tc.want, func(d *yamlpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
				return d.EditMap(rs["B"].Body, nil, []*graph.Attribute{tc.add})
			})
		})
	}
}

func TestEditMapAddSeveralToAFlowMappingOnLines(t *testing.T) {
	src := "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {\n      BucketName: b,\n      PublicAccessBlockConfiguration: {BlockPublicAcls: true, IgnorePublicAcls: false}\n    }\n"
	want := "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {\n      BucketName: b,\n      PublicAccessBlockConfiguration: {BlockPublicAcls: true, IgnorePublicAcls: false},\n      AccessControl: Private\n    }\n"
	check(t, "", src, want, func(d *yamlpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
		return d.EditMap(rs["B"].Body, nil, []*graph.Attribute{graph.Attr("AccessControl", str("Private"))})
	})
	inner := "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {\n      BucketName: b,\n      PublicAccessBlockConfiguration: {BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: true}\n    }\n"
	check(t, "", src, inner, editMap("B", []string{"PublicAccessBlockConfiguration"}, nil,
		graph.Attr("BlockPublicPolicy", graph.BoolValue(true)), graph.Attr("RestrictPublicBuckets", graph.BoolValue(true))))
}

func TestEditMapReplaceEveryEntry(t *testing.T) {
	src := "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      # the name\n      BucketName: b # old\n    DeletionPolicy: Retain\n"
	want := "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      # the name\n      AccessControl: Private\n    DeletionPolicy: Retain\n"
	check(t, "", src, want, editMap("B", nil, []string{"BucketName"}, graph.Attr("AccessControl", str("Private"))))
}

func TestRemoveResources(t *testing.T) {
	tests := []struct {
		name, file, src, want string
		drop                  []string
	}{
		{
			name: "the middle one, with the blank line after it",
			src:  "Resources:\n  A:\n    Type: AWS::SNS::Topic\n\n  B:\n    Type: AWS::SNS::Topic\n\n  C:\n    Type: AWS::SNS::Topic\n",
			want: "Resources:\n  A:\n    Type: AWS::SNS::Topic\n\n  C:\n    Type: AWS::SNS::Topic\n",
			drop: []string{"B"},
		},
		{
			name: "the last, written as a flow mapping, CRLF",
			src:  "Resources:\r\n  A:\r\n    Type: AWS::SNS::Topic\r\n  B: {Type: \"AWS::SNS::Topic\", Properties: {TopicName: b}}\r\n",
			want: "Resources:\r\n  A:\r\n    Type: AWS::SNS::Topic\r\n",
			drop: []string{"B"},
		},
		{
			name: "two, no final newline",
			src:  "Resources:\n  A:\n    Type: AWS::SNS::Topic\n  B:\n    Type: AWS::SNS::Topic\n  C:\n    Type: AWS::SNS::Topic",
			want: "Resources:\n  B:\n    Type: AWS::SNS::Topic",
			drop: []string{"A", "C"},
		},
		{
			name: "from serverless.yml",
			file: "serverless.yml",
			src:  "service: api\nprovider:\n  name: aws\nresources:\n  Resources:\n    A:\n      Type: AWS::SNS::Topic\n    B:\n      Type: AWS::SNS::Topic\n",
			want: "service: api\nprovider:\n  name: aws\nresources:\n  Resources:\n    B:\n      Type: AWS::SNS::Topic\n",
			drop: []string{"A"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, tc.file, tc.src, tc.want, func(d *yamlpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
				var drop []*graph.Resource
				for _, a := range tc.drop {
					drop = append(drop, rs[a])
				}
				return d.RemoveResources(drop)
			})
		})
	}
}
