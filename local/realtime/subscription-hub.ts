/**
 * Who is subscribed to what, and the fan-out of mutation events: each event
 * reaches exactly the subscriptions whose trigger, arguments and filter
 * match, rendered with each subscriber's own selection set. An invalidation
 * ends the subscriptions whose invalidation filter matches it.
 */
import type { SubscriptionInvalidation } from '../appsync-js/util';
import type { GraphQLResponse, MutationEvent, PreparedSubscription } from '../graphql/graphql-api';

interface Subscriber {
  subscription: PreparedSubscription;
  deliver(response: GraphQLResponse): void;
  /** Told when the service ends the subscription (an invalidation). */
  end(): void;
}

export class SubscriptionHub {
  readonly #subscribers = new Set<Subscriber>();

  /** Registers a subscriber; the returned function unregisters it. */
  add(subscription: PreparedSubscription, deliver: Subscriber['deliver'], end: Subscriber['end']): () => void {
    const subscriber = { subscription, deliver, end };
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }

  get size(): number {
    return this.#subscribers.size;
  }

  publish(event: MutationEvent): void {
    for (const subscriber of this.#subscribers) {
      if (!subscriber.subscription.matches(event)) continue;
      subscriber.subscription.render(event).then(
        (response) => this.#subscribers.has(subscriber) && subscriber.deliver(response),
        (error) => console.error('[realtime] could not render an event for a subscriber', error),
      );
    }
  }

  invalidate(invalidation: SubscriptionInvalidation): void {
    for (const subscriber of this.#subscribers) {
      if (!subscriber.subscription.invalidatedBy(invalidation)) continue;
      this.#subscribers.delete(subscriber);
      subscriber.end();
    }
  }
}
