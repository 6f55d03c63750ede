import { useCallback, useEffect, useState } from 'react';
import type { FilesApi, ListedFile } from './api';
import { plainMessage } from './errors';
import { FileTable } from './FileTable';
import { Uploads } from './Uploads';

type Listing = { files: ListedFile[]; nextToken: string | null; loading: boolean; error?: string };

/** Newest first; a file announced live goes to the top once, whoever uploaded it. */
const withFile = (files: ListedFile[], file: ListedFile) => (files.some((f) => f.fileID === file.fileID) ? files : [file, ...files]);

export function ProjectView({ api, projectID }: { api: FilesApi; projectID: string }) {
  const [listing, setListing] = useState<Listing>({ files: [], nextToken: null, loading: true });
  const [status, setStatus] = useState('');
  const [live, setLive] = useState('connecting…');

  const load = useCallback(
    async (nextToken: string | null) => {
      setListing((l) => ({ ...l, loading: true, error: undefined }));
      try {
        const page = await api.list(projectID, nextToken);
        // Files a live event added while the page loaded stay, newest first; no file appears twice.
        setListing((l) => {
          const known = new Set(l.files.map((f) => f.fileID));
          return { files: [...l.files, ...page.items.filter((f) => !known.has(f.fileID))], nextToken: page.nextToken ?? null, loading: false };
        });
      } catch (error) {
        setListing((l) => ({ ...l, loading: false, error: plainMessage(error, { projectID }) }));
      }
    },
    [api, projectID],
  );

  useEffect(() => {
    void load(null);
    return api.watch(projectID, {
      uploaded: (file) => {
        setListing((l) => ({ ...l, files: withFile(l.files, { ...file, downloadUrl: null }) }));
        setStatus(`${file.fileName} was added.`);
        // Events carry metadata only: an image's preview needs its URL.
        if (file.contentType.startsWith('image/')) {
          void api
            .downloadUrl(file.fileID)
            .then((downloadUrl) => setListing((l) => ({ ...l, files: l.files.map((f) => (f.fileID === file.fileID ? { ...f, downloadUrl } : f)) })));
        }
      },
      deleted: (file) => {
        setListing((l) => ({ ...l, files: l.files.filter((f) => f.fileID !== file.fileID) }));
        setStatus(`${file.fileName} was deleted.`);
      },
      failed: (error) => {
        setLive('off');
        // A refused listing already says why; the subscription's refusal says the same.
        setListing((l) => ({ ...l, error: l.error ?? plainMessage(error, { projectID }) }));
      },
      connection: (state) => setLive(state === 'Connected' ? 'on' : state === 'Connecting' ? 'connecting…' : 'off'),
    });
  }, [api, projectID, load]);

  const remove = async (file: ListedFile) => {
    if (!confirm(`Delete ${file.fileName}? This cannot be undone.`)) return;
    try {
      await api.deleteFile(file.fileID);
      setListing((l) => ({ ...l, files: l.files.filter((f) => f.fileID !== file.fileID) }));
      setStatus(`${file.fileName} was deleted.`);
    } catch (error) {
      setStatus(plainMessage(error, { projectID }));
    }
  };

  return (
    <section aria-labelledby="project-title">
      <h2 id="project-title">Project {projectID}</h2>
      <p className="live" data-live={live}>
        Live updates: {live}
      </p>
      <p className="status" role="status" aria-live="polite">
        {status}
      </p>
      {listing.error && (
        <p role="alert" className="error">
          {listing.error}
        </p>
      )}
      {/* Kept on screen through a refused listing or a lost live connection: uploads in progress stay visible and cancellable. */}
      <Uploads api={api} projectID={projectID} />
      <FileTable files={listing.files} api={api} onDelete={remove} />
      {listing.loading && <p>Loading…</p>}
      {!listing.loading && !listing.error && listing.files.length === 0 && <p>No files yet: drop some above.</p>}
      {listing.nextToken && !listing.loading && (
        <button type="button" onClick={() => void load(listing.nextToken)}>
          Load more
        </button>
      )}
    </section>
  );
}
