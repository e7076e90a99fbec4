// `npm run openapi`: writes docs/openapi.json from the route definitions. A test fails when
// the committed file differs, so the published spec cannot drift from the code.
import fs from 'node:fs';
import path from 'node:path';
import { currentSpec } from './lib/openapi-spec';
import { projectRoot } from './lib/profiles';

const file = path.join(projectRoot, 'docs/openapi.json');
fs.writeFileSync(file, `${JSON.stringify(currentSpec(), null, 2)}\n`);
console.log(`wrote ${path.relative(projectRoot, file)}`);
