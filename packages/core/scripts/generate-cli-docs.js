#!/usr/bin/env node
// Writes docs/cli.md from the command table (run after `npm run build`).

const fs = require('node:fs');
const path = require('node:path');
const { renderCliReference } = require('../dist/cli/cli-reference.js');
const file = path.resolve(__dirname, '../../../docs/cli.md');
fs.writeFileSync(file, renderCliReference());
console.log(`wrote ${file}`);
