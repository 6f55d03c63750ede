/**
 * GET /files: the file browser page (web/files/, bundled into
 * dist/web/files.js by the one esbuild build), pointed at this server.
 */
import { readFile } from 'node:fs/promises';
import { bundlePaths } from '../../infra/bundle';
import type { PageConfig } from '../../web/files/page-config';

export const FILES_PAGE_PATH = '/files';
export const FILES_SCRIPT_PATH = '/files/app.js';

/** The page's configuration, one type for the page and the server that fills it. */
export type FilesPageConfig = PageConfig;

/** A deployed stack to point the page at instead of this server: its GraphQL URL and user pool (sign-in through Cognito). */
export type DeployedPageTarget = Pick<FilesPageConfig, 'graphqlUrl' | 'region' | 'userPool' | 'cognitoEndpoint'>;

/** The target from `cdk deploy --outputs-file cdk-outputs.json`: the stack's GraphQLUrl, UserPoolId and UserPoolClientId. */
export function deployedTargetFromOutputs(json: string): DeployedPageTarget {
  const stacks = Object.values(JSON.parse(json) as Record<string, Record<string, string>>);
  const stack = stacks.find((outputs) => outputs.GraphQLUrl && outputs.UserPoolId && outputs.UserPoolClientId);
  if (!stack) throw new Error('The outputs file names no stack with GraphQLUrl, UserPoolId and UserPoolClientId outputs.');
  return { graphqlUrl: stack.GraphQLUrl, region: stack.UserPoolId.split('_')[0], userPool: { userPoolId: stack.UserPoolId, clientId: stack.UserPoolClientId } };
}

const STYLE = `
:root { font-family: system-ui, sans-serif; color: #1b1f24; background: #fff; --accent: #0b5cad; }
body { margin: 0; }
main { max-width: 64rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.4rem; margin: 0; }
.bar { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; padding-bottom: .75rem; border-bottom: 1px solid #d0d7de; }
.bar h1 { flex: 1; }
form { display: flex; flex-direction: column; gap: .4rem; max-width: 24rem; }
.project { flex-direction: row; flex-wrap: wrap; align-items: center; max-width: none; margin: 1rem 0; }
input { font: inherit; padding: .45rem; border: 1px solid #8c959f; border-radius: 4px; }
button, .button { font: inherit; padding: .45rem .9rem; border: 1px solid var(--accent); border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; }
button:focus-visible, .button:focus-within, input:focus-visible { outline: 3px solid #fbbc04; outline-offset: 2px; }
.help { font-size: .9rem; color: #57606a; margin: 0; }
.error { color: #a40e26; font-weight: 600; }
.drop { border: 2px dashed #8c959f; border-radius: 8px; padding: 1.25rem; text-align: center; margin: 1rem 0; }
.drop.dragging { border-color: var(--accent); background: #eef5fc; }
.upload-list { list-style: none; padding: 0; display: grid; gap: .5rem; }
.upload-list li { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.upload-list progress { flex: 1 1 10rem; height: 1rem; }
.upload-list .name { font-weight: 600; min-width: 8rem; overflow-wrap: anywhere; }
.files { width: 100%; border-collapse: collapse; margin: 1rem 0; }
.files th, .files td { text-align: left; padding: .5rem; border-bottom: 1px solid #d0d7de; vertical-align: middle; }
.files .name { overflow-wrap: anywhere; }
.files .preview { width: 2.5rem; height: 2.5rem; object-fit: cover; margin-right: .5rem; vertical-align: middle; border-radius: 4px; }
.files .actions { display: flex; gap: .4rem; flex-wrap: wrap; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 40rem) {
  .files thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .files tr { display: grid; padding: .5rem 0; border-bottom: 1px solid #d0d7de; }
  .files th, .files td { border: 0; padding: .15rem 0; }
  .files td[data-label]::before { content: attr(data-label) ": "; color: #57606a; }
}
`;

export function filesPage(config: FilesPageConfig): string {
  // JSON in a <script> element: "<" escaped so no value can close it.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>CodeCraft Files</title>
  <style>${STYLE}</style>
</head>
<body>
  <div id="files-app"><main><p>Loading…</p></main></div>
  <script type="application/json" id="files-config">${json}</script>
  <script type="module" src="${FILES_SCRIPT_PATH}"></script>
</body>
</html>`;
}

export const filesScript = (): Promise<Buffer> => readFile(bundlePaths.filesPage);
