import { useEffect, useRef, useState } from 'react';
import type { FilesApi } from './api';
import { plainMessage } from './errors';
import { humanSize, humanSpeed } from './format';
import { UploadTask, type UploadSnapshot } from './upload-task';

const STATE_WORDS: Record<UploadSnapshot['state'], string> = {
  hashing: 'Preparing',
  uploading: 'Uploading',
  completing: 'Finishing',
  done: 'Uploaded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Drop zone, file picker, and one progress row per file, each with cancel and retry. */
export function Uploads({ api, projectID }: { api: FilesApi; projectID: string }) {
  const [uploads, setUploads] = useState<Record<string, UploadSnapshot>>({});
  const tasks = useRef(new Map<string, UploadTask>());
  const [dragging, setDragging] = useState(false);
  // Leaving the project (or signing out) stops its uploads: they would otherwise go on as whoever signs in next.
  useEffect(() => () => tasks.current.forEach((task) => task.active && void task.cancel()), []);

  const add = (files: Iterable<File>) => {
    for (const file of files) {
      const task = new UploadTask(file, projectID, api, (snapshot) => setUploads((u) => ({ ...u, [snapshot.id]: snapshot })));
      tasks.current.set(task.id, task);
      setUploads((u) => ({ ...u, [task.id]: task.current }));
      void task.start();
    }
  };

  return (
    <div className="uploads">
      <div
        className={`drop${dragging ? ' dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          add(event.dataTransfer.files);
        }}
      >
        <p>Drop files here, or</p>
        <label className="button">
          Choose files
          <input type="file" multiple className="visually-hidden" onChange={(e) => e.target.files && add(e.target.files)} aria-label="Choose files to upload" />
        </label>
      </div>
      <ul className="upload-list" aria-label="Uploads">
        {Object.values(uploads).map((u) => {
          const percent = u.size ? Math.floor((u.bytesSent / u.size) * 100) : 100;
          const task = tasks.current.get(u.id)!;
          return (
            <li key={u.id} data-upload={u.fileName} data-state={u.state}>
              <span className="name">{u.fileName}</span>
              <progress max={100} value={percent} aria-label={`${u.fileName} upload progress`} />
              <span className="percent">{percent}%</span>
              <span className="detail">
                {STATE_WORDS[u.state]} · {humanSize(u.bytesSent)} of {humanSize(u.size)}
                {u.state === 'uploading' && u.speed > 0 ? ` · ${humanSpeed(u.speed)}` : ''}
              </span>
              {u.state === 'failed' && (
                <span role="alert" className="error">
                  {plainMessage(u.error, { projectID })}
                </span>
              )}
              {task.active && (
                <button type="button" onClick={() => void task.cancel()} aria-label={`Cancel ${u.fileName}`}>
                  Cancel
                </button>
              )}
              {['failed', 'cancelled'].includes(u.state) && (
                <button type="button" onClick={() => void task.start()} aria-label={`Retry ${u.fileName}`}>
                  Retry
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
