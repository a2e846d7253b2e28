// While `npm pack` (or `npm publish`) runs, the package's manifest goes without its `prepare`
// script: `prepare` builds a clone on `npm install`, but in a tarball it is an install script that
// never runs there, and npm warns users installing the tarball about it all the same.
// `strip` (prepack) keeps the manifest's bytes aside and writes it without `prepare`;
// `restore` (postpack) puts those bytes back.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const MANIFEST = 'package.json';
const KEPT = 'package.json.packing';

const step = process.argv[2];
if (step === 'strip') {
  const text = readFileSync(MANIFEST, 'utf8');
  const manifest = JSON.parse(text);
  writeFileSync(KEPT, text);
  delete manifest.scripts.prepare;
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
} else if (step === 'restore') {
  if (existsSync(KEPT)) renameSync(KEPT, MANIFEST);
} else {
  process.stderr.write('pack-manifest: usage: node scripts/pack-manifest.mjs strip|restore\n');
  process.exit(2);
}
