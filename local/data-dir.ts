/**
 * Where `npm start` keeps its data, and where `npm run token`, `npm run
 * reconcile` and the `files` CLI look for it: DATA_DIR, or `.data` under the
 * working directory.
 */
export const DEFAULT_DATA_DIR = '.data';

/** The data directory as given (relative paths are the caller's to resolve). */
export const dataDirSetting = (env: NodeJS.ProcessEnv = process.env): string => env.DATA_DIR ?? DEFAULT_DATA_DIR;

/** The file `npm start` writes its endpoints into, inside the data directory, for the CLI to find. */
export const ENDPOINTS_FILE = 'endpoints.json';
