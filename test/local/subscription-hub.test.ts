import { buildSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { projectRoot } from '../../infra/bundle';
import type { PipelineResolver } from '../../local/appsync-js/execute-resolver';
import { createGraphQLApi, type Caller } from '../../local/graphql/graphql-api';
import { SubscriptionHub, type EncodedEvent } from '../../local/realtime/subscription-hub';

/** A schema of its own: a subscription open to API keys and user pools, over a type with a field only one group may read. */
const schema = buildSchema(`
  ${readFileSync(path.join(projectRoot, 'schema', 'appsync.graphql'), 'utf8')}
  type Item @aws_api_key @aws_cognito_user_pools { id: ID! size: Int note: String @aws_cognito_user_pools(cognito_groups: ["staff"]) }
  type Query { unused: Int }
  type Mutation { put(id: ID!, size: Int, note: String): Item @aws_api_key }
  type Subscription { onPut(id: ID): Item @aws_subscribe(mutations: ["put"]) @aws_api_key @aws_cognito_user_pools }
`);
const resolver = (name: string, response: (ctx: { args: object }) => unknown): PipelineResolver => ({
  name,
  code: { request: () => ({}), response: (ctx) => response(ctx as { args: object }) },
  functions: [],
});
const resolvers = new Map([
  ['Mutation.put', resolver('Mutation.put', (ctx) => ctx.args)],
  ['Subscription.onPut', resolver('Subscription.onPut', () => null)],
]);

const apiKey: Caller = { authMode: 'API_KEY', identity: null, headers: {} };
const user = (sub: string, groups: string[]): Caller => ({ authMode: 'AMAZON_COGNITO_USER_POOLS', identity: { sub, groups }, headers: {} });
/** Past the turn in which the hub writes what it rendered (after the mutation's answer). */
async function nextTurn() {
  for (let turn = 0; turn < 3; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('the subscription hub', () => {
  it('renders and encodes an event once per document, variables and access, and hands each subscriber exactly its own payload', async () => {
    const hub = new SubscriptionHub();
    const api = createGraphQLApi({ schema, resolvers, onMutation: (event) => hub.publish(event) });
    const received = new Map<string, EncodedEvent[]>();
    const renders: string[] = [];
    async function subscribe(name: string, query: string, caller: Caller, variables?: Record<string, unknown>) {
      const outcome = await api.subscribe({ query, variables }, caller);
      if ('errors' in outcome) throw new Error(JSON.stringify(outcome.errors));
      const render = outcome.subscription.render.bind(outcome.subscription);
      vi.spyOn(outcome.subscription, 'render').mockImplementation((event) => (renders.push(name), render(event)));
      received.set(name, []);
      hub.add(
        outcome.subscription,
        (event) => received.get(name)!.push(event),
        () => {},
      );
    }
    const sizes = 'subscription { onPut { id size } }';
    const notes = 'subscription { onPut { id note } }';
    await subscribe('key 1', sizes, apiKey);
    await subscribe('key 2', sizes, apiKey);
    await subscribe('key, typename', 'subscription { onPut { id __typename } }', apiKey);
    await subscribe('staff 1', notes, user('u1', ['staff']));
    await subscribe('staff 2', notes, user('u2', ['staff']));
    await subscribe('guest', notes, user('u3', ['guests']));
    await subscribe('key, other id', 'subscription S($id: ID) { onPut(id: $id) { id size } }', apiKey, { id: '8' });

    await api.execute({ query: 'mutation { put(id: "7", size: 3, note: "n") { id size note } }' }, apiKey);
    await nextTurn();

    // One render per group: the two API keys, the __typename selection, the two staff members (other users, same access), the guest.
    expect(renders.sort()).toEqual(['guest', 'key 1', 'key, typename', 'staff 1']);
    expect(received.get('key 1')![0]).toBe(received.get('key 2')![0]);
    expect(received.get('staff 1')![0]).toBe(received.get('staff 2')![0]);
    const payloads = Object.fromEntries([...received].map(([name, events]) => [name, events.map((event) => JSON.parse(event.json))]));
    expect(payloads).toEqual({
      'key 1': [{ data: { onPut: { id: '7', size: 3 } } }],
      'key 2': [{ data: { onPut: { id: '7', size: 3 } } }],
      'key, typename': [{ data: { onPut: { id: '7', __typename: 'Item' } } }],
      'staff 1': [{ data: { onPut: { id: '7', note: 'n' } } }],
      'staff 2': [{ data: { onPut: { id: '7', note: 'n' } } }],
      guest: [
        {
          data: { onPut: { id: '7', note: null } },
          errors: [expect.objectContaining({ errorType: 'Unauthorized', message: 'Not Authorized to access note on type Item', path: ['onPut', 'note'] })],
        },
      ],
      'key, other id': [],
    });
    expect(received.get('guest')![0].bytes).toBe(Buffer.byteLength(received.get('guest')![0].json));
  });

  it('skips a subscriber that left before its group was rendered, and keeps serving the rest of its group', async () => {
    const hub = new SubscriptionHub();
    const api = createGraphQLApi({ schema, resolvers, onMutation: (event) => hub.publish(event) });
    const delivered: string[] = [];
    const leave: (() => void)[] = [];
    for (const name of ['stays', 'leaves']) {
      const outcome = await api.subscribe({ query: 'subscription { onPut { id } }' }, apiKey);
      if ('errors' in outcome) throw new Error(JSON.stringify(outcome.errors));
      leave.push(
        hub.add(
          outcome.subscription,
          () => delivered.push(name),
          () => {},
        ),
      );
    }

    await api.execute({ query: 'mutation { put(id: "1") { id } }' }, apiKey);
    leave[1]();
    await nextTurn();
    leave[0]();
    await api.execute({ query: 'mutation { put(id: "2") { id } }' }, apiKey);
    await nextTurn();

    expect(delivered).toEqual(['stays']);
    expect(hub.size).toBe(0);
  });
});
