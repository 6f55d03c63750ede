import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { LambdaSettings } from '../../functions/core/config';
import { BundledFunction } from './bundled-function';
import type { FileStorage } from './storage';

export interface ReconcilerProps {
  storage: FileStorage;
  settings: LambdaSettings;
}

/** How often the reconciler runs: each run examines a bounded batch (RECONCILE_BATCH_SIZE), so the whole bucket is covered over several runs. */
export const RECONCILE_EVERY = Duration.hours(1);

/**
 * The scheduled reconciler (functions/reconcile): an EventBridge rule runs
 * it every hour; it removes objects a crash left without a row. Its
 * rights are exactly its calls (FileStorage.grantReconcile). One run at a
 * time: a run still going when the next starts would examine the same keys.
 * A run that fails is retried by nobody (the next runs an hour later), so
 * its Errors metric raises an alarm: a reconciler that always fails
 * otherwise goes unseen while orphans pile up.
 */
export class Reconciler extends Construct {
  readonly bundled: BundledFunction;
  readonly rule: events.Rule;
  readonly errorsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ReconcilerProps) {
    super(scope, id);
    this.bundled = new BundledFunction(this, 'Function', {
      lambda: 'reconcile',
      description: 'Reconciler: removes objects no metadata row names (left by a crash between the two writes), a batch per run',
      settings: props.settings,
      timeout: Duration.minutes(5),
    });
    props.storage.grantReconcile(this.bundled.role);
    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Runs the files reconciler',
      schedule: events.Schedule.rate(RECONCILE_EVERY),
      targets: [new targets.LambdaFunction(this.bundled.function, { retryAttempts: 0 })],
    });
    this.errorsAlarm = new cloudwatch.Alarm(this, 'Errors', {
      alarmDescription: 'The files reconciler failed: see its log group; orphans are not removed while it fails',
      metric: this.bundled.function.metricErrors({ period: RECONCILE_EVERY, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
