// The exporters and gRPC are CommonJS packages loaded with import(), so that the
// wrapper pays for them only when it uses them. Node lists their exports by name; in the
// bundled commands they are only on `default`. This reads them the same way in both.

export function commonJsExports<T extends object>(namespace: T): T {
  const exports: unknown = (namespace as { default?: unknown }).default;
  return (typeof exports === 'object' && exports !== null) || typeof exports === 'function' ? (exports as T) : namespace;
}
