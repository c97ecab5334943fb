import { randomBytes } from 'node:crypto';
import type { SimAdUser, SimCall, SimClient, SimDevice, SimFollowup, SimKnowledge, SimMail, SimNotification, SimSecret, SimTicket } from './records.ts';
import { seedWorld } from './seed.ts';

/**
 * TEST DOUBLE. The in-memory world of the systems seed 004's MCP server talks to (GLPI,
 * Observium, Active Directory, MySecret, the RAG memory, the notifications), for the simulator
 * MCP server (`npm run simulator`) and the tests. Nothing here reaches a real system.
 *
 * Each tool is a function of its arguments over this state; the state changes are visible to
 * later calls (a closed ticket is no longer new, an unlocked account is no longer locked). Result
 * shapes are the ones the shipped playbooks and their tests read.
 */

/** A tool's own failure (an unknown ticket, an unknown account): an MCP result with `isError`. */
export class SimulatorToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorToolError';
  }
}

export interface SimulatorOptions {
  /** Epoch ms; the seed data is dated relative to it. */
  now?: () => number;
  /** Generated passwords and secret ids (tests inject a deterministic one). */
  random?: (bytes: number) => Buffer;
  /** Start empty instead of with the seed data. */
  empty?: boolean;
}

type Handler = (args: Record<string, unknown>) => unknown;

const MINUTE = 60_000;
/** A client's diagnostic code in a public followup: `#DIAG gw=ok int=fail ...` (the engine's own notes are private). */
const DIAG_CODE = /#DIAG\s+[^\s=]+=/;
const HOUR = 60 * MINUTE;

export class SimulatorWorld {
  readonly tickets = new Map<number, SimTicket>();
  readonly followups: SimFollowup[] = [];
  readonly mails: SimMail[] = [];
  readonly users = new Map<string, SimAdUser>();
  readonly devices = new Map<string, SimDevice>();
  readonly clients: SimClient[] = [];
  readonly secrets = new Map<string, SimSecret>();
  readonly knowledge: SimKnowledge[] = [];
  readonly notifications: SimNotification[] = [];
  readonly calls: SimCall[] = [];
  /** GLPI's API answers initSession with an error while true (for the health check). */
  glpiDown = false;
  readonly now: () => number;
  readonly #random: (bytes: number) => Buffer;
  #nextTicket = 200;
  #nextFollowup = 5000;
  #nextId = 1;
  /** Results already given per idempotency key, for the tools that are not idempotent. */
  readonly #byKey = new Map<string, unknown>();
  readonly #stalls = new Map<string, { promise: Promise<void>; release: () => void }>();
  readonly #failures = new Map<string, string[]>();
  readonly #handlers: Record<string, Handler>;

  constructor(options: SimulatorOptions = {}) {
    this.now = options.now ?? Date.now;
    this.#random = options.random ?? randomBytes;
    this.#handlers = this.#buildHandlers();
    if (!options.empty) seedWorld(this);
  }

