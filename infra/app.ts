/**
 * The CDK app (cdk.json runs it): `npm run synth`, `npx cdk deploy`.
 *
 * Context (`-c name=value`):
 *   deletionProtection=false          throwaway stacks: table and user pool go with `cdk destroy`
 *   corsAllowedOrigins=https://a,…    origins allowed to use the bucket from a browser
 *   apiKeyName=<name>                 a new name replaces the AppSync API key (rotation)
 *
 * Keep these in cdk.json "context" rather than on the command line: a deploy
 * without them returns to the defaults.
 */
import { App } from 'aws-cdk-lib';
import { bundleAll } from './bundle';
import { checkWithCdkNag, FilesStack, type FilesStackProps } from './stack';

function booleanContext(app: App, name: string): boolean | undefined {
  const value: unknown = app.node.tryGetContext(name);
  if (value === undefined || typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`Context ${name} must be true or false; got ${JSON.stringify(value)}.`);
}

function listContext(app: App, name: string): string[] | undefined {
  const value: unknown = app.node.tryGetContext(name);
  if (value === undefined || Array.isArray(value)) return value;
  return String(value)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

// The stack deploys dist/ as built here, so a fresh clone synthesizes without a separate build.
await bundleAll();

const app = new App();
const props: FilesStackProps = {
  deletionProtection: booleanContext(app, 'deletionProtection'),
  corsAllowedOrigins: listContext(app, 'corsAllowedOrigins'),
  apiKeyName: app.node.tryGetContext('apiKeyName') as string | undefined,
};
new FilesStack(app, 'CodeCraftFiles', props);
checkWithCdkNag(app);
