import { CreateTableCommand, type DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutBucketCorsCommand, type S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { bucketCors, fileTable } from '../../infra/api-definition';

/** The FileMetadata table's keys and index as the CDK stack declares them: pk fileID, GSI byProject(projectID, uploadedAt). */
export function fileTableSchema() {
  const index = fileTable.byProjectIndex;
  return {
    AttributeDefinitions: [
      { AttributeName: fileTable.partitionKey, AttributeType: 'S' as const },
      { AttributeName: index.partitionKey, AttributeType: 'S' as const },
      { AttributeName: index.sortKey, AttributeType: 'S' as const },
    ],
    KeySchema: [{ AttributeName: fileTable.partitionKey, KeyType: 'HASH' as const }],
    GlobalSecondaryIndexes: [
      {
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      },
    ],
  };
}

/** Creates the FileMetadata table unless it exists. */
export async function ensureFileTable(dynamodb: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await dynamodb.send(new CreateTableCommand({ TableName: tableName, BillingMode: 'PAY_PER_REQUEST', ...fileTableSchema() }));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

export async function ensureBucket(s3: S3Client, bucketName: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucketName }));
  } catch (error) {
    const alreadyThere = ['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'];
    if (!(error instanceof S3ServiceException && alreadyThere.includes(error.name))) throw error;
  }
  // The deployed bucket's rule, for any origin: pages on the local API's origin (or any dev server) use presigned URLs.
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: bucketName,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: ['*'],
            AllowedMethods: [...bucketCors.allowedMethods],
            AllowedHeaders: [...bucketCors.allowedHeaders],
            ExposeHeaders: [...bucketCors.exposedHeaders],
            MaxAgeSeconds: bucketCors.maxAgeSeconds,
          },
        ],
      },
    }),
  );
}
