/**
 * GET /: the AppSync console's query editor, locally — GraphiQL, already
 * pointed at this API with its API key, subscriptions included. Its scripts
 * are served from the installed packages: the page needs no internet.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { projectRoot } from '../../infra/bundle';

const require = createRequire(import.meta.url);

/** A package's folder (its `exports` hide the UMD files from require.resolve). */
function packageFile(name: string, file: string): string {
  let dir = path.dirname(require.resolve(name));
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return path.join(dir, file);
}

/** URL path under /console/ → file on disk. */
const assets: Record<string, { file: string; type: string }> = {
  'react.js': { file: packageFile('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { file: packageFile('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { file: packageFile('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { file: packageFile('graphiql', 'graphiql.min.css'), type: 'text/css' },
  'appsync-fetcher.js': { file: path.join(projectRoot, 'local', 'console', 'browser', 'appsync-fetcher.js'), type: 'text/javascript' },
};

export async function consoleAsset(name: string): Promise<{ body: Buffer; type: string } | undefined> {
  const asset = Object.hasOwn(assets, name) ? assets[name] : undefined;
  return asset && { body: await readFile(asset.file), type: asset.type };
}

const DEFAULT_QUERY = `# CodeCraft Files — local API. Headers (below) carry the API key;
# replace it with {"authorization": "<token>"} from \`npm run token\` to act as a user.

query ListFiles {
  filesByProject(projectID: "demo", limit: 20) {
    items { fileID fileName fileType size uploadedAt uploadedBy }
    nextToken
  }
}

subscription NewFiles {
  onFileUploaded(projectID: "demo") { fileID fileName size uploadedAt }
}
`;

export function consolePage(options: { graphqlPath: string; realtimePath: string; apiKey: string }): string {
  const config = JSON.stringify({ ...options, headers: JSON.stringify({ 'x-api-key': options.apiKey }, null, 2), query: DEFAULT_QUERY });
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>CodeCraft Files — local console</title>
  <link rel="stylesheet" href="/console/graphiql.css">
  <style>body { margin: 0; height: 100vh; } #console { height: 100vh; }</style>
</head>
<body>
  <div id="console">Loading…</div>
  <script src="/console/react.js"></script>
  <script src="/console/react-dom.js"></script>
  <script src="/console/graphiql.js"></script>
  <script type="module">
    import { createAppSyncFetcher } from '/console/appsync-fetcher.js';
    const config = ${config.replace(/</g, '\\u003c')};
    const origin = window.location.origin;
    const fetcher = createAppSyncFetcher({
      graphqlUrl: origin + config.graphqlPath,
      realtimeUrl: origin.replace(/^http/, 'ws') + config.realtimePath,
    });
    ReactDOM.createRoot(document.getElementById('console')).render(
      React.createElement(GraphiQL, { fetcher, defaultQuery: config.query, defaultHeaders: config.headers, shouldPersistHeaders: true }),
    );
  </script>
</body>
</html>`;
}
