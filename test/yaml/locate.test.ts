import { describe, expect, it } from 'vitest';
import { loadYaml, type YamlPath } from '../../engine/yaml/load.ts';

const src = [
  'apiVersion: heal/v1', //                                 1
  'metadata: { name: demo, version: "1.0" }', //             2
  'steps:', //                                                3
  '  - id: first', //                                         4
  '    when: event.status == "down"', //                      5
  '    with:', //                                             6
  '      text: "${event.service} is down"', //                7
  "      quoted: 'single'", //                                8
  '  - id: second', //                                        9
  '    script: |', //                                        10
  '', //                                                     11
  '      echo one', //                                       12
  '      echo two', //                                       13
  '    folded: >-', //                                       14
  '      some folded', //                                    15
  '  - &shared { id: third, 7: seven }', //                  16
  '  - *shared', //                                          17
  '', //                                                     18
].join('\n');

const loaded = loadYaml('pb.yaml', src);
const at = (f: (p: YamlPath) => { line: number; column: number }, path: YamlPath) => {
  const { line, column } = f(path);
  return `${line}:${column}`;
};

describe('locating values of a loaded file', () => {
  it('loads', () => {
    expect(loaded.ok).toBe(true);
    expect(loaded.file).toBe('pb.yaml');
  });

  it('locates value nodes by path', () => {
    expect(at(loaded.locate, [])).toBe('1:1');
    expect(at(loaded.locate, ['apiVersion'])).toBe('1:13');
    expect(at(loaded.locate, ['metadata', 'version'])).toBe('2:34');
    expect(at(loaded.locate, ['steps'])).toBe('4:3');
    expect(at(loaded.locate, ['steps', 0])).toBe('4:5');
    expect(at(loaded.locate, ['steps', 0, 'when'])).toBe('5:11');
    expect(at(loaded.locate, ['steps', 0, 'with', 'text'])).toBe('7:13');
  });

  it('accepts list indexes as numbers or digit strings, and number-like keys as strings', () => {
    expect(at(loaded.locate, ['steps', '1', 'id'])).toBe('9:9');
    expect(at(loaded.locate, ['steps', 2, '7'])).toBe('16:29');
    expect(at(loaded.locate, ['steps', 2, 7])).toBe('16:29');
  });

  it('falls back to the nearest existing ancestor', () => {
    expect(at(loaded.locate, ['steps', 0, 'nope', 'deeper'])).toBe('4:5');
    expect(at(loaded.locate, ['steps', 9])).toBe('4:3');
    expect(at(loaded.locate, ['apiVersion', 'x'])).toBe('1:13');
  });

  it('locates keys, for unknown-property errors', () => {
    expect(at(loaded.locateKey, ['steps', 0, 'when'])).toBe('5:5');
    expect(at(loaded.locateKey, ['metadata', 'name'])).toBe('2:13');
    expect(at(loaded.locateKey, ['steps', 0, 'missing'])).toBe('4:5');
    expect(at(loaded.locateKey, ['steps', 1])).toBe('9:5'); // a list item has no key: its value
  });

  it('locates the first character of scalar content', () => {
    expect(at(loaded.locateScalarContent, ['steps', 0, 'when'])).toBe('5:11');
    expect(at(loaded.locateScalarContent, ['steps', 0, 'with', 'text'])).toBe('7:14');
    expect(at(loaded.locateScalarContent, ['steps', 0, 'with', 'quoted'])).toBe('8:16');
    expect(at(loaded.locateScalarContent, ['steps', 1, 'script'])).toBe('12:7');
    expect(at(loaded.locateScalarContent, ['steps', 1, 'folded'])).toBe('15:7');
    expect(at(loaded.locateScalarContent, ['steps', 0])).toBe('4:5'); // not a scalar: the node
  });

  it('points at the alias where it is used, and through it into the anchored node', () => {
    expect(at(loaded.locate, ['steps', 3])).toBe('17:5');
    expect(at(loaded.locate, ['steps', 3, 'id'])).toBe('16:19');
  });

  it('still locates in a file that did not load', () => {
    const bad = loadYaml('bad.yaml', 'a:\n  b: 1\n  b: 2\n');
    expect(bad.ok).toBe(false);
    expect(at(bad.locate, ['a', 'b'])).toBe('2:6');
    const refused = loadYaml('big.yaml', 'a: 1\n', { maxBytes: 2 });
    expect(at(refused.locate, ['a'])).toBe('1:1');
  });
});
