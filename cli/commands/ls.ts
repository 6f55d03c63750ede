/** `files ls --project P [--json]`: every page of filesByProject, newest first, as the API orders them. */
import { FilesByProjectDocument, type FilesByProjectQuery } from '../../generated/operations';
import { connect, type ConnectionOptions, type Context } from '../context';
import { formatBytes, formatTime, table } from '../format';
import type { GraphQLCall } from '../graphql';

export interface LsOptions extends ConnectionOptions {
  project: string;
  json?: boolean;
}

type Item = FilesByProjectQuery['filesByProject']['items'][number];

/** The API's largest page: fewest round trips. */
const PAGE_SIZE = 100;

/** Every file of a project, newest first: all pages. */
export async function listAll(api: GraphQLCall, projectID: string, signal: AbortSignal): Promise<Item[]> {
  const items: Item[] = [];
  let nextToken: string | null = null;
  do {
    const page: FilesByProjectQuery = await api(FilesByProjectDocument, { projectID, limit: PAGE_SIZE, nextToken }, signal);
    items.push(...page.filesByProject.items);
    nextToken = page.filesByProject.nextToken;
  } while (nextToken);
  return items;
}

export async function lsCommand(options: LsOptions, context: Context): Promise<void> {
  const { api } = await connect(options, context);
  const items = await listAll(api, options.project, context.signal);

  if (options.json) {
    context.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
  } else if (!items.length) {
    context.stdout.write(`No files in project ${options.project}.\n`);
  } else {
    const rows = items.map((f) => [f.fileName, formatBytes(f.size), f.fileType, f.uploadedBy, formatTime(f.uploadedAt), f.fileID]);
    context.stdout.write(`${table(['NAME', 'SIZE', 'TYPE', 'UPLOADED BY', 'UPLOADED', 'FILE ID'], rows)}\n`);
  }
}
