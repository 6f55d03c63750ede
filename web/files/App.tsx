import { signOut } from 'aws-amplify/auth';
import { useState } from 'react';
import { FilesApi } from './api';
import type { PageConfig } from './config';
import { ProjectView } from './ProjectView';
import { clientFor, type Session } from './session';
import { SignIn } from './SignIn';

export function App({ config }: { config: PageConfig }) {
  const [signedIn, setSignedIn] = useState<{ session: Session; api: FilesApi }>();
  const [projectID, setProjectID] = useState(() => new URLSearchParams(location.search).get('project') ?? '');
  const [draft, setDraft] = useState(projectID);

  if (!signedIn) {
    return <SignIn config={config} onSignedIn={(session) => setSignedIn({ session, api: new FilesApi(clientFor(config, session)) })} />;
  }
  return (
    <main>
      <header className="bar">
        <h1>CodeCraft Files</h1>
        <span aria-label="Signed in as">{signedIn.session.label}</span>
        <button
          type="button"
          onClick={() => {
            // Amplify's tokens are cleared before another user can sign in (it refuses while one is signed in).
            const cleared = signedIn.session.kind === 'cognito' ? signOut().catch(() => {}) : Promise.resolve();
            void cleared.then(() => setSignedIn(undefined));
          }}
        >
          Sign out
        </button>
      </header>
      <form
        className="project"
        onSubmit={(event) => {
          event.preventDefault();
          setProjectID(draft.trim());
          history.replaceState(null, '', `?project=${encodeURIComponent(draft.trim())}`);
        }}
      >
        <label htmlFor="project-id">Project</label>
        <input id="project-id" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="e.g. 42" autoComplete="off" required />
        <button type="submit">Open</button>
      </form>
      {projectID && <ProjectView key={`${projectID}:${signedIn.session.label}`} api={signedIn.api} projectID={projectID} />}
    </main>
  );
}
