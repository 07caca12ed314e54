/** A log-safe summary of an error: name, code and message, never the payload. */
export function errorSummary(err: unknown): { name: string; code?: string; message: string } {
  if (err instanceof Error) return { name: err.name, code: (err as { code?: string }).code, message: err.message };
  return { name: 'unknown', message: String(err) };
}
