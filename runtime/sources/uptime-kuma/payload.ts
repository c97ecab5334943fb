import { Type, type Static } from '@sinclair/typebox';
import { IdentityText, IdText, Nullable } from '../payload-schema.ts';

/**
 * The webhook body of Uptime Kuma 1.23 and 2.x, `{heartbeat, monitor, msg}` (examples/uptime-kuma),
 * in the parts the normalizer reads. Every monitor field a `serviceFrom`/`hostFrom` term can read
 * (name, hostname, container, group path, tags) names something, so it holds no control
 * character. The monitor carries dozens of other fields, which are allowed and not read.
 * `heartbeat.time` is left to ../time.ts (BAD_TIMESTAMP); whether heartbeat and monitor must be
 * present depends on each other (the Test button sends neither), which normalize.ts decides.
 */

const Name = Nullable(IdentityText({ expected: 'a text without control characters' }));

const Tag = Type.Object({
  name: Type.Optional(Name),
  value: Type.Optional(Nullable(IdentityText({ expected: 'a text' }))),
});

const UptimeKumaMonitor = Type.Object({
  id: Type.Optional(Nullable(IdText({ maxLength: 64, expected: 'an integer or a text of at most 64 characters' }))),
  name: Type.Optional(Name),
  hostname: Type.Optional(Name),
  docker_container: Type.Optional(Name),
  pathName: Type.Optional(Name),
  path: Type.Optional(Nullable(Type.Array(Name, { expected: 'a list of group names' }))),
  tags: Type.Optional(Nullable(Type.Array(Tag, { expected: 'a list of tags' }))),
  url: Type.Optional(Nullable(Type.String({ expected: 'a URL' }))),
  type: Type.Optional(Nullable(Type.String({ expected: 'a monitor type' }))),
});

const UptimeKumaHeartbeat = Type.Object({
  status: Type.Integer({ minimum: 0, maximum: 3, expected: '0, 1, 2 or 3' }),
  monitorID: Type.Optional(Nullable(IdText({ maxLength: 64, expected: 'an integer or a text of at most 64 characters' }))),
  time: Type.Optional(Type.Unknown()),
  msg: Type.Optional(Nullable(Type.String({ expected: 'a text' }))),
  important: Type.Optional(Nullable(Type.Boolean({ expected: 'true or false' }))),
});

export const UptimeKumaPayload = Type.Object({
  heartbeat: Type.Optional(Nullable(UptimeKumaHeartbeat)),
  monitor: Type.Optional(Nullable(UptimeKumaMonitor)),
  msg: Type.Optional(Nullable(Type.String({ expected: 'a text' }))),
});

type UptimeKumaMonitor = Static<typeof UptimeKumaMonitor>;
type UptimeKumaHeartbeat = Static<typeof UptimeKumaHeartbeat>;
export type UptimeKumaPayload = Static<typeof UptimeKumaPayload>;
