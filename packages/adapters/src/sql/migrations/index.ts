/** Every migration, keyed `<number>_<name>` for `Migrator.fromRecord`. Append; never edit one that has shipped. */
import initial from "./0001_initial.js"
import idempotencyAndPages from "./0002_idempotency_and_pages.js"

export const migrations = {
  "0001_initial": initial,
  "0002_idempotency_and_pages": idempotencyAndPages
}
