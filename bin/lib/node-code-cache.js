'use strict';
// A V8 code cache for the jsii kernel (Node 20 has no module.enableCompileCache; that is 22+).
// bin/synth loads this into the kernel's node processes (NODE_OPTIONS=--require ...).
//
// Why: most of a Java cdktf synth is node compiling the provider packages' JavaScript
// (provider-aws: 1,898 files, 250 MB; kubernetes: 76 MB). With a cache, V8 deserializes the
// compiled code instead of parsing it again.
//
// What is cached: only modules whose real path is inside jsii's package cache
// (~/.cache/aws/jsii/package-cache/<package>/<version>/<sha256 of the tarball>/...), so the path
// names the content; node's version and flags and the source length are in the key too (V8
// rejects a cache made by another version or with other flags). Everything else compiles as
// usual. New entries are written when the process exits (then they also hold the functions
// compiled lazily during the synth), each to a temp file renamed into place, so a concurrent or
// killed synth never leaves a torn entry. Any cache problem falls back to the normal compile:
// the cache can make a synth faster, never different. Size: ~230 MB for this project's
// providers, in src/target/node-code-cache (mvn clean removes it).
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const vm = require('vm');
const Module = require('module');

const dir = process.env.BRIDGEAI_NODE_CODE_CACHE_DIR;
const compile = Module.prototype._compile;
const pending = [];
const flags = `${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS || ''}`;

function cachePath(filename, content) {
  // the kernel requires packages through a per-run /tmp symlink; one realpath(3) call
  const real = fs.realpathSync.native(filename);
  if (!real.includes(`${path.sep}package-cache${path.sep}`)) return undefined;
  // V8 rejects a cache made with other flags: one entry per flag set, so runs with different
  // NODE_OPTIONS do not overwrite each other's entries
  const key = crypto.createHash('sha256')
    .update(`${process.version}\0${flags}\0${real}\0${content.length}`).digest('hex');
  return path.join(dir, key.slice(0, 2), key);
}

if (dir) {
  Module.prototype._compile = function compileWithCache(content, filename) {
    let file;
    try {
      if (content.startsWith('#!')) return compile.call(this, content, filename);
      file = cachePath(filename, content);
    } catch {
      file = undefined;
    }
    if (file === undefined) return compile.call(this, content, filename);

    let cachedData;
    try { cachedData = fs.readFileSync(file); } catch { /* not cached yet */ }
    // Module.wrap keeps line numbers (the wrapper is on the first line), as Node's own loader
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) pending.push({ file, script });
    const fn = script.runInThisContext({ displayErrors: true });

    // the require function Node hands a CommonJS module (lib/internal/modules/helpers.js)
    const mod = this;
    const require = function require(id) { return mod.require(id); };
    require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
    require.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
    require.main = process.mainModule;
    require.extensions = Module._extensions;
    require.cache = Module._cache;
    return fn.call(mod.exports, mod.exports, require, mod, filename, path.dirname(filename));
  };

  process.once('exit', () => {
    for (const { file, script } of pending) {
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, file);
      } catch {
        try { fs.unlinkSync(tmp); } catch { /* nothing written */ }
      }
    }
  });
}
