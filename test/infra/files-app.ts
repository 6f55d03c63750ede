/**
 * The CDK app as `npm run synth` builds it — same stack, same cdk.json
 * feature flags — synthesized into a temporary directory. The bundles in
 * dist/ come from the vitest globalSetup (test/support/build-bundles.ts).
 */
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LambdaName } from '../../infra/api-definition';
import { projectRoot } from '../../infra/bundle';
import type { BundledFunction } from '../../infra/constructs/bundled-function';
import { FilesStack, type FilesStackProps } from '../../infra/stack';

const cdkJson = JSON.parse(readFileSync(path.join(projectRoot, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };

export interface FilesApp {
  app: App;
  stack: FilesStack;
  /** Removes the synthesized assembly. */
  dispose(): void;
}

export interface FilesAppOptions {
  /**
   * CDK's built-in CloudFormation schema validation, on in `npm run synth`.
   * Off unless asked for: loading its schemas costs seconds per test file.
   */
  builtinCloudFormationValidation?: boolean;
}

export function filesApp(props?: FilesStackProps, options: FilesAppOptions = {}): FilesApp {
  const outdir = mkdtempSync(path.join(tmpdir(), 'codecraft-files-cdk-'));
  const app = new App({
    outdir,
    context: cdkJson.context,
    builtinCloudFormationValidation: options.builtinCloudFormationValidation ?? false,
  });
  const stack = new FilesStack(app, 'CodeCraftFiles', props);
  return { app, stack, dispose: () => rmSync(outdir, { recursive: true, force: true }) };
}

/** The logical ID of a construct's CloudFormation resource (an L2's default child, or the L1 itself). */
export function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

export const getAtt = (construct: IConstruct, attribute: string) => ({ 'Fn::GetAtt': [logicalId(construct), attribute] });
export const ref = (construct: IConstruct) => ({ Ref: logicalId(construct) });

/** Each Lambda of the API definition (infra/api-definition.ts `lambdas`), as the stack deploys it. */
export const lambdasOf = (stack: FilesStack): Record<LambdaName, BundledFunction> => ({
  upload: stack.uploadFunction,
  largeUpload: stack.largeUploadFunction,
  deleteFile: stack.deleteFileFunction,
  download: stack.downloadFunction,
  restUpload: stack.restUploadFunction,
  reconcile: stack.reconciler.bundled,
});
