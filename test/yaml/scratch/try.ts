import { loadYaml } from '../../../engine/yaml/load.ts';
import { formatDiagnostic } from '../../../engine/diagnostics/diagnostic.ts';
const cases: Record<string, string> = {
  basic: 'a: 1\nb: [x, "y", 1.0]\nc:\n  d: true\n  1: one\n',
  dup: 'a: 1\nb: 2\na: 3\n',
  dup2: '1: a\n"1": b\n',
  proto: 'a:\n  b:\n    __proto__: {x: 1}\n',
  tag: 'a: !!js/function "function(){}"\nb: !foo bar\nc: !!str 1\n',
  pyobj: 'a: !!python/object:os.system [ls]\n',
  y11: '%YAML 1.1\n---\non: yes\n',
  tagdir: '%TAG ! tag:example.com,2000:\n---\na: 1\n',
  multi: 'a: 1\n---\nb: 2\n',
  tabs: 'a:\n\tb: 1\n',
  unterm: 'a: "abc\nb: 2\n',
  empty: '',
  mapkey: '? {a: 1}\n: x\n',
  alias: 'a: &x [1, 2]\nb: *x\n',
  cyc: 'a: &x [1, *x]\n',
  undef: 'a: *nope\n',
  flowpair: '[a: [b: [c: 1]]]\n',
  warn: 'a: *x:\n',
  ctrl: 'a: b\x07c\n',
};
for (const [name, src] of Object.entries(cases)) {
  const r = loadYaml(name + '.yaml', src, name === 'flowpair' ? { maxDepth: 4 } : {});
  console.log(name, r.ok, JSON.stringify(r.value), r.diagnostics.map(formatDiagnostic));
}
