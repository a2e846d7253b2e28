/**
 * A run that several tests read, made when the first of them asks and shared from then on: a
 * test file can read one real session from many angles without starting claude for each.
 */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make();
    return made;
  };
}
