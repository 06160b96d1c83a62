import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export class OrdersStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 1, natGateways: 0 });
    new s3.Bucket(this, 'Uploads', {
      accessControl: s3.BucketAccessControl.PUBLIC_READ,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY,
    });
    new s3.Bucket(this, 'Archive', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
    });
    const admin = new ec2.SecurityGroup(this, 'AdminSG', { vpc });
    admin.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
  }
}
