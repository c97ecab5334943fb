import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Document, isScalar, isSeq, parseDocument, visit } from 'yaml';
import { EngineError } from '../../engine/errors.ts';
import type { PlaybookTestCase } from '../../schemas/playbook-test.ts';

const HEADER = [
  ' Test cases saved by `engine replay RUN --save-case FILE` from recorded runs: each gives the',
  " run's event, the answers its journal recorded and what the run did. Run with: engine test FILE",
].join('\n');

/** Short lists of scalars (a path, a few commands) read best on one line. */
const FLOW_CHARS = 100;

/**
 * Appends a case to a test-case file, creating it when it does not exist; what the case cannot
 * reproduce is written as a comment above it. A file for another playbook, or one that does not
 * parse, is refused (REPLAY_CASE_FILE) and left as it is.
 */
export function appendCase(file: string, playbook: string, testCase: PlaybookTestCase, notes: readonly string[]): 'created' | 'appended' {
  const exists = existsSync(file);
  const doc = exists ? parseDocument(readFileSync(file, 'utf8')) : new Document({ playbook, cases: [] });
  if (!exists) doc.commentBefore = HEADER;
  if (doc.errors.length) throw new EngineError('REPLAY_CASE_FILE', `${file} does not parse: ${doc.errors[0]!.message}`);
  const named = doc.get('playbook');
  if (exists && named !== playbook) throw new EngineError('REPLAY_CASE_FILE', `${file} holds cases for playbook ${JSON.stringify(named)}, not ${playbook}`);
  const node = doc.createNode(testCase);
  if (notes.length) node.commentBefore = [' not reproduced exactly:', ...notes.map((n) => ` - ${n}`)].join('\n');
  visit(node, {
    Seq(_key, seq) {
      const scalars = seq.items.every((i) => isScalar(i));
      if (scalars && seq.items.length > 0 && JSON.stringify(seq.toJSON()).length <= FLOW_CHARS) seq.flow = true;
    },
  });
  if (!isSeq(doc.get('cases', true))) doc.set('cases', doc.createNode([]));
  doc.addIn(['cases'], node);
  writeFileSync(file, doc.toString({ lineWidth: 0, flowCollectionPadding: false }));
  return exists ? 'appended' : 'created';
}
