/** util.math, as AWS's built-in utilities page describes it. */
export const mathUtil = {
  roundNum: (value: number): number => Math.round(value),
  minVal: (a: number, b: number): number => Math.min(a, b),
  maxVal: (a: number, b: number): number => Math.max(a, b),
  randomDouble: (): number => Math.random(),
  /** A random integer from `start` to `end`, both included. */
  randomWithinRange: (start: number, end: number): number => Math.floor(start + Math.random() * (end - start + 1)),
};
