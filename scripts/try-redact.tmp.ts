import { redactText } from '../libs/redaction/src/index.ts';
const lines = process.argv.slice(2).length ? process.argv.slice(2) : (await import('node:fs')).readFileSync(0, 'utf8').split('\n').filter(Boolean);
for (const l of lines) console.log(JSON.stringify(l), '=>', redactText(l).text);
