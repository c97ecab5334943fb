/** Tool calls (an MCP server in production). */
export interface Tools {
  call(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<unknown>;
}
