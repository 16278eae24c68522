'use strict';
// The jsii kernel in one node process, started by the Java runtime through JSII_RUNTIME
// (bin/synth sets it; BRIDGEAI_JSII_DIRECT=0 goes back to jsii's own launcher).
//
// Why: jsii's launcher (bin/jsii-runtime.js in the jsii-runtime jar) is a node process that
// spawns a second node process for the kernel (lib/program.js) and relays every request and
// response between the JVM's pipes and the kernel's fd 3. A synth is ~350 synchronous round
// trips per environment, and each relay costs two extra process wake-ups; on 2 cores that
// was ~25 % of the construct time. Here the kernel reads requests from stdin and writes
// responses to stdout itself, as jsii's protocol channel, and the relay is gone.
//
// What stays as jsii does it: the kernel code is the jar's own program.js (bin/synth passes
// its path, unpacked by the Maven build from the same jsii-runtime jar the JVM runs, so the
// two always match), node runs with --preserve-symlinks like jsii's launcher starts it, and
// console output of JavaScript code reaches the JVM on stderr in jsii's {"stdout"|"stderr":
// base64} lines, which the Java runtime prints on System.out / System.err.
const fs = require('fs');
const path = require('path');
const Module = require('module');

const program = process.env.BRIDGEAI_JSII_PROGRAM;
const fail = (message) => {
  fs.writeSync(2, `bridgeai-infra: jsii kernel launcher: ${message}; BRIDGEAI_JSII_DIRECT=0 uses jsii's own\n`);
  process.exit(70);
};
if (!program) fail('BRIDGEAI_JSII_PROGRAM is not set');

let source;
try {
  source = fs.readFileSync(program, 'utf8');
} catch (e) {
  fail(`cannot read ${program}: ${e.message}`);
}
// the one place program.js names its channel: jsii's launcher hands it fd 3 (a socket in
// both directions); here requests come on fd 0 and responses go to fd 1
const channel = 'readFD:3,writeFD:3';
if (source.split(channel).length !== 2) fail(`${program} does not open its channel as expected (${channel})`);
source = source.replace(channel, 'readFD:0,writeFD:1');

// The kernel checks that a value it converts has a type with an assertion whose message it
// builds eagerly, util.inspect of the type, on every conversion whether the check fails or not
// (computeSerializationType; ~100 ms of kernel CPU in a 20-env synth, cpuprofile in
// bench/results.md). Rewritten to build the same message only when the check fails: same
// condition, same error. A kernel written differently is left as it is (only slower).
const eagerTypeAssert =
  /\(0,(\w+)\.default\)\(null!=(\w+),(`Kernel error: expected type information, got \$\{\(0,\w+\.inspect\)\(\2\)\}`)\)/;
source = source.replace(eagerTypeAssert, (_, assert, type, message) => `null==${type}&&(0,${assert}.default)(!1,${message})`);

// fd 1 is the protocol now: JavaScript console output must not go there
const relay = (key) => function write(chunk, encoding, callback) {
  const bytes = Buffer.isBuffer(chunk) ? chunk
    : Buffer.from(String(chunk), typeof encoding === 'string' ? encoding : 'utf8');
  fs.writeSync(2, `${JSON.stringify({ [key]: bytes.toString('base64') })}\n`);
  const done = typeof encoding === 'function' ? encoding : callback;
  if (typeof done === 'function') process.nextTick(done);
  return true;
};
process.stdout.write = relay('stdout');
process.stderr.write = relay('stderr');

const kernel = new Module(program, null);
kernel.filename = program;
kernel.paths = Module._nodeModulePaths(path.dirname(program));
kernel._compile(source, program);
