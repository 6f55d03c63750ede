import type { FilesApi, ListedFile } from './api';
import { plainMessage } from './errors';
import { humanSize, relativeTime } from './format';

/** Asks for a fresh URL at click time: a listed one may be past its 15 minutes. */
async function download(api: FilesApi, file: ListedFile) {
  try {
    const url = await api.downloadUrl(file.fileID);
    if (url) location.assign(url);
  } catch (error) {
    alert(plainMessage(error));
  }
}

export function FileTable({ files, api, onDelete }: { files: ListedFile[]; api: FilesApi; onDelete: (file: ListedFile) => Promise<void> }) {
  if (files.length === 0) return null;
  return (
    <table className="files">
      <caption className="visually-hidden">Files, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Size</th>
          <th scope="col">Type</th>
          <th scope="col">Uploaded by</th>
          <th scope="col">When</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {files.map((file) => (
          <tr key={file.fileID} data-file-id={file.fileID}>
            <th scope="row" className="name">
              {file.contentType.startsWith('image/') && file.downloadUrl && <img src={file.downloadUrl} alt="" className="preview" />}
              {file.fileName}
            </th>
            <td data-label="Size">{humanSize(file.size)}</td>
            <td data-label="Type">{file.contentType}</td>
            <td data-label="Uploaded by">{file.uploadedBy}</td>
            <td data-label="When">
              <time dateTime={file.uploadedAt} title={file.uploadedAt}>
                {relativeTime(file.uploadedAt)}
              </time>
            </td>
            <td className="actions">
              <button type="button" onClick={() => void download(api, file)} aria-label={`Download ${file.fileName}`}>
                Download
              </button>
              <button type="button" onClick={() => void onDelete(file)} aria-label={`Delete ${file.fileName}`}>
                Delete
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
