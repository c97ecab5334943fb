/**
 * The fast path's tree: only what locating a path needs (where each node starts, a key index per
 * mapping, where a scalar's content starts), and the plain value built along the way.
 * Offsets match the full loader's node ranges: a block mapping starts at its first key, a
 * sequence at its first `-`, a flow collection at its bracket, a quoted scalar at its quote, a
 * block scalar at its `|` or `>`, an alias at its `*`; an anchor is never part of a range.
 */
export type FastNode = FastMap | FastSeq | FastScalar | FastAlias;

export interface FastMap {
  kind: 'map';
  start: number;
  /** In document order; keys are unique (a duplicate sends the file to the full loader). */
  pairs: FastPair[];
  value: Record<string, unknown>;
}

export interface FastPair {
  keyText: string;
  key: FastScalar;
  value: FastNode;
}

export interface FastSeq {
  kind: 'seq';
  start: number;
  items: FastNode[];
  value: unknown[];
}

export interface FastScalar {
  kind: 'scalar';
  start: number;
  /** Where the text of the value begins: after an opening quote, on the first line of a block scalar. */
  contentStart: number;
  value: string | number | boolean | null;
}

export interface FastAlias {
  kind: 'alias';
  start: number;
  target: FastNode;
  value: unknown;
}

/** Size and height of a node once aliases are expanded, measured as the full loader's tree check does. */
export interface Measure {
  size: number;
  height: number;
}
