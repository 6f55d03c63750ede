/**
 * `files`, the command line of CodeCraft Files: commands, their options, and
 * how the process ends (0 done, 1 failed, 2 usage, 130 Ctrl-C). The launcher
 * (cli/files.mjs) compiles this module and calls runFiles.
 */
import { Command, CommanderError } from 'commander';
import { getCommand } from './commands/get';
import { lsCommand } from './commands/ls';
import { rmCommand } from './commands/rm';
import { parseLargeMib, smokeCommand } from './commands/smoke';
import { tokenCommand } from './commands/token';
import { parseConcurrency, parsePartSize, uploadCommand } from './commands/upload';
import { watchCommand } from './commands/watch';
import { withConnectionOptions, type Context } from './context';
import { CliError, EXIT, Interrupted, UsageError } from './errors';
import { interruptOnSigint } from './interrupt';

export interface RunOptions {
  repoRoot: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

function program(context: Context): Command {
  const files = new Command('files')
    .description('Upload, list, download, delete and watch the files of CodeCraft projects.')
    // Usage errors must exit 2, not commander's 1: it throws instead of exiting, and runFiles decides.
    .exitOverride()
    .configureOutput({ writeOut: (text) => context.stdout.write(text), writeErr: (text) => context.stderr.write(text) })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Targets: the local server by default ($DATA_DIR/endpoints.json or ./.data/endpoints.json, written by \`npm start\`),
a deployed stack with --outputs cdk-outputs.json and --api-key KEY or --user NAME (Cognito sign-in; FILES_PASSWORD or
a prompt), or --url URL --api-key KEY.
Exit codes: 0 done, 1 failed (errorType and message on stderr), 2 usage, 130 interrupted (Ctrl-C).`,
    );

  withConnectionOptions(
    files
      .command('upload')
      .description('upload files straight to storage: one PUT up to 32 MiB, parallel resumable parts above')
      .argument('<path...>', 'files to upload, one after the other')
      .requiredOption('--project <projectID>', 'the project to upload to')
      .option('--type <fileType>', 'the file category the API records, e.g. pdf, video (default: the extension)')
      .option('--part-size <MiB>', "part size for files over 32 MiB (default: the API's, 16 MiB for files up to ~160 GiB)", parsePartSize)
      .option('--concurrency <n>', 'parts sent at once', parseConcurrency, 4)
      .addHelpText('after', '\nCtrl-C stops cleanly; running the same command again resumes the upload where it stopped.'),
  ).action((paths: string[], options) => uploadCommand(paths, options, context));

  withConnectionOptions(
    files
      .command('ls')
      .description("list a project's files, newest first")
      .requiredOption('--project <projectID>', 'the project to list')
      .option('--json', 'print the files as JSON instead of a table'),
  ).action((options) => lsCommand(options, context));

  withConnectionOptions(
    files
      .command('get')
      .description('download a file, checking its SHA-256')
      .argument('<fileID>', 'the file to download')
      .option('-o, --output <path>', 'where to save it: a file name, or a directory (default: its own name, here)')
      .option('-f, --force', 'replace a file that exists at the destination'),
  ).action((fileID: string, options) => getCommand(fileID, options, context));

  withConnectionOptions(files.command('rm').description('delete a file').argument('<fileID>', 'the file to delete')).action((fileID: string, options) =>
    rmCommand(fileID, options, context),
  );

  withConnectionOptions(
    files
      .command('watch')
      .description('print a line for every file uploaded to or deleted from a project, until Ctrl-C')
      .requiredOption('--project <projectID>', 'the project to watch'),
  ).action((options) => watchCommand(options, context));

  withConnectionOptions(
    files
      .command('token')
      .description("print a user's user-pool token (for curl, POST /upload): Cognito sign-in on a deployed stack, the local server's token locally")
      .option('--env', 'print shell assignments instead: export TOKEN=… GRAPHQL_URL=… REST_URL=…, for eval "$(files token … --env)"'),
  ).action((options) => tokenCommand(options, context));

  withConnectionOptions(
    files
      .command('smoke')
      .description('prove a deployment works: sign in, upload inline and large, list, events, POST /upload, download and compare, delete')
      .option('--project <projectID>', 'the project to use (default: a new smoke-… project); the files are deleted at the end')
      .option('--large-mib <MiB>', 'size of the large (multipart) upload', parseLargeMib, 33)
      .addHelpText(
        'after',
        `
Target: --endpoints, --outputs or --url; without them ./cdk-outputs.json when it exists, else the local server.
On a deployed stack, sign in with --user NAME (in group admins, or project-P with --project P); on the local
server it calls as user "smoke" of its own project (a token from the server) unless told otherwise.
One line per step with its time; exit 1 at the first failure.`,
      ),
  ).action((options) => smokeCommand(options, context));

  return files;
}

/** Runs one command line (process.argv form); resolves with the exit code. */
export async function runFiles(argv: string[], options: RunOptions): Promise<number> {
  const interrupt = interruptOnSigint();
  const context: Context = {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    repoRoot: options.repoRoot,
    signal: interrupt.signal,
  };
  try {
    await program(context).parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage; // commander has printed why
    if (error instanceof UsageError) {
      context.stderr.write(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof Interrupted) {
      context.stderr.write(`${error.message}\n`);
      return EXIT.interrupted;
    }
    if (error instanceof CliError) {
      context.stderr.write(`${error.errorType}: ${error.message}\n`);
      return EXIT.failed;
    }
    // A bug, not a refusal: say so, with the stack that lets someone fix it.
    context.stderr.write(`InternalError: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.failed;
  } finally {
    interrupt.dispose();
  }
}
