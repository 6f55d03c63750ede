/**
 * Signing in to a deployed stack's user pool, with Amplify's signIn (SRP):
 * the first sign-in of a user an administrator created asks for a new
 * password; the pool requires TOTP, set up once (the otpauth URI for an
 * authenticator app) and asked at each sign-in.
 */
import { confirmSignIn, signIn, signOut, type SignInOutput } from 'aws-amplify/auth';
import { useState } from 'react';
import type { PageConfig } from './config';
import { configureUserPool, type Session } from './session';

type Step = SignInOutput['nextStep'];

const promptOf = (step: Step): { label: string; type: string; detail?: string } | undefined => {
  switch (step.signInStep) {
    case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED':
      return { label: 'New password', type: 'password', detail: 'Your administrator gave you a temporary password: choose your own.' };
    case 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP':
      return {
        label: 'Code from your authenticator app',
        type: 'text',
        detail: `Add this account to your authenticator app: ${step.totpSetupDetails.getSetupUri('CodeCraft Files').href}`,
      };
    case 'CONFIRM_SIGN_IN_WITH_TOTP_CODE':
      return { label: 'Code from your authenticator app', type: 'text' };
    default:
      return undefined;
  }
};

/** Cognito's refusals in plain words; its own message where it already is one. */
function plain(error: unknown): string {
  const { name, message } = error instanceof Error ? error : { name: '', message: '' };
  if (name === 'NotAuthorizedException' && /incorrect username or password/i.test(message)) return 'Incorrect user name or password.';
  if (name === 'NotAuthorizedException' && /session/i.test(message)) return 'This sign-in took too long: start again.';
  if (name === 'CodeMismatchException') return 'That code is not right: type the code your authenticator app shows now.';
  return message || 'Sign-in failed: try again.';
}

export function CognitoSignIn({ config, onSignedIn }: { config: PageConfig; onSignedIn: (session: Session) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState<Step>();
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState<string>();

  const follow = (output: SignInOutput) => {
    setAnswer('');
    if (output.isSignedIn) return onSignedIn({ kind: 'cognito', label: username });
    if (!promptOf(output.nextStep)) return setError(`This sign-in needs a step the page does not offer (${output.nextStep.signInStep}).`);
    setStep(output.nextStep);
  };

  const submit = async () => {
    setError(undefined);
    try {
      if (!step) {
        configureUserPool(config);
        // Tokens left from an earlier visit (a reload, a closed tab) would make Amplify refuse a new sign-in.
        await signOut().catch(() => {});
        follow(await signIn({ username: username.trim(), password, options: { authFlowType: 'USER_SRP_AUTH' } }));
      } else {
        follow(await confirmSignIn({ challengeResponse: answer }));
      }
    } catch (failure) {
      setError(plain(failure));
      if (step && failure instanceof Error && failure.name === 'NotAuthorizedException') setStep(undefined);
    }
  };

  const prompt = step && promptOf(step);
  return (
    <form
      aria-labelledby="cognito-title"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2 id="cognito-title">Sign in</h2>
      {prompt ? (
        <>
          {prompt.detail && <p className="help">{prompt.detail}</p>}
          <label htmlFor="challenge">{prompt.label}</label>
          <input id="challenge" type={prompt.type} value={answer} onChange={(e) => setAnswer(e.target.value)} autoComplete="one-time-code" required />
          <button type="submit">Continue</button>
        </>
      ) : (
        <>
          <label htmlFor="cognito-username">Email or user name</label>
          <input id="cognito-username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" required />
          <label htmlFor="cognito-password">Password</label>
          <input
            id="cognito-password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            required
          />
          <button type="submit">Sign in</button>
        </>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
