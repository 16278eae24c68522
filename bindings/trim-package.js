'use strict';
// Copies a prebuilt cdktf provider package (jsii) keeping only the listed submodules
// (resources, data sources, the provider), for generate.sh to run jsii-pacmak on.
//   usage: node trim-package.js <package dir> <output dir> <submodule>...
//
// Why: the jsii kernel loads a Java binding's whole package on first use. provider-aws 20.1.0
// has 2,135 submodules (23,285 types, 247 MB of JavaScript, a 120 MB assembly) and the modules
// use a few dozen; loading it all cost ~1.6 s of every synth. The kubernetes package has 109
// (76 MB of JavaScript) and the flux stack uses three (~0.45 s per synth, and 9,486 generated
// Java files that were most of a cold build). What is kept is the package's own files, unchanged: the
// submodules' JavaScript, their types in the assembly (.jsii) and a lib/index.js that
// requires only them, so the Java API (com.hashicorp.cdktf.providers.<provider>.<submodule>)
// and the synthesized Terraform JSON are the official ones.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const [pkgDir, outDir, ...keep] = process.argv.slice(2);
const die = (message) => {
  console.error(`trim-package: ${message}`);
  process.exit(1);
};
if (!pkgDir || !outDir || keep.length === 0) die('usage: trim-package.js <package dir> <output dir> <submodule>...');

const assembly = JSON.parse(fs.readFileSync(path.join(pkgDir, '.jsii'), 'utf8'));
const name = assembly.name;

// lib/index.js of a cdktf provider package: one `exports.<submodule> = require("./<dir>")` each
const index = fs.readFileSync(path.join(pkgDir, 'lib', 'index.js'), 'utf8');
const dirs = new Map([...index.matchAll(/exports\.(\w+) = require\("\.\/([\w-]+)"\)/g)].map((m) => [m[1], m[2]]));
for (const sub of keep) {
  if (!assembly.submodules[`${name}.${sub}`] || !dirs.has(sub)) {
    die(`${name} has no submodule "${sub}" (it has: ${[...dirs.keys()].join(', ')})`);
  }
}

const kept = (fqn) => keep.some((sub) => fqn.startsWith(`${name}.${sub}.`));
const types = Object.fromEntries(Object.entries(assembly.types).filter(([fqn]) => kept(fqn)));
// a kept type must not refer to a dropped one (provider submodules are self-contained)
const refs = JSON.stringify(types).match(new RegExp(`"fqn":"${name.replace(/[/.-]/g, '\\$&')}\\.[^"]+"`, 'g')) || [];
const dangling = [...new Set(refs.map((r) => r.slice(7, -1)))].filter((fqn) => !kept(fqn));
if (dangling.length > 0) die(`kept types refer to dropped ones: ${dangling.join(', ')}`);

const trimmed = {
  ...assembly,
  description: `${assembly.description} (trimmed to: ${keep.join(', ')})`,
  submodules: Object.fromEntries(Object.entries(assembly.submodules).filter(([fqn]) => keep.includes(fqn.slice(name.length + 1)))),
  types,
};
delete trimmed.fingerprint;
trimmed.fingerprint = crypto.createHash('sha256').update(JSON.stringify(trimmed)).digest('base64');

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(path.join(outDir, 'lib'), { recursive: true });
for (const file of ['package.json', 'LICENSE', 'README.md']) {
  if (fs.existsSync(path.join(pkgDir, file))) fs.copyFileSync(path.join(pkgDir, file), path.join(outDir, file));
}
fs.writeFileSync(path.join(outDir, '.jsii'), JSON.stringify(trimmed));
const header = `"use strict";\n// ${name}, trimmed by bindings/trim-package.js to: ${keep.join(', ')}\n`;
fs.writeFileSync(path.join(outDir, 'lib', 'index.js'), header
  + 'Object.defineProperty(exports, "__esModule", { value: true });\n'
  + keep.map((sub) => `exports.${sub} = require("./${dirs.get(sub)}");\n`).join(''));
fs.writeFileSync(path.join(outDir, 'lib', 'index.d.ts'), `// ${name}, trimmed to: ${keep.join(', ')}\n`
  + keep.map((sub) => `export * as ${sub} from './${dirs.get(sub)}';\n`).join(''));
for (const sub of keep) {
  fs.cpSync(path.join(pkgDir, 'lib', dirs.get(sub)), path.join(outDir, 'lib', dirs.get(sub)), { recursive: true });
}
console.log(`trim-package: ${name} ${assembly.version}: kept ${keep.length} of ${dirs.size} submodules, `
  + `${Object.keys(types).length} of ${Object.keys(assembly.types).length} types`);
