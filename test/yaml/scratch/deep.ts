import { Parser, Composer, LineCounter } from 'yaml';
function tryParse(name: string, src: string) {
  const t0 = performance.now();
  try {
    const lc = new LineCounter();
    const toks = Array.from(new Parser(lc.addNewLine).parse(src));
    const t1 = performance.now();
    console.log(name, 'cst ok', toks.length, (t1 - t0).toFixed(1), 'ms');
  } catch (e) { console.log(name, 'cst threw', (e as Error).name, (e as Error).message.slice(0, 80), (performance.now() - t0).toFixed(1)); }
}
for (const n of [1000, 10000, 100000, 500000]) {
  tryParse('flow' + n, '['.repeat(n) + ']'.repeat(n));
  tryParse('flowopen' + n, '['.repeat(n));
  tryParse('dash' + n, '- '.repeat(n) + 'x\n');
  tryParse('mapline' + n, Array.from({length: Math.min(n, 1400)}, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' x\n');
}
