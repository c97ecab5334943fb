/** Tool calls (an MCP server in production). */
export interface Tools {
  call(name: string, args: Record<string, unknown>, options?: ToolCallOptions): Promise<unknown>;
}

export interface ToolCallOptions {
  signal?: AbortSignal;
  /** The effect id (`run/step/visit/n`): the same on a retry of the same effect, an idempotency key. */
  key?: string;
}
