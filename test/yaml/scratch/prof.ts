import { Composer, Lexer, Parser, LineCounter } from 'yaml';
const MB = 1024 * 1024 - 10;
const inputs: Record<string, string> = {
  keys: Array.from({ length: 60000 }, (_, i) => `k${i}: ${i}`).join('\n'),
  seq: '[' + Array(300000).fill('1').join(',') + ']',
  quotes: '"'.repeat(MB),
  longq: 'a: "' + 'x'.repeat(MB) + '"',
};
for (const [name, src] of Object.entries(inputs)) {
  let t0 = performance.now();
  const lex = Array.from(new Lexer().lex(src));
  let t1 = performance.now();
  const lc = new LineCounter();
  const toks = Array.from(new Parser(lc.addNewLine).parse(src));
  let t2 = performance.now();
  const docs = Array.from(new Composer({ uniqueKeys: false }).compose(toks, true, src.length));
  let t3 = performance.now();
  console.log(name, 'lex', (t1 - t0).toFixed(0), 'parse', (t2 - t1).toFixed(0), 'compose', (t3 - t2).toFixed(0), lex.length, docs[0]!.errors.length);
}
