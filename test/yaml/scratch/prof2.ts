import { Composer, Parser, LineCounter } from 'yaml';
const MB = 1024 * 1024 - 10;
function run(name: string, src: string, stl: number) {
  const lc = new LineCounter();
  const t1 = performance.now();
  const toks = Array.from(new Parser(lc.addNewLine).parse(src));
  const t2 = performance.now();
  const saved = Error.stackTraceLimit; Error.stackTraceLimit = stl;
  const docs = Array.from(new Composer({ uniqueKeys: false }).compose(toks, true, src.length));
  Error.stackTraceLimit = saved;
  const t3 = performance.now();
  console.log(name, src.length, 'parse', (t2 - t1).toFixed(0), 'compose', (t3 - t2).toFixed(0), docs[0]!.errors.length);
}
run('quotes stl10', '"'.repeat(MB), 10);
run('quotes stl0', '"'.repeat(MB), 0);
for (const n of [15000, 30000, 60000]) run('keys' + n, Array.from({ length: n }, (_, i) => `k${i}: ${i}`).join('\n'), 10);
for (const n of [15000, 30000, 60000]) run('keys' + n, Array.from({ length: n }, (_, i) => `k${i}: ${i}`).join('\n'), 10);
