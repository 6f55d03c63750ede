import { Validations, type Stage } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkWithCdkNag } from '../../infra/stack';
import { filesApp, logicalId, type FilesApp } from './files-app';

interface ValidationReport {
  pluginReports: { pluginName: string; violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
}

const readReport = (files: FilesApp): ValidationReport =>
  JSON.parse(readFileSync(path.join(files.app.outdir, cxapi.VALIDATION_REPORT_FILE), 'utf8')) as ValidationReport;

/** Every finding of one rule on one resource: `AwsSolutions-S10 CodeCraftFiles/Bucket/Resource`. */
const findingsIn = (report: ValidationReport): string[] =>
  report.pluginReports.flatMap((plugin) => plugin.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} ${c.constructPath}`)));

/** The acknowledgments recorded under `root`: construct path → rule id → reason. */
function acknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          // Ids without a namespace are stored as annotation ids; cdk-nag strips the prefix the same way.
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/**
 * AwsSolutions with acknowledgments ignored: what the rules say about the
 * stack before any suppression. cdk-nag 3 has no switch for this, so the
 * test replaces its private acknowledgment lookup.
 */
function unacknowledgedFindings(stage: Stage): string[] {
  const checks = new AwsSolutionsChecks();
  Object.defineProperty(checks, 'isAcknowledged', { value: () => false });
  return checks.validateScope(stage).violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`));
}

describe('cdk-nag AwsSolutions checks', () => {
  let files: FilesApp | undefined;
  afterEach(() => files?.dispose());

  it('find nothing unacknowledged: synthesis succeeds and the validation report is empty', () => {
    // As `npm run synth` runs it: with CDK's CloudFormation schema validation too.
    files = filesApp(undefined, { builtinCloudFormationValidation: true });
    checkWithCdkNag(files.app);

    // A finding of any severity fails the synthesis (ValidationFailed).
    files.app.synth();

    expect(findingsIn(readReport(files))).toEqual([]);
  }, 60_000); // loading the CloudFormation schemas takes seconds, more under a full test run

  it('fail the synthesis when a new finding appears', () => {
    files = filesApp();
    new s3.Bucket(files.stack, 'Unchecked'); // no access logs, no SSL enforcement
    checkWithCdkNag(files.app);
    expect(() => files!.app.synth()).toThrow(/AwsSolutions-S10/);

    expect(findingsIn(readReport(files)).sort()).toEqual([
      'AwsSolutions-S1 CodeCraftFiles/Unchecked/Resource',
      'AwsSolutions-S10 CodeCraftFiles/Unchecked/Resource',
    ]);
  });

  it('are acknowledged only where listed here, each for a finding that exists, with a reason', () => {
    files = filesApp();
    const { stack } = files;
    const objectsWildcard = `AwsSolutions-IAM5[Resource::<${logicalId(stack.storage.bucket)}.Arn>/projects/*]`;

    const acknowledged = acknowledgments(files.app);

    expect(acknowledged.map(({ path, id }) => `${id} ${path}`).sort()).toEqual(
      [
        'AwsSolutions-COG8 CodeCraftFiles/Auth/Users',
        'AwsSolutions-ASC3 CodeCraftFiles/GraphQL/Api',
        `${objectsWildcard} CodeCraftFiles/UploadFunction/Role`,
        `${objectsWildcard} CodeCraftFiles/LargeUploadFunction/Role`,
        `${objectsWildcard} CodeCraftFiles/DeleteFileFunction/Role`,
        `${objectsWildcard} CodeCraftFiles/DownloadFunction/Role`,
        `${objectsWildcard} CodeCraftFiles/RestUploadFunction/Role`,
        `${objectsWildcard} CodeCraftFiles/Reconciler/Function/Role`,
      ].sort(),
    );
    const findings = unacknowledgedFindings(files.app);
    for (const { path, id, reason } of acknowledged) {
      expect(findings, `${id} at ${path} acknowledges nothing`).toContainEqual(expect.stringMatching(`^${escape(id)} ${escape(path)}/`));
      expect(reason.length, `the reason for ${id} at ${path}`).toBeGreaterThan(100);
    }
  });
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
