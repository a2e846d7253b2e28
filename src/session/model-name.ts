/** The CLI names models with a context suffix ("claude-opus-4-8[1m]") in some places. */
export function baseModelName(model: string): string {
  return model.replace(/\[[^\]]*\]$/, '');
}
