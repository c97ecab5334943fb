import type { DiagnosticCode } from './codes.ts';

/** A place in a source file, 1-based, as editors and compilers print it. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** `note`: not a problem, only what lint did (a file it skipped and why). */
export type Severity = 'error' | 'warning' | 'note';

/** Every problem the engine finds at load or lint time is one of these: data, never a throw. */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  location: SourceLocation;
  hint?: string;
}

export function diagnostic(
  code: DiagnosticCode,
  message: string,
  location: SourceLocation,
  extra: { severity?: Severity; hint?: string } = {},
): Diagnostic {
  const d: Diagnostic = { code, severity: extra.severity ?? 'error', message, location };
  if (extra.hint !== undefined) d.hint = extra.hint;
  return d;
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/** `file:line:column: code: message` — the form compilers print and editors jump to. */
export function formatDiagnostic(d: Diagnostic): string {
  const hint = d.hint ? ` (${d.hint})` : '';
  const sev = d.severity === 'error' ? '' : `${d.severity}: `;
  return `${formatLocation(d.location)}: ${sev}${d.code}: ${d.message}${hint}`;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    a.location.file.localeCompare(b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    a.code.localeCompare(b.code)
  );
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}
