import { useState } from 'react';
import type { PageConfig } from './config';
import { plainMessage } from './errors';
import { CognitoSignIn } from './CognitoSignIn';
import { localUserSession, type Session } from './session';

/** Local sign-in: any user name and groups (the local server mints the token); a deployed stack's user pool; or the API key. */
export function SignIn({ config, onSignedIn }: { config: PageConfig; onSignedIn: (session: Session) => void }) {
  const [username, setUsername] = useState('');
  const [groups, setGroups] = useState('');
  const [error, setError] = useState<string>();

  const signIn = async () => {
    setError(undefined);
    try {
      const list = groups.split(/[\s,]+/).filter(Boolean);
      onSignedIn(await localUserSession(config, username.trim(), list));
    } catch (failure) {
      setError(plainMessage(failure));
    }
  };

  return (
    <main className="sign-in">
      <h1>CodeCraft Files</h1>
      {config.localTokenUrl && (
        <form
          aria-labelledby="sign-in-title"
          onSubmit={(event) => {
            event.preventDefault();
            void signIn();
          }}
        >
          <h2 id="sign-in-title">Sign in as a local user</h2>
          <label htmlFor="username">User name</label>
          <input id="username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" required />
          <label htmlFor="groups">Groups</label>
          <input id="groups" value={groups} onChange={(e) => setGroups(e.target.value)} placeholder="project-42, admins" aria-describedby="groups-help" />
          <p id="groups-help" className="help">
            Members of <code>project-42</code> may use project 42; <code>admins</code> may use every project.
          </p>
          <button type="submit">Sign in</button>
        </form>
      )}
      {!config.localTokenUrl && <CognitoSignIn config={config} onSignedIn={onSignedIn} />}
      {config.apiKey && (
        <p>
          <button type="button" onClick={() => onSignedIn({ kind: 'apiKey', label: 'API key' })}>
            Use the API key
          </button>
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </main>
  );
}
