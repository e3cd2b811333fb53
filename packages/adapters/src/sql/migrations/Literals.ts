/**
 * SQL literals generated from core's constant lists, so a value list (the status enum, CHECK lists) is typed once, in
 * core. Only migrations use this: queries bind values as parameters instead.
 */

/** `'a', 'b'` — each value single-quoted with quotes doubled. */
export const literalList = (values: ReadonlyArray<string>): string =>
  values.map(literal).join(", ")

/** `'a'` with single quotes doubled. */
export const literal = (value: string): string => `'${value.replaceAll("'", "''")}'`
