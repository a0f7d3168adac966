#!/usr/bin/env node
// Writes packages/core/schemas/*.schema.json from the zod schemas (run after `npm run build`).

const fs = require('node:fs');
const path = require('node:path');
const { generateJsonSchemas } = require('../dist/config/json-schemas.js');
const dir = path.join(__dirname, '..', 'schemas');
fs.mkdirSync(dir, { recursive: true });
for (const [file, schema] of Object.entries(generateJsonSchemas())) {
  fs.writeFileSync(path.join(dir, file), `${JSON.stringify(schema, null, 2)}\n`);
}
console.log(`wrote ${Object.keys(generateJsonSchemas()).length} schemas to ${dir}`);
