import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { BundledFunction } from './bundled-function';
import type { FileStorage } from './storage';

export interface ReconcilerProps {
  storage: FileStorage;
  environment: Record<string, string>;
}

/** How often the reconciler runs: each run examines a bounded batch (RECONCILE_BATCH_SIZE), so the whole bucket is covered over several runs. */
export const RECONCILE_EVERY = Duration.hours(1);

/**
 * The scheduled reconciler (functions/reconcile): an EventBridge rule runs
 * it every hour; it removes objects a crash left without a row. Its
 * rights are exactly its calls (FileStorage.grantReconcile). One run at a
 * time: a run still going when the next starts would examine the same keys.
 */
export class Reconciler extends Construct {
  readonly bundled: BundledFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ReconcilerProps) {
    super(scope, id);
    this.bundled = new BundledFunction(this, 'Function', {
      lambda: 'reconcile',
      description: 'Reconciler: removes objects no metadata row names (left by a crash between the two writes), a batch per run',
      environment: props.environment,
      timeout: Duration.minutes(5),
    });
    props.storage.grantReconcile(this.bundled.role);
    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Runs the files reconciler',
      schedule: events.Schedule.rate(RECONCILE_EVERY),
      targets: [new targets.LambdaFunction(this.bundled.function, { retryAttempts: 0 })],
    });
  }
}
