/** The /files page: sign in, pick a project, drop files, watch them arrive. */
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { readConfig } from './config';
import { downgradeOwnRealtimeSocket } from './realtime-over-http';

downgradeOwnRealtimeSocket();
createRoot(document.getElementById('files-app')!).render(<App config={readConfig()} />);
