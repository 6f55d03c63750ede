/** 1. filesByProject(limit: 20) over HTTP vs the raw byProject Query it resolves to. */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { fileTable } from '../../infra/api-definition';
import { FilesByProjectDocument } from '../../generated/operations';
import { fileRow, graphql, putRow, type Bench } from '../context';
import { comparePair, type Pair, type RunOptions } from '../measure';

const PROJECT = 'bench-read';
const ROWS = 200;
const LIMIT = 20;

async function seed(bench: Bench): Promise<void> {
  const start = Date.UTC(2026, 0, 1);
  const body = Buffer.from('hello');
  for (let i = 0; i < ROWS; i += 1) {
    await putRow(bench, fileRow(PROJECT, `seed-${i}.txt`, body, new Date(start + i * 1000).toISOString()));
  }
}

export async function readPath(bench: Bench, options: RunOptions): Promise<Pair> {
  await seed(bench);
  const viaApi = async () => {
    const { items } = (await graphql(bench, FilesByProjectDocument.toString(), { projectID: PROJECT, limit: LIMIT })).filesByProject;
    if (items.length !== LIMIT) throw new Error(`filesByProject returned ${items.length} items, expected ${LIMIT}`);
  };
  const raw = async () => {
    const { Items = [] } = await bench.dynamodb.send(
      new QueryCommand({
        TableName: bench.server.storage.tableName,
        IndexName: fileTable.byProjectIndex.name,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': fileTable.byProjectIndex.partitionKey },
        ExpressionAttributeValues: { ':p': { S: PROJECT } },
        ScanIndexForward: false,
        Limit: LIMIT,
      }),
    );
    if (Items.map((item) => unmarshall(item)).length !== LIMIT) throw new Error(`Query returned ${Items.length} items, expected ${LIMIT}`);
  };
  return comparePair(viaApi, raw, options);
}
