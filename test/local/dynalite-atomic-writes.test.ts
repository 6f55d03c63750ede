/**
 * patches/dynalite+4.0.0.patch, tested on dynalite itself (its store and its
 * PutItem/UpdateItem/DeleteItem actions, in memory): an item and its index
 * entries are one LevelDB batch. Unpatched, dynalite wrote the index entries
 * first and the item after, so a crash (or a failed write) between the two
 * left an index entry with no item: a file listed that does not exist.
 */
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as dynaliteDb from 'dynalite/db/index.js';
import type { Store, TableDescription } from 'dynalite/db/index.js';
import putItem from 'dynalite/actions/putItem.js';
import deleteItem from 'dynalite/actions/deleteItem.js';
import updateItem from 'dynalite/actions/updateItem.js';
import { fileTable } from '../../infra/api-definition';
import { fileTableSchema } from '../../local/storage/provision';

const index = fileTable.byProjectIndex;
const table: TableDescription = { TableName: 'Files', TableStatus: 'ACTIVE', ...fileTableSchema() };

type Write = { type: 'put' | 'del'; key: string; value?: unknown }[];

/** A dynalite store in memory with the table, recording each LevelDB write (a batch or a single put/del) as it reaches the database. */
async function recordedStore(failWrite?: (write: Write) => boolean) {
  const store = dynaliteDb.create({});
  await promisify(store.tableDb.put)(table.TableName, table);
  const writes: Write[] = [];
  const db = store.db as unknown as Record<'put' | 'del' | 'batch', (...args: unknown[]) => void>;
  const record = (write: Write, original: (...args: unknown[]) => void, args: unknown[]) => {
    const callback = args.at(-1) as (error?: Error) => void;
    if (failWrite?.(write)) return setImmediate(callback, new Error('injected write failure'));
    writes.push(write);
    original(...args);
  };
  const { put, del, batch } = { put: db.put.bind(db), del: db.del.bind(db), batch: db.batch.bind(db) };
  db.put = (...args) => record([{ type: 'put', key: args[0] as string, value: args[1] }], put, args);
  db.del = (...args) => record([{ type: 'del', key: args[0] as string }], del, args);
  db.batch = (...args) => record(args[0] as Write, batch, args);
  return { store, writes };
}

const run = (action: (store: Store, data: Record<string, unknown>, cb: (error: Error | null) => void) => void, store: Store, data: Record<string, unknown>) =>
  new Promise<void>((resolve, reject) => action(store, { TableName: table.TableName, ...data }, (error) => (error ? reject(error) : resolve())));

const indexPrefix = () => `index-global~${table.TableName}~${index.name}~`;
const itemPrefix = () => `item-${table.TableName}~`;

async function keysUnder(store: Store, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const [key] of store.db.iterator({ gte: prefix, lt: `${prefix}\xff` })) keys.push(key);
  return keys;
}

const file = (uploadedAt: string) => ({ fileID: { S: 'f1' }, projectID: { S: 'p' }, uploadedAt: { S: uploadedAt }, fileName: { S: 'a.txt' } });

describe('dynalite writes an item and its index entries atomically (patch-package)', () => {
  it('PutItem, UpdateItem and DeleteItem each reach LevelDB as one batch holding the item and its index changes', async () => {
    const { store, writes } = await recordedStore();

    await run(putItem, store, { Item: file('2026-01-01') });
    await run(updateItem, store, { Key: { fileID: { S: 'f1' } }, AttributeUpdates: { uploadedAt: { Action: 'PUT', Value: { S: '2026-02-02' } } } });
    await run(deleteItem, store, { Key: { fileID: { S: 'f1' } } });

    const shape = writes.map((write) =>
      write.map(({ type, key }) => `${type} ${key.startsWith(itemPrefix()) ? 'item' : key.startsWith(indexPrefix()) ? 'index' : key}`),
    );
    expect(shape).toEqual([
      ['put index', 'put item'],
      ['del index', 'put index', 'put item'],
      ['del index', 'del item'],
    ]);
    expect(await keysUnder(store, indexPrefix())).toEqual([]);
    expect(await keysUnder(store, itemPrefix())).toEqual([]);
  });

  it('a write that fails leaves neither the item nor an index entry (no phantom in the index)', async () => {
    const failItemWrites = (write: Write) => write.some(({ key }) => key.startsWith(itemPrefix()));
    const { store } = await recordedStore(failItemWrites);

    await expect(run(putItem, store, { Item: file('2026-01-01') })).rejects.toThrow('injected write failure');

    expect(await keysUnder(store, indexPrefix())).toEqual([]);
    expect(await keysUnder(store, itemPrefix())).toEqual([]);
  });
});
