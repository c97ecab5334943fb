import { loadYaml } from '../../../engine/yaml/load.ts';
import { formatDiagnostic } from '../../../engine/diagnostics/diagnostic.ts';
function t(name: string, src: string | Uint8Array, limits = {}) {
  const t0 = performance.now();
  const r = loadYaml(name, src, limits);
  const ms = performance.now() - t0;
  console.log(name.padEnd(14), ms.toFixed(1).padStart(8), 'ms', r.ok, r.diagnostics.slice(0, 2).map(formatDiagnostic).join(' | ').slice(0, 150));
}
const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
for (let i = 1; i < 9; i++) { const p = String.fromCharCode(96 + i), c = String.fromCharCode(97 + i); laughs.push(`${c}: &${c} [${Array(9).fill('*' + p).join(',')}]`); }
t('laughs', laughs.join('\n'));
t('laughs-lim', laughs.join('\n'), { maxAliases: 1000 });
const MB = 1024 * 1024 - 10;
t('flow[', '['.repeat(MB));
t('flow{', '{'.repeat(MB));
t('dash', '- '.repeat(MB / 2));
t('keys', Array.from({ length: 60000 }, (_, i) => `k${i}: ${i}`).join('\n'));
t('seq', '[' + Array(300000).fill('1').join(',') + ']');
t('longstr', 'a: ' + 'x'.repeat(MB));
t('longq', 'a: "' + 'x'.repeat(MB) + '"');
t('many-colon', 'a: '.repeat(MB / 3));
t('anchors', Array.from({ length: 50000 }, (_, i) => `k${i}: &a${i} ${i}`).join('\n'));
t('comments', '#'.repeat(MB));
t('quotes', '"'.repeat(MB));
t('qmarks', '? '.repeat(MB / 2));
t('flowpairs', '[' + 'a: ['.repeat(30000));
t('bigdoc', Array.from({ length: 2000 }, (_, i) => `---\na${i}: 1`).join('\n'));
t('block1000', Array.from({ length: 1000 }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' x\n');
t('2MiB', 'a: ' + 'x'.repeat(2 * 1024 * 1024));
t('2MiBbytes', new TextEncoder().encode('a: ' + 'x'.repeat(2 * 1024 * 1024)));
