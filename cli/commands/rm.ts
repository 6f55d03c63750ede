/** `files rm <fileID>`: deleteFile (bytes and metadata); onFileDeleted subscribers hear of it. */
import { DeleteFileDocument } from '../../generated/operations';
import { connect, type ConnectionOptions, type Context } from '../context';

export async function rmCommand(fileID: string, options: ConnectionOptions, context: Context): Promise<void> {
  const { api } = await connect(options, context);
  const { deleteFile } = await api(DeleteFileDocument, { fileID }, context.signal);
  context.stdout.write(`deleted ${deleteFile.fileName} (file ${deleteFile.fileID}, project ${deleteFile.projectID})\n`);
}
