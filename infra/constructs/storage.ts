import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { fileTable } from '../api-definition';

export interface FileStorageProps {
  /** Deletion protection on the table; without it the table is also deleted with the stack. */
  deletionProtection: boolean;
  /** Origins whose pages may read and write objects from a browser (CORS). */
  corsAllowedOrigins: string[];
}

/** Every object the service writes lives under this prefix (functions/core/keys.ts). */
const OBJECT_PREFIX = 'projects/';

/**
 * Where files live: the bucket holding their bytes, the FileMetadata table,
 * and the bucket receiving the files bucket's access logs. The grant methods
 * give exactly the calls each piece of code makes, on exactly these resources.
 */
export class FileStorage extends Construct {
  readonly bucket: s3.Bucket;
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: FileStorageProps) {
    super(scope, id);

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // S3 delivers server access logs only to buckets encrypted with SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Not logged itself: cdk-nag (S1) accepts a bucket that receives another bucket's access logs.

    this.bucket = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'files/',
      cors: [
        {
          // Presigned uploads and downloads straight from the browser; S3 multipart uses POST.
          allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.PUT, s3.HttpMethods.HEAD, s3.HttpMethods.POST],
          allowedOrigins: props.corsAllowedOrigins,
          allowedHeaders: ['*'],
          // Browsers hide response headers unless exposed; multipart clients need each part's ETag.
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        {
          id: 'expire-noncurrent-versions',
          // Versions replaced or deleted stay recoverable for 30 days.
          noncurrentVersionExpiration: Duration.days(30),
          // The delete markers the upload's compensating DeleteObject leaves behind.
          expiredObjectDeleteMarker: true,
        },
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Table (AWS::DynamoDB::Table) rather than TableV2 (AWS::DynamoDB::GlobalTable): the service is
    // single-region, and cdk-nag's point-in-time-recovery check (AwsSolutions-DDB3) inspects Table only.
    this.table = new dynamodb.Table(this, fileTable.logicalName, {
      partitionKey: { name: fileTable.partitionKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // No `encryption`: DynamoDB encrypts at rest with its own key, with no KMS permissions or per-request key cost.
      deletionProtection: props.deletionProtection,
      removalPolicy: props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: fileTable.byProjectIndex.name,
      partitionKey: { name: fileTable.byProjectIndex.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: fileTable.byProjectIndex.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }

  /** ARN pattern of every object the service stores. */
  private get objectsArn(): string {
    return this.bucket.arnForObjects(`${OBJECT_PREFIX}*`);
  }

  private get byProjectIndexArn(): string {
    return `${this.table.tableArn}/index/${fileTable.byProjectIndex.name}`;
  }

  /**
   * The calls of the upload core (functions/core/storage.ts): PutObject and
   * DeleteObject (the compensating delete) on object keys, GetItem and
   * PutItem on the table. Nothing reads objects or queries the index.
   */
  grantUploadCore(role: iam.Role): void {
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:DeleteObject'], resources: [this.objectsArn] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [this.table.tableArn] }));
    Validations.of(role).acknowledge({
      id: this.objectsWildcardFinding(),
      reason:
        'Object keys are projects/{projectID}/{fileID}/{name}, created per upload, so the statement names the key prefix the service owns: two object actions (PutObject, DeleteObject), one bucket, one prefix. No read, list or bucket-level action.',
    });
  }

  /**
   * The reads of the APPSYNC_JS functions on the FileTable data source:
   * GetItem (resolvers/functions/getFile.ts) and Query on the byProject
   * index (resolvers/functions/queryFilesByProject.ts).
   */
  grantResolverReads(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [this.table.tableArn] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [this.byProjectIndexArn] }),
    );
  }

  /** The cdk-nag finding that the object-key wildcard of grantUploadCore raises. */
  private objectsWildcardFinding(): string {
    const bucket = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    return `AwsSolutions-IAM5[Resource::<${bucket}.Arn>/${OBJECT_PREFIX}*]`;
  }
}
