/**
 * What an AWS SDK client actually sends: the input of every command of one
 * kind, recorded by a middleware on the real client (nothing is replaced).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface Recording<TInput> {
  inputs: TInput[];
  stop(): void;
}

export function recordCommands<TInput>(client: DynamoDBClient, commandName: string): Recording<TInput> {
  const name = `record-${commandName}-${Math.random().toString(36).slice(2)}`;
  const inputs: TInput[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === commandName) inputs.push(args.input as TInput);
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { inputs, stop: () => void client.middlewareStack.remove(name) };
}
