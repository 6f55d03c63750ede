/**
 * 1. filesByProject(limit: 20) over HTTP vs the raw byProject Query it
 * resolves to, on a project of 1,000 files and on one of 100,000
 * (BENCH_LARGE_PROJECT_ROWS): a page must cost the same however long the list.
 */
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../functions/core/storage';
import { fileTable } from '../../infra/api-definition';
import { FilesByProjectDocument } from '../../generated/operations';
import { fileRow, graphql, type Bench } from '../context';
import { comparePair, inFlight, type Pair, type RunOptions } from '../measure';

const LIMIT = 20;
/** DynamoDB's BatchWriteItem takes at most 25 items. */
const BATCH = 25;
const BATCHES_IN_FLIGHT = 8;

/** Writes `rows` file rows into `projectID`, a second apart, BatchWriteItem by BatchWriteItem. */
async function seed(bench: Bench, projectID: string, rows: number): Promise<void> {
  const start = Date.UTC(2026, 0, 1);
  const body = Buffer.from('hello');
  const documents = documentClient(bench.dynamodb);
  await inFlight(Math.ceil(rows / BATCH), BATCHES_IN_FLIGHT, async (batch) => {
    const first = batch * BATCH;
    let requests = Array.from({ length: Math.min(BATCH, rows - first) }, (_, i) => ({
      PutRequest: { Item: fileRow(projectID, `seed-${first + i}.txt`, body, new Date(start + (first + i) * 1000).toISOString()) },
    }));
    while (requests.length) {
      const { UnprocessedItems } = await documents.send(new BatchWriteCommand({ RequestItems: { [bench.server.storage.tableName]: requests } }));
      requests = (UnprocessedItems?.[bench.server.storage.tableName] ?? []) as typeof requests;
    }
  });
}

export async function readPath(bench: Bench, projectID: string, rows: number, options: RunOptions): Promise<Pair> {
  await seed(bench, projectID, rows);
  const viaApi = async () => {
    const { items } = (await graphql(bench, FilesByProjectDocument.toString(), { projectID, limit: LIMIT })).filesByProject;
    if (items.length !== LIMIT) throw new Error(`filesByProject returned ${items.length} items, expected ${LIMIT}`);
  };
  const documents = documentClient(bench.dynamodb);
  // The request the resolver's ddb.query sends, word for word: AppSync's helper names the key condition's
  // placeholders `#projectID` and `:projectID_eq` and brackets it, and dynalite's parser pays for every character.
  const raw = async () => {
    const { Items = [] } = await documents.send(
      new QueryCommand({
        TableName: bench.server.storage.tableName,
        IndexName: fileTable.byProjectIndex.name,
        KeyConditionExpression: '(#projectID = :projectID_eq)',
        ExpressionAttributeNames: { '#projectID': fileTable.byProjectIndex.partitionKey },
        ExpressionAttributeValues: { ':projectID_eq': projectID },
        ScanIndexForward: false,
        Limit: LIMIT,
      }),
    );
    if (Items.length !== LIMIT) throw new Error(`Query returned ${Items.length} items, expected ${LIMIT}`);
  };
  return comparePair(viaApi, raw, options);
}
