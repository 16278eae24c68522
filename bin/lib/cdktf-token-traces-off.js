'use strict';
// Turns off the JavaScript stack trace that cdktf records for every token it creates, in the
// jsii kernel of a synth. bin/synth loads this into the kernel (NODE_OPTIONS=--require ...);
// BRIDGEAI_TOKEN_TRACES=1 leaves cdktf as it is.
//
// Why: cdktf 0.21 calls captureStackTrace (cdktf/lib/tokens/private/stack-trace.js) with an
// unlimited depth for every Intrinsic, Lazy and reference token, also for the references its
// own synth creates while resolving each stack twice. The trace is read in exactly one place:
// the text of a token-resolution error ("Object creation stack: ..."). In a Java app the frames
// are the jsii kernel's, never the app's, so the trace says nothing there; building and
// formatting it was ~7 % of the kernel's CPU in a 20-env synth (cpuprofile of the kernel,
// bench/results.md). Without it the token is the same object with an empty creationStack,
// and cdktf leaves the "Object creation stack" part out of such an error.
//
// How: after Node has loaded that one module, its exported function is replaced. cdktf's other
// modules call it as a property of the module's exports at each call
// (`(0, stack_trace_1.captureStackTrace)()`), so they all get the replacement. Any other module,
// and any other version that moves the file, is untouched (the synth is then only slower).
// The Terraform JSON is the same either way (MainCliTest compares the bytes).
const Module = require('module');

const loadJs = Module._extensions['.js'];
const target = /[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/;

Module._extensions['.js'] = function loadAndTrim(module, filename) {
  loadJs.call(this, module, filename);
  if (target.test(filename) && module.exports && typeof module.exports.captureStackTrace === 'function') {
    module.exports.captureStackTrace = function captureStackTrace() { return []; };
  }
};
