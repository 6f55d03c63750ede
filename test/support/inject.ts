/**
 * Failures and races injected as middleware on real AWS SDK v3 clients:
 * the command still reaches dynalite or s3rver, nothing is mocked.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';

// Command inputs are read field by field, as the SDK's own middleware does.
type Input = Record<string, any>;
/**
 * Runs `before` ahead of every `commandName` the client sends; `before` may throw to fail the command.
 * At the build step: the input is then what goes on the wire, as a DynamoDBDocumentClient has marshalled it.
 */
export function beforeCommand(client: S3Client | DynamoDBClient, commandName: string, before: (input: Input) => Promise<void> | void): Input[] {
  const seen: Input[] = [];
  (client.middlewareStack as any).add(
    (next: (args: any) => Promise<unknown>, context: { commandName: string }) => async (args: { input: Input }) => {
      if (context.commandName === commandName) {
        seen.push(args.input);
        await before(args.input);
      }
      return next(args);
    },
    { step: 'build', name: `test-before-${commandName}-${randomUUID()}` },
  );
  return seen;
}

/** Runs `after` once every `commandName` the client sends has been carried out, before its caller sees the answer; `after` may throw to fail it. */
export function afterCommand(client: S3Client | DynamoDBClient, commandName: string, after: () => Promise<void> | void): void {
  (client.middlewareStack as any).add(
    (next: (args: any) => Promise<unknown>, context: { commandName: string }) => async (args: unknown) => {
      const result = await next(args);
      if (context.commandName === commandName) await after();
      return result;
    },
    { step: 'initialize', name: `test-after-${commandName}-${randomUUID()}` },
  );
}

/** Fails `commandName` after it has been carried out: the write commits, the caller sees an error (a timeout, a lost answer). */
export function failAfterCommand(client: DynamoDBClient, commandName: string, message: string): void {
  afterCommand(client, commandName, () => {
    throw new Error(message);
  });
}

/**
 * Makes the SDK retry `commandName` after its first attempt was carried out:
 * that attempt's answer is lost (a timeout, which the SDK retries). Each
 * later attempt runs `later` first, which may throw to fail that attempt.
 * Runs inside the SDK's retry loop, per attempt.
 */
export function loseFirstAnswer(client: DynamoDBClient, commandName: string, later: () => void = () => {}): void {
  let attempts = 0;
  (client.middlewareStack as any).add(
    (next: (args: any) => Promise<unknown>, context: { commandName: string }) => async (args: unknown) => {
      if (context.commandName !== commandName) return next(args);
      if (++attempts > 1) {
        later();
        return next(args);
      }
      await next(args);
      throw Object.assign(new Error('injected: the answer to the first attempt was lost'), { name: 'TimeoutError' });
    },
    { step: 'deserialize', priority: 'high', name: `test-lose-first-answer-${commandName}-${randomUUID()}` },
  );
}
