import { showValue } from './target-rules.ts';

/**
 * Command templates: argv arrays where `{target}` is the only placeholder and always a whole
 * element. Substituting a whole element means a target can never change how the other words
 * split; and the program (element 0) always comes from the catalog, never from a target.
 */

export const TARGET_PLACEHOLDER = '{target}';

const WHOLE_PLACEHOLDER = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const EMBEDDED_PLACEHOLDER = /\{[A-Za-z_][A-Za-z0-9_]*\}/;
const PROGRAM = /^[A-Za-z0-9._/+-]+$/;
// Control characters cannot be typed safely in a template and NUL cannot reach a process at all.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export interface TemplateProblem {
  /** The offending element, or null when the problem is the command as a whole. */
  index: number | null;
  message: string;
}

export interface TemplateShape {
  /** The intent's targets are a list or a set (not `none`). */
  takesTarget: boolean;
  /** The intent is ESCALATE, which runs nothing. */
  escalate: boolean;
}

export function templateProblems(command: readonly string[] | undefined, shape: TemplateShape): TemplateProblem[] {
  const argv = command ?? [];
  if (shape.escalate) {
    return argv.length > 0 ? [{ index: null, message: 'ESCALATE hands the incident to a human and must not have a command' }] : [];
  }
  if (argv.length === 0) return [{ index: null, message: 'the command is missing or empty' }];

  const problems: TemplateProblem[] = [];
  let usesTarget = false;
  argv.forEach((element, index) => {
    const whole = WHOLE_PLACEHOLDER.exec(element);
    if (whole) {
      if (element !== TARGET_PLACEHOLDER) {
        problems.push({ index, message: `unknown placeholder ${element}; the only placeholder is ${TARGET_PLACEHOLDER}` });
      } else if (!shape.takesTarget) {
        problems.push({ index, message: `${TARGET_PLACEHOLDER} is used but the intent has targets: none` });
      } else if (index === 0) {
        problems.push({ index, message: `${TARGET_PLACEHOLDER} cannot be the program: element 0 must be a fixed command` });
      } else {
        usesTarget = true;
      }
      return;
    }
    if (EMBEDDED_PLACEHOLDER.test(element)) {
      problems.push({
        index,
        message: `placeholder inside ${showValue(element)}; a placeholder must be a whole argv element, e.g. ["-u", "${TARGET_PLACEHOLDER}"]`,
      });
      return;
    }
    if (CONTROL.test(element)) {
      problems.push({ index, message: `element ${showValue(element)} contains a control character` });
      return;
    }
    if (index === 0 && !PROGRAM.test(element)) {
      problems.push({ index, message: `element 0 must be a program name or path, not ${showValue(element)}` });
    }
  });
  if (shape.takesTarget && !usesTarget && problems.length === 0) {
    problems.push({ index: null, message: `the intent accepts targets but its command never uses ${TARGET_PLACEHOLDER}` });
  }
  return problems;
}
