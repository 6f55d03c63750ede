/** How the CLI writes sizes, times and tables, in one place so every command reads alike. */
import prettyBytes from 'pretty-bytes';

/** 209715200 → "210 MB" (SI units, as `ls` and `du --si` print them). */
export const formatBytes = (bytes: number): string => prettyBytes(Math.max(0, bytes));

/** An ISO timestamp → "2026-11-25 14:03:59Z": sortable, unambiguous, the same in every time zone. */
export const formatTime = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

export const formatSeconds = (seconds: number): string => (seconds < 10 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds)} s`);

/** Left-aligned columns, two spaces apart, the last column unpadded (so lines have no trailing blanks). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
