/**
 * Checks dynalite's LevelDB before the server opens it: every index entry
 * has its item, every item its index entries. Since the patch
 * (patches/dynalite+4.0.0.patch) an item and its index entries are written
 * in one batch, so no crash breaks this; data written by an unpatched
 * dynalite that crashed may. An index entry without its item (a listing
 * of a file that does not exist) is removed: its write never completed, so
 * nobody was told it succeeded. An item missing from an index gets its
 * entry back.
 */
import * as dynaliteDb from 'dynalite/db/index.js';
import type { IndexDescription, Store, TableDescription } from 'dynalite/db/index.js';

export interface IndexRepairReport {
  /** Index entries whose item does not exist, removed. */
  phantomEntries: number;
  /** Index entries an item lacked, written. */
  missingEntries: number;
}

type Item = Record<string, Record<string, unknown>>;
type Operation = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string };

async function* entries(store: Store, prefix: string): AsyncGenerator<[string, unknown]> {
  for await (const [key, value] of store.db.iterator({ gte: prefix, lt: `${prefix}\xff` })) yield [key.slice(prefix.length), value];
}

async function repairTable(store: Store, table: TableDescription, operations: Operation[]): Promise<IndexRepairReport> {
  const report = { phantomEntries: 0, missingEntries: 0 };
  const itemDb = store.getItemDb(table.TableName);
  const items = new Map<string, Item>();
  for await (const [key, item] of entries(store, itemDb.prefixedKey(''))) items.set(key, item as Item);
  const indexes: ['Local' | 'Global', IndexDescription][] = [
    ...(table.LocalSecondaryIndexes ?? []).map((index) => ['Local', index] as ['Local', IndexDescription]),
    ...(table.GlobalSecondaryIndexes ?? []).map((index) => ['Global', index] as ['Global', IndexDescription]),
  ];
  for (const [indexType, index] of indexes) {
    const indexDb = store.getIndexDb(indexType, table.TableName, index.IndexName);
    // The entries each item should have in this index, by their key.
    const expected = new Map<string, unknown>();
    for (const item of items.values()) for (const put of dynaliteDb.getIndexActions([index], null, item, table).puts) expected.set(put.key, put.item);
    const present = new Set<string>();
    for await (const [key] of entries(store, indexDb.prefixedKey(''))) {
      present.add(key);
      if (expected.has(key)) continue;
      operations.push({ type: 'del', key: indexDb.prefixedKey(key) });
      report.phantomEntries += 1;
    }
    for (const [key, value] of expected) {
      if (present.has(key)) continue;
      operations.push({ type: 'put', key: indexDb.prefixedKey(key), value });
      report.missingEntries += 1;
    }
  }
  return report;
}

/** Checks and repairs the indexes of every table in the dynalite data at `directory`; call before dynalite opens it. */
export async function repairDynaliteIndexes(directory: string): Promise<IndexRepairReport> {
  const store = dynaliteDb.create({ path: directory });
  const report = { phantomEntries: 0, missingEntries: 0 };
  try {
    const operations: Operation[] = [];
    for await (const [, table] of entries(store, store.tableDb.prefixedKey(''))) {
      const found = await repairTable(store, table as TableDescription, operations);
      report.phantomEntries += found.phantomEntries;
      report.missingEntries += found.missingEntries;
    }
    if (operations.length) await new Promise<void>((resolve, reject) => store.db.batch(operations, (error) => (error ? reject(error) : resolve())));
  } finally {
    await new Promise<void>((resolve, reject) => store.db.close((error) => (error ? reject(error) : resolve())));
  }
  return report;
}
