import type { Io } from '../io.ts';

export interface ApproveOptions {
  runId: string;
  step: string;
  approve?: boolean;
  reject?: boolean;
  by: string;
  reason?: string;
  url: string;
  token?: string;
  format: 'text' | 'json';
}

/**
 * `engine approve RUN --step ID (--approve|--reject) --by NAME [--reason TEXT]`: people's
 * decision on a run waiting at an approval.request step, sent to the running engine (POST
 * /runs/:id/approvals), which journals it and resumes the run in a worker. Exit 0 when the
 * decision was recorded, 1 when the engine refused it (not waiting there, expired, already
 * decided), 2 for a usage error or no answer.
 */
export async function approveCommand(options: ApproveOptions, io: Io, deps: { fetch: typeof fetch } = { fetch }): Promise<number> {
  if (Boolean(options.approve) === Boolean(options.reject)) {
    io.stderr('approve: give exactly one of --approve or --reject');
    return 2;
  }
  const decision = options.approve ? 'approve' : 'reject';
  const url = `${options.url.replace(/\/+$/, '')}/runs/${encodeURIComponent(options.runId)}/approvals`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  const body = { step: options.step, decision, by: options.by, ...(options.reason === undefined ? {} : { reason: options.reason }) };
  let res: Response;
  try {
    res = await deps.fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    io.stderr(`approve: no answer from ${url}${cause ? ` (${cause})` : ''}: is engine serve running?`);
    return 2;
  }
  const text = await res.text();
  let answer: Record<string, unknown> = {};
  try {
    answer = JSON.parse(text) as Record<string, unknown>;
  } catch {
    answer = { text };
  }
  if (options.format === 'json') io.stdout(JSON.stringify({ status: res.status, body: answer }, null, 2));
  if (res.ok) {
    if (options.format === 'text') {
      const target = answer['target'] ? ` ${String(answer['target'])}` : '';
      io.stdout(`${String(answer['decision'])}: ${String(answer['intent'])}${target} on run ${options.runId} (step ${options.step}) by ${options.by} at ${String(answer['at'])}; the run resumes`);
    }
    return 0;
  }
  if (options.format === 'text') {
    const error = (answer['error'] ?? {}) as { code?: string; message?: string };
    io.stderr(`approve: ${res.status} ${error.code ?? ''}: ${error.message ?? text}`.replace(/ :/, ':'));
  }
  return res.status >= 400 && res.status < 500 ? 1 : 2;
}
