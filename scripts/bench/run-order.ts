// The order of the arms in each round: a Williams design, in which (for an even number of
// arms) every arm runs right after every other arm equally often over the rounds, so that
// what one run leaves behind (warm caches, a busy disk) favours none of them.

export function runOrder<T>(arms: readonly T[], round: number): T[] {
  const n = arms.length;
  // First row 0, 1, n-1, 2, n-2, ...; each later row adds one to every entry.
  const first: number[] = [];
  for (let low = 0, high = n - 1, i = 0; first.length < n; i++) first.push(i % 2 === 0 ? low++ : high--);
  const shifted = first.map((k) => (k + round) % n);
  return shifted.map((k) => arms[k]).filter((arm): arm is T => arm !== undefined);
}
