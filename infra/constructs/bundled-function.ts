import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import path from 'node:path';
import type { LambdaName } from '../api-definition';
import { bundlePaths } from '../bundle';
import { FUNCTION_TIMEOUT_SECONDS, lambdaEnvironment, type LambdaSettings } from '../../functions/core/config';

export interface BundledFunctionProps {
  /** Which Lambda of the API definition; its esbuild bundle in dist/ is what gets deployed. */
  lambda: LambdaName;
  description: string;
  /** Written by functions/core/config.ts's writer, which refuses an empty one at synth. */
  settings: LambdaSettings;
  /** 25 s by default: under the 30 s AppSync and API Gateway wait for an integration. */
  timeout?: Duration;
}

/** How long function, API and access logs are kept. */
export const LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;

/**
 * A Lambda function running the bundle that `npm run build` produced — the
 * same file the local server and the tests execute; nothing is re-bundled.
 * Its role starts empty: only an explicit log statement on its own log
 * group (no AWSLambdaBasicExecutionRole, which allows writing to any log
 * group), plus whatever the caller grants.
 */
export class BundledFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);

    const logGroup = (this.logGroup = new logs.LogGroup(this, 'Logs', { retention: LOG_RETENTION }));
    this.role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    // The group exists before the function runs, so CreateLogGroup is not needed.
    // Its Arn attribute (arn:…:log-group:<name>:*) covers exactly its own streams.
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));

    this.function = new lambda.Function(this, 'Function', {
      description: props.description,
      // The active LTS; the bundle is built for it (esbuild target node24 in infra/bundle.ts).
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code: lambda.Code.fromAsset(path.dirname(bundlePaths.lambda(props.lambda))),
      handler: 'index.handler',
      role: this.role,
      logGroup,
      memorySize: 512,
      // Under the 30 s that AppSync and API Gateway wait for an integration: a slow call
      // ends in the function, logged with its request ID, rather than at the gateway.
      timeout: props.timeout ?? Duration.seconds(FUNCTION_TIMEOUT_SECONDS),
      environment: {
        ...lambdaEnvironment(props.settings),
        // The bundle ships its source map: logged stack traces point at the TypeScript sources.
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
  }
}
