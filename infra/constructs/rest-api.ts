import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Auth } from './auth';
import { LOG_RETENTION } from './bundled-function';

export interface RestUploadApiProps {
  auth: Auth;
  /** The restUpload Lambda (functions/rest-upload). */
  handler: lambda.IFunction;
}

/** Steady-state requests per second and burst, for the whole stage: each request may carry ~4.5 MB. */
const THROTTLE = { rateLimit: 20, burstLimit: 40 };

/** One JSON line per request; no bodies, no headers. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    user: '$context.authorizer.claims.sub',
  }),
);

/**
 * POST /upload for legacy clients: an HTTP API (payload format 2.0) whose
 * JWT authorizer accepts tokens of the stack's user pool app client, in
 * front of the restUpload Lambda.
 */
export class RestUploadApi extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  private readonly stage: apigwv2.HttpStage;

  constructor(scope: Construct, id: string, props: RestUploadApiProps) {
    super(scope, id);

    this.httpApi = new apigwv2.HttpApi(this, 'Api', {
      apiName: 'codecraft-files-rest',
      description: 'Legacy POST /upload of CodeCraft Files',
      // The stage is declared below, with throttling and access logs.
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: LOG_RETENTION });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      autoDeploy: true,
      throttle: THROTTLE,
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });

    this.httpApi.addRoutes({
      path: '/upload',
      methods: [apigwv2.HttpMethod.POST],
      integration: new HttpLambdaIntegration('RestUpload', props.handler, {
        payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
      }),
      authorizer: new HttpUserPoolAuthorizer('UserPool', props.auth.userPool, { userPoolClients: [props.auth.client] }),
    });
  }

  /** https://…/upload */
  get uploadUrl(): string {
    return `${this.stage.url}upload`;
  }
}
