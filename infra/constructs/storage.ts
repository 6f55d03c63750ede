import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RECONCILE_CURSOR_KEY } from '../../functions/core/keys';
import { bucketCors, fileTable } from '../api-definition';

export interface FileStorageProps {
  /** Deletion protection on the table; without it the table is also deleted with the stack. */
  deletionProtection: boolean;
  /** Origins whose pages may read and write objects from a browser (CORS). */
  corsAllowedOrigins: string[];
}

/** Every object the service writes lives under this prefix (functions/core/keys.ts). */
const OBJECT_PREFIX = 'projects/';

/** The TTL attribute of FileMetadata rows: `expiresAt` of PendingItem in functions/core/storage.ts. */
const EXPIRES_AT_ATTRIBUTE = 'expiresAt';

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
          allowedMethods: bucketCors.allowedMethods.map((method) => s3.HttpMethods[method]),
          allowedOrigins: props.corsAllowedOrigins,
          allowedHeaders: [...bucketCors.allowedHeaders],
          exposedHeaders: [...bucketCors.exposedHeaders],
          maxAge: bucketCors.maxAgeSeconds,
        },
      ],
      lifecycleRules: [
        {
          id: 'expire-noncurrent-versions',
          // Versions replaced or deleted stay recoverable for 30 days.
          noncurrentVersionExpiration: Duration.days(30),
          // The delete markers that DeleteObject (deleteFile, discarded uploads, the upload's compensation) leaves behind.
          expiredObjectDeleteMarker: true,
        },
        {
          id: 'abort-incomplete-multipart-uploads',
          // An unfinished upload's row expires after 24 hours (PENDING_UPLOAD_SECONDS in functions/core/limits.ts);
          // S3 aborts at the first midnight UTC at least 2 days after initiation: a day or more after the row expires.
          abortIncompleteMultipartUploadAfter: Duration.days(2),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Table (AWS::DynamoDB::Table) rather than TableV2 (AWS::DynamoDB::GlobalTable): the service is
    // single-region, and cdk-nag's point-in-time-recovery check (AwsSolutions-DDB3) inspects Table only.
    this.table = new dynamodb.Table(this, fileTable.logicalName, {
      partitionKey: { name: fileTable.partitionKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // PENDING rows of unfinished direct uploads carry it (epoch seconds): DynamoDB deletes them once it has passed.
      timeToLiveAttribute: EXPIRES_AT_ATTRIBUTE,
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
    this.grantObjects(role, ['s3:PutObject', 's3:DeleteObject'], 'two object actions (PutObject, DeleteObject) and no read');
    this.grantItems(role, ['dynamodb:GetItem', 'dynamodb:PutItem']);
  }

  /**
   * The calls of functions/large-upload (functions/core/create-upload.ts,
   * complete-upload.ts, transfers.ts). s3:PutObject covers the presigned PUT
   * and UploadPart URLs, which carry the signer's rights, and
   * CreateMultipartUpload and CompleteMultipartUpload; ListParts needs
   * s3:ListMultipartUploadParts, AbortMultipartUpload its own action;
   * s3:GetObject covers HeadObject and the ranged GetObject that sniffs the
   * content type; DeleteObject discards bytes that do not match. On the
   * table: GetItem (consistent), PutItem of the PENDING row, UpdateItem to
   * AVAILABLE, DeleteItem of a discarded upload. No index, no list action.
   */
  grantLargeUpload(role: iam.Role): void {
    this.grantObjects(
      role,
      ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
      'five object actions (PutObject for presigned PUTs, parts and multipart create/complete; GetObject for HeadObject and a ranged read of the first bytes; DeleteObject; ListMultipartUploadParts; AbortMultipartUpload)',
    );
    this.grantItems(role, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']);
  }

  /** The calls of functions/delete-file (functions/core/delete-file.ts): DeleteItem of the row, then DeleteObject. */
  grantDeleteFile(role: iam.Role): void {
    this.grantObjects(role, ['s3:DeleteObject'], 'one object action (DeleteObject)');
    this.grantItems(role, ['dynamodb:DeleteItem']);
  }

  /**
   * What functions/download signs (functions/core/download-url.ts): presigned
   * GetObject URLs, which carry the signer's rights. It calls no table.
   */
  grantDownload(role: iam.Role): void {
    this.grantObjects(role, ['s3:GetObject'], 'one object action (GetObject, for the presigned download URLs it signs)');
  }

  /**
   * The calls of functions/reconcile (functions/core/reconcile.ts,
   * reconcile-stores.ts): ListBucket under projects/ only, GetObject
   * (HeadObject of a row's object, and of an orphan just before its delete)
   * and DeleteObject (an orphan) on object
   * keys, GetObject and PutObject of its one cursor object; BatchGetItem
   * (the rows of listed keys) and Scan (the rows, a page at a time) on the
   * table. No write to the table, no index.
   */
  grantReconcile(role: iam.Role): void {
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn], conditions: { StringEquals: { 's3:prefix': OBJECT_PREFIX } } }),
    );
    this.grantObjects(
      role,
      ['s3:GetObject', 's3:DeleteObject'],
      "two object actions (GetObject for HeadObject of a row's object or an orphan, DeleteObject of an orphan)",
    );
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [this.bucket.arnForObjects(RECONCILE_CURSOR_KEY)] }));
    this.grantItems(role, ['dynamodb:BatchGetItem', 'dynamodb:Scan']);
  }

  /**
   * The one place that grants object actions: `actions` on the keys under
   * OBJECT_PREFIX, with cdk-nag's finding on that wildcard acknowledged on
   * `role`. `what` names the actions and why, for the acknowledgment.
   */
  private grantObjects(role: iam.Role, actions: string[], what: string): void {
    role.addToPolicy(new iam.PolicyStatement({ actions, resources: [this.objectsArn] }));
    Validations.of(role).acknowledge({
      id: this.objectsWildcardFinding(),
      reason: `Object keys are projects/{projectID}/{fileID}/{name}, created per upload, so the statement names the key prefix the service owns: ${what}, one bucket, one prefix. No bucket-level action: nothing lists, configures or changes the policy of the bucket.`,
    });
  }

  /** Item actions on the table itself, no index. */
  private grantItems(role: iam.Role, actions: string[]): void {
    role.addToPolicy(new iam.PolicyStatement({ actions, resources: [this.table.tableArn] }));
  }

  /**
   * The reads of the APPSYNC_JS functions on the FileTable data source:
   * GetItem (resolvers/functions/getFile.ts) and Query on the byProject
   * index (resolvers/functions/queryFilesByProject.ts).
   */
  grantResolverReads(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [this.table.tableArn] }));
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [this.byProjectIndexArn] }));
  }

  /** The cdk-nag finding that the object-key wildcard of grantObjects raises. */
  private objectsWildcardFinding(): string {
    const bucket = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    return `AwsSolutions-IAM5[Resource::<${bucket}.Arn>/${OBJECT_PREFIX}*]`;
  }
}