  /** The tools this world answers. */
  toolNames(): string[] {
    return Object.keys(this.#handlers).sort();
  }

  /**
   * Answers one call. A key seen before for the same tool gives the first answer again without
   * acting twice (the idempotency key of the engine's effect); throws SimulatorToolError for a
   * tool's own failure.
   */
  async call(tool: string, args: Record<string, unknown>, key: string | null = null): Promise<unknown> {
    const handler = Object.prototype.hasOwnProperty.call(this.#handlers, tool) ? this.#handlers[tool] : undefined;
    if (!handler) throw new SimulatorToolError(`unknown tool ${tool}`);
    this.calls.push({ tool, args: structuredClone(args), key });
    const stall = this.#stalls.get(tool);
    if (stall) await stall.promise;
    const failure = this.#failures.get(tool)?.shift();
    if (failure !== undefined) throw new SimulatorToolError(failure);
    const keyed = key === null ? null : `${tool}\u0000${key}`;
    if (keyed !== null && this.#byKey.has(keyed)) return structuredClone(this.#byKey.get(keyed));
    const result = handler(args);
    if (keyed !== null) this.#byKey.set(keyed, structuredClone(result));
    return result;
  }

  /** Test control: calls of `tool` wait until the returned function is called. */
  stall(tool: string): () => void {
    let release = (): void => {};
    const promise = new Promise<void>((resolve) => {
      release = resolve;
    });
    const entry = { promise, release: () => {
      if (this.#stalls.get(tool) === entry) this.#stalls.delete(tool);
      release();
    } };
    this.#stalls.set(tool, entry);
    return entry.release;
  }

  /** Test control: the next call of `tool` fails with this message (a tool error, not a transport one). */
  failNext(tool: string, message: string): void {
    const list = this.#failures.get(tool) ?? [];
    list.push(message);
    this.#failures.set(tool, list);
  }

  /** Releases every stalled call (on shutdown). */
  releaseAll(): void {
    for (const s of [...this.#stalls.values()]) s.release();
  }

  callsOf(tool: string): SimCall[] {
    return this.calls.filter((c) => c.tool === tool);
  }

  #iso(ms: number): string {
    return new Date(ms).toISOString();
  }

  #token(bytes: number): string {
    return this.#random(bytes).toString('hex');
  }

  #newId(prefix: string): string {
    return `${prefix}_${this.#nextId++}`;
  }

  #ticket(id: unknown): SimTicket {
    const ticket = typeof id === 'number' ? this.tickets.get(id) : undefined;
    if (!ticket) throw new SimulatorToolError(`GLPI: ticket ${String(id)} not found`);
    return ticket;
  }

  #user(username: unknown): SimAdUser | undefined {
    return typeof username === 'string' ? this.users.get(username.toLowerCase()) : undefined;
  }

  #device(name: unknown): SimDevice {
    const device = typeof name === 'string' ? this.devices.get(name.toLowerCase()) : undefined;
    if (!device) throw new SimulatorToolError(`Observium: no device named ${String(name)}`);
    return device;
  }

