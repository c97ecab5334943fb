/** A chat model. The engine builds the prompt and validates the answer; the adapter only talks. */
export interface Llm {
  complete(request: LlmRequest): Promise<LlmAnswer>;
}

export interface LlmRequest {
  /** The AILCP role: diagnostician, validator, expert, architect. */
  role: string;
  model: string;
  system: string;
  prompt: string;
  /** JSON Schema the answer must match, for adapters that support structured output. */
  schema?: object;
  signal?: AbortSignal;
}

export interface LlmAnswer {
  /** The model's raw text; the engine parses JSON out of it. */
  text: string;
  model: string;
}
