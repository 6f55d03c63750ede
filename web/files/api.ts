/** The public operations of schema/operations/, as the page calls them. */
import {
  AbortUploadDocument,
  CompleteUploadDocument,
  CreateUploadUrlDocument,
  DeleteFileDocument,
  FileDocument,
  FilesByProjectWithUrlsDocument,
  OnFileDeletedDocument,
  OnFileUploadedDocument,
  type CreateUploadInput,
  type CreateUploadUrlMutation,
  type FileFieldsFragment,
  type FilesByProjectWithUrlsQuery,
} from '../../generated/operations';
import { Hub } from 'aws-amplify/utils';
import type { GraphQLClient } from './session';

export type ListedFile = FilesByProjectWithUrlsQuery['filesByProject']['items'][number];
export type Ticket = CreateUploadUrlMutation['createUploadUrl'];

export const PAGE_SIZE = 20;

export class FilesApi {
  constructor(private readonly client: GraphQLClient) {}

  private async call<T>(query: { toString(): string }, variables: Record<string, unknown>): Promise<T> {
    const { data } = await this.client.graphql({ query: query.toString(), variables });
    return data as T;
  }

  async list(projectID: string, nextToken: string | null) {
    const data = await this.call<FilesByProjectWithUrlsQuery>(FilesByProjectWithUrlsDocument, { projectID, limit: PAGE_SIZE, nextToken });
    return data.filesByProject;
  }

  /** A fresh download URL: the one listed may be older than its 15 minutes. */
  async downloadUrl(fileID: string): Promise<string | null> {
    const data = await this.call<{ file: { downloadUrl: string | null } | null }>(FileDocument, { fileID });
    return data.file?.downloadUrl ?? null;
  }

  deleteFile(fileID: string) {
    return this.call(DeleteFileDocument, { fileID });
  }

  async createUpload(input: CreateUploadInput): Promise<Ticket> {
    return (await this.call<CreateUploadUrlMutation>(CreateUploadUrlDocument, { input })).createUploadUrl;
  }

  async completeUpload(fileID: string, parts?: { partNumber: number; etag: string }[]): Promise<FileFieldsFragment> {
    return (await this.call<{ completeUpload: FileFieldsFragment }>(CompleteUploadDocument, { input: { fileID, ...(parts ? { parts } : {}) } })).completeUpload;
  }

  abortUpload(fileID: string) {
    return this.call(AbortUploadDocument, { fileID });
  }

  /** Files uploaded to and deleted from the project by anyone, until the returned function is called. */
  watch(
    projectID: string,
    handlers: {
      uploaded(file: FileFieldsFragment): void;
      deleted(file: FileFieldsFragment): void;
      failed(error: unknown): void;
      connection(state: string): void;
    },
  ): () => void {
    // Amplify tells the socket's state on its Hub: 'Connected', 'Connecting', 'ConnectionDisrupted', …
    const stopListening = Hub.listen('api', ({ payload }) => {
      const data = payload.data as { connectionState?: string } | undefined;
      if (payload.event === 'ConnectionStateChange' && data?.connectionState) handlers.connection(data.connectionState);
    });
    const subscriptions = [
      this.client.graphql({ query: OnFileUploadedDocument.toString(), variables: { projectID } }).subscribe({
        next: ({ data }: { data: { onFileUploaded: FileFieldsFragment } }) => handlers.uploaded(data.onFileUploaded),
        error: handlers.failed,
      }),
      this.client.graphql({ query: OnFileDeletedDocument.toString(), variables: { projectID } }).subscribe({
        next: ({ data }: { data: { onFileDeleted: FileFieldsFragment } }) => handlers.deleted(data.onFileDeleted),
        error: handlers.failed,
      }),
    ];
    return () => {
      stopListening();
      subscriptions.forEach((s: { unsubscribe(): void }) => s.unsubscribe());
    };
  }
}
