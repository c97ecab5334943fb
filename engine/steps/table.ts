import type { StepExecutor } from './executor.ts';
import { intentRunStep, intentValidateStep } from './intent.ts';
import { llmAskStep, llmDiagnoseStep, llmValidateStep } from './llm.ts';
import { memoryRememberStep, memorySearchStep } from './memory.ts';
import { approvalStep, escalateStep, notifyStep } from './notify.ts';
import { httpRequestStep } from './http.ts';
import { idNewStep } from './id.ts';
import { logAppendStep } from './log.ts';
import { stateDeleteStep, stateGetStep, stateSetStep } from './state.ts';
import { toolCallStep } from './tool.ts';
import { valueStep } from './value.ts';
import { waitStep } from './wait.ts';

/** Every step executor, in one literal table: the capability list lint checks `use:` against. */
export const STEP_EXECUTORS: ReadonlyMap<string, StepExecutor<never>> = new Map(
  (
    [
      intentValidateStep,
      intentRunStep,
      llmDiagnoseStep,
      llmValidateStep,
      llmAskStep,
      memorySearchStep,
      memoryRememberStep,
      notifyStep,
      escalateStep,
      approvalStep,
      toolCallStep,
      stateSetStep,
      stateGetStep,
      stateDeleteStep,
      idNewStep,
      logAppendStep,
      httpRequestStep,
      valueStep,
      waitStep,
    ] as StepExecutor<never>[]
  ).map((e) => [e.name, e]),
);
