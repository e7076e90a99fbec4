// `npm run openapi`: writes docs/openapi.json from the route definitions, and the portal's
// types from that spec. Tests fail when either committed file differs from a fresh generation,
// so neither the published spec nor the web's idea of the API can drift from the code.
// `--print-web-types` prints the types instead of writing anything (the test reads them).
import fs from 'node:fs';
import path from 'node:path';
import { currentSpec, webTypesFile } from './lib/openapi-spec';
import { projectRoot } from './lib/profiles';
import { webTypes } from './lib/web-types';

async function main() {
  const spec = currentSpec();
  if (process.argv.includes('--print-web-types')) {
    process.stdout.write(await webTypes(spec));
    return;
  }
  const specFile = path.join(projectRoot, 'docs/openapi.json');
  fs.writeFileSync(specFile, `${JSON.stringify(spec, null, 2)}\n`);
  console.log(`wrote ${path.relative(projectRoot, specFile)}`);
  fs.writeFileSync(path.join(projectRoot, webTypesFile), await webTypes(spec));
  console.log(`wrote ${webTypesFile}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
