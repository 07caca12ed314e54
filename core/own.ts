/**
 * A lookup in a plain-object table that sees only the table's own keys: text typed by a user
 * (`列表 constructor`, a category named `toString`) must never reach Object.prototype.
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