  /** A password AD's policy accepts: 16 characters, upper, lower, digit and symbol. */
  #password(): string {
    const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '#!%+=?@'];
    const all = sets.join('');
    const bytes = this.#random(16);
    const chars = [...bytes].map((b, i) => (i < sets.length ? sets[i]![b % sets[i]!.length]! : all[b % all.length]!));
    return chars.join('');
  }

  #buildHandlers(): Record<string, Handler> {
    const int = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isInteger(v) ? v : fallback);
    return {
      glpi_search_new_tickets: (a) => {
        const since = a.minutes === undefined ? -Infinity : this.now() - int(a.minutes, 0) * MINUTE;
        return [...this.tickets.values()]
          .filter((t) => t.status === 'new' && t.openedAt >= since)
          .sort((x, y) => x.id - y.id)
          .slice(0, int(a.limit, 50))
          .map((t) => ({ id: t.id, title: t.title, content: t.content, requester: { ...t.requester } }));
      },
      glpi_get_resolved_tickets: (a) => {
        const since = this.now() - int(a.hours, 24) * HOUR;
        return [...this.tickets.values()]
          .filter((t) => (t.status === 'solved' || t.status === 'closed') && t.resolvedAt !== null && t.resolvedAt >= since)
          .sort((x, y) => x.id - y.id)
          .slice(0, int(a.limit, 50))
          .map((t) => ({ id: t.id, title: t.title, description: t.content, solution: t.solution ?? '', category: t.category ?? '', tags: [...t.tags] }));
      },
      glpi_search_client: (a) => {
        const q = String(a.query).toLowerCase();
        const device = this.devices.get(q) ?? [...this.devices.values()].find((d) => d.ip === q);
        const matches = this.clients.filter((c) => c.name.toLowerCase().includes(q) || (device?.client ?? null) === c.name);
        if (matches.length === 0) throw new SimulatorToolError(`GLPI: no client matches ${String(a.query)}`);
        const c = matches[0]!;
        return { name: c.name, entity: c.entity, contacts: c.contacts.map((x) => ({ ...x })), devices: [...c.devices] };
      },
      glpi_create_ticket: (a) => {
        const id = this.#nextTicket++;
        this.tickets.set(id, {
          id,
          title: String(a.title),
          content: String(a.content),
          requester: { login: null, email: null },
          status: 'new',
          openedAt: this.now(),
          category: typeof a.category === 'string' ? a.category : null,
          entity: typeof a.entity === 'string' ? a.entity : null,
          urgency: typeof a.urgency === 'number' ? a.urgency : null,
          trackingId: typeof a.tracking_id === 'string' ? a.tracking_id : null,
          tags: [],
          solution: null,
          resolvedAt: null,
        });
        return { ticket_id: id };
      },
      glpi_add_followup: (a) => {
        const ticket = this.#ticket(a.ticket_id);
        const at = this.now();
        const f: SimFollowup = { followup_id: this.#nextFollowup++, ticket_id: ticket.id, content: String(a.content), is_private: a.is_private === true, date: this.#iso(at), at };
        this.followups.push(f);
        return { followup_id: f.followup_id, ticket_id: ticket.id };
      },
      glpi_send_email: (a) => {
        const ticket = this.#ticket(a.ticket_id);
        const to = typeof a.to === 'string' ? a.to : ticket.requester.email;
        if (!to) throw new SimulatorToolError(`GLPI: ticket ${ticket.id} has no requester e-mail and no "to" was given`);
        const mail: SimMail = { message_id: `<${this.#token(6)}@glpi.simulator>`, ticket_id: ticket.id, to, subject: String(a.subject), body: String(a.body), sent_at: this.#iso(this.now()) };
        this.mails.push(mail);
        return { sent: true, message_id: mail.message_id, to };
      },
      glpi_close_ticket: (a) => {
        const ticket = this.#ticket(a.ticket_id);
        if (ticket.status !== 'closed') {
          ticket.status = 'closed';
          ticket.solution = String(a.solution);
          ticket.resolvedAt = this.now();
        }
        return { closed: true, ticket_id: ticket.id, status: 'closed' };
      },
      glpi_search_diag_followups: (a) => {
        const since = a.hours === undefined ? -Infinity : this.now() - int(a.hours, 0) * HOUR;
        return this.followups
          .filter((f) => !f.is_private && DIAG_CODE.test(f.content) && f.at >= since)
          .slice(0, int(a.limit, 50))
          .map((f) => ({ ticket_id: f.ticket_id, followup_id: f.followup_id, content: f.content, date: f.date }));
      },
      observium_get_device_status: (a) => {
        const d = this.#device(a.device_name);
        return { device_name: d.device_name, status: d.status, uptime_seconds: d.status === 'up' ? d.uptime_seconds : 0, last_poll: d.last_poll };
      },
      observium_get_device_metrics: (a) => {
        const d = this.#device(a.device_name);
        return { device_name: d.device_name, period_minutes: int(a.period_minutes, 60), ...d.metrics };
      },
      observium_get_device_history: (a) => {
        const d = this.#device(a.device_name);
        const since = this.now() - int(a.days, 30) * 24 * HOUR;
        return d.history.filter((h) => Date.parse(h.at) >= since).map((h) => ({ ...h }));
      },
      ad_check_user: (a) => {
        const u = this.#user(a.username);
        return u ? { exists: true, enabled: u.enabled, locked: u.locked } : { exists: false, enabled: false, locked: false };
      },
      ad_reset_password: (a) => {
        const u = this.#user(a.username);
        if (!u) throw new SimulatorToolError(`Active Directory: no account ${String(a.username)}`);
        if (!u.enabled) throw new SimulatorToolError(`Active Directory: account ${u.username} is disabled`);
        u.password = this.#password();
        u.must_change_at_next_logon = a.must_change_at_next_logon !== false;
        u.password_last_set = this.#iso(this.now());
        return { new_password: u.password, username: u.username, must_change_at_next_logon: u.must_change_at_next_logon };
      },
      ad_unlock_account: (a) => {
        const u = this.#user(a.username);
        if (!u) throw new SimulatorToolError(`Active Directory: no account ${String(a.username)}`);
        const was = u.locked;
        u.locked = false;
        return { unlocked: true, username: u.username, was_locked: was };
      },
      mysecret_create_secret: (a) => {
        const id = this.#token(8);
        const expires = this.now() + int(a.expire_hours, 24) * HOUR;
        const s: SimSecret = { id, secret: String(a.secret), url: `https://mysecret.widip.example/s/${id}`, expires_at: this.#iso(expires), max_views: int(a.max_views, 1), views: 0 };
        this.secrets.set(id, s);
        return { url: s.url, expires_at: s.expires_at };
      },
      memory_search_similar_cases: (a) => {
        const words = (t: string): Set<string> => new Set(t.toLowerCase().split(/[^\p{L}\p{N}-]+/u).filter((w) => w.length > 2));
        const q = words(String(a.query));
        return this.knowledge
          .map((k) => {
            const w = words(`${k.problem_summary} ${k.solution_summary} ${k.tags.join(' ')}`);
            const common = [...q].filter((x) => w.has(x)).length;
            return { k, score: q.size === 0 ? 0 : Math.round((common / q.size) * 100) / 100 };
          })
          .filter((x) => x.score > 0)
          .sort((x, y) => y.score - x.score)
          .slice(0, int(a.limit, 5))
          .map(({ k, score }) => ({ score, summary: `${k.problem_summary} -> ${k.solution_summary}`, entry_id: k.entry_id, ticket_id: k.ticket_id }));
      },
      memory_check_exists: (a) => {
        const text = typeof a.text === 'string' ? a.text.trim().toLowerCase() : null;
        const hit = this.knowledge.find((k) => (a.ticket_id !== undefined && k.ticket_id === a.ticket_id) || (text !== null && k.problem_summary.trim().toLowerCase() === text));
        return { exists: hit !== undefined, entry_id: hit?.entry_id ?? null };
      },
      memory_add_knowledge: (a) => {
        const entry: SimKnowledge = {
          entry_id: `kb_${9000 + this.knowledge.length + 1}`,
          ticket_id: int(a.ticket_id, 0),
          problem_summary: String(a.problem_summary),
          solution_summary: String(a.solution_summary),
          category: typeof a.category === 'string' ? a.category : null,
          tags: Array.isArray(a.tags) ? a.tags.map(String) : [],
          quality_score: typeof a.quality_score === 'number' ? a.quality_score : 0,
          source: typeof a.source === 'string' ? a.source : 'glpi',
        };
        this.knowledge.push(entry);
        return { entry_id: entry.entry_id };
      },
      notify_client: (a) => {
        const known = this.clients.some((c) => c.name === a.client);
        if (!known) throw new SimulatorToolError(`no client named ${String(a.client)} to notify`);
        const n = this.#notify('client', a);
        return { sent: true, notification_id: n.notification_id };
      },
      notify_technician: (a) => {
        const n = this.#notify('technician', a);
        return { sent: true, notification_id: n.notification_id };
      },
    };
  }

  #notify(kind: 'client' | 'technician', a: Record<string, unknown>): SimNotification {
    const n: SimNotification = {
      notification_id: this.#newId(kind === 'client' ? 'ncli' : 'ntec'),
      kind,
      client: typeof a.client === 'string' ? a.client : null,
      ticket_id: typeof a.ticket_id === 'number' ? a.ticket_id : null,
      severity: typeof a.severity === 'string' ? a.severity : null,
      message: String(a.message),
      at: this.#iso(this.now()),
    };
    this.notifications.push(n);
    return n;
  }
}
