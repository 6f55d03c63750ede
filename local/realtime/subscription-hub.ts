/**
 * Who is subscribed to what, and the fan-out of mutation events: each event
 * reaches exactly the subscriptions whose trigger, arguments and filter
 * match, rendered with each subscriber's own selection set. Subscribers are
 * kept grouped by what they match and by how they render, so an event is
 * matched once per match group and rendered and JSON-encoded once per render
 * group, and the same text goes to every member. An invalidation ends the
 * subscriptions whose invalidation filter matches it.
 */
import type { SubscriptionInvalidation } from '../appsync-js/util';
import type { GraphQLResponse, MutationEvent, PreparedSubscription } from '../graphql/graphql-api';

/** One render of an event, encoded once for all its subscribers. */
export interface EncodedEvent {
  /** JSON.stringify of the response: a data frame's payload. */
  json: string;
  /** Its size in UTF-8, against AppSync's event limit. */
  bytes: number;
}

interface Subscriber {
  subscription: PreparedSubscription;
  /** Must not wait on the socket: one slow reader would hold up every subscriber after it. */
  deliver(event: EncodedEvent): void;
  /** Told when the service ends the subscription (an invalidation). */
  end(): void;
}

type RenderGroups = Map<string, Set<Subscriber>>;

export const encodeEvent = (response: GraphQLResponse): EncodedEvent => {
  const json = JSON.stringify(response);
  return { json, bytes: Buffer.byteLength(json) };
};

export class SubscriptionHub {
  /** matchKey → renderKey → subscribers. */
  readonly #groups = new Map<string, RenderGroups>();
  readonly #subscribers = new Set<Subscriber>();

  /** Registers a subscriber; the returned function unregisters it. */
  add(subscription: PreparedSubscription, deliver: Subscriber['deliver'], end: Subscriber['end']): () => void {
    const subscriber = { subscription, deliver, end };
    this.#subscribers.add(subscriber);
    const { matchKey, renderKey } = subscription;
    const renders = this.#groups.get(matchKey) ?? this.#groups.set(matchKey, new Map()).get(matchKey)!;
    (renders.get(renderKey) ?? renders.set(renderKey, new Set()).get(renderKey)!).add(subscriber);
    return () => this.#remove(subscriber);
  }

  #remove(subscriber: Subscriber): void {
    if (!this.#subscribers.delete(subscriber)) return;
    const { matchKey, renderKey } = subscriber.subscription;
    const renders = this.#groups.get(matchKey)!;
    const members = renders.get(renderKey)!;
    members.delete(subscriber);
    if (!members.size) renders.delete(renderKey);
    if (!renders.size) this.#groups.delete(matchKey);
  }

  get size(): number {
    return this.#subscribers.size;
  }

  publish(event: MutationEvent): void {
    for (const renders of this.#groups.values()) {
      const [first] = renders.values().next().value!;
      if (!first.subscription.matches(event)) continue;
      for (const group of renders.values()) {
        // Those subscribed now; one that goes before the render is done is skipped.
        const members = [...group];
        members[0].subscription.render(event).then(
          (response) => {
            const encoded = encodeEvent(response);
            // After the mutation's own answer is written: its caller does not wait on a thousand socket writes.
            setImmediate(() => {
              for (const subscriber of members) if (this.#subscribers.has(subscriber)) subscriber.deliver(encoded);
            });
          },
          (error) => console.error('[realtime] could not render an event for its subscribers', error),
        );
      }
    }
  }

  invalidate(invalidation: SubscriptionInvalidation): void {
    for (const subscriber of this.#subscribers) {
      if (!subscriber.subscription.invalidatedBy(invalidation)) continue;
      this.#remove(subscriber);
      subscriber.end();
    }
  }
}
