/** JSON Logic truthiness: an empty list is false, like the expression language's `and`/`or`. */
export function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}
