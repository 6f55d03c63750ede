/**
 * Refusals in plain words, next to what caused them. Amplify throws the
 * GraphQL result ({errors: [{errorType, message}]}) for an answer with
 * errors, and an Error for transport failures.
 */
interface GraphQLFailure {
  errors?: { errorType?: string; message?: string }[];
}

export interface Situation {
  /** The project the action concerned, for "You are not a member of project 42". */
  projectID?: string;
}

/** Amplify reports a refused subscription as one error whose message is "Connection failed: " and the server's JSON. */
function unwrapConnectionFailure(error: unknown): unknown {
  const message = (error as GraphQLFailure)?.errors?.[0]?.message ?? '';
  const json = /^Connection failed: (\{.*\})$/s.exec(message)?.[1];
  if (!json) return error;
  try {
    return JSON.parse(json);
  } catch {
    return error;
  }
}

export function plainMessage(failure: unknown, situation: Situation = {}): string {
  const error = unwrapConnectionFailure(failure);
  const first = (error as GraphQLFailure)?.errors?.[0];
  if (first) {
    switch (first.errorType) {
      case 'Unauthorized':
        if (/uploader/.test(first.message ?? '')) return 'Only the person who started this upload, or an admin, can finish or cancel it.';
        return situation.projectID ? `You are not a member of project ${situation.projectID}.` : 'You are not allowed to do that.';
      case 'UnauthorizedException':
        return 'You are signed out or your sign-in has expired: sign in again.';
      case 'NotFound':
        return 'That file no longer exists: someone may have deleted it.';
      default:
        return first.message ?? 'The request was refused.';
    }
  }
  const message = error instanceof Error ? error.message : '';
  if (/401|Unauthorized/i.test(message)) return 'You are signed out or your sign-in has expired: sign in again.';
  if (/network|failed to fetch|load failed/i.test(message)) return 'The server could not be reached: check your connection and try again.';
  return message || 'Something went wrong: try again.';
}
