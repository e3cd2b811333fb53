/** UUID shape (any case), for the ids the contract checks before they reach a uuid column (§5.10, §5.12). */
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

/** True when `raw` is 8-4-4-4-12 hex digits. */
export const isUuid = (raw: string): boolean => UUID.test(raw)
