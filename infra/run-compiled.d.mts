// Types of run-compiled.mjs, for the TypeScript that calls it (the bench compiles its forked client).
import type { BuildOptions } from 'esbuild';

export const projectRoot: string;
export const nodeCompileOptions: BuildOptions;
export function compileEntry(entry: string, name: string): Promise<string>;
export function runCompiled(entry: string, name: string): Promise<void>;
