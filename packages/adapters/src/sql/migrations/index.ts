/** Every migration, keyed `<number>_<name>` for `Migrator.fromRecord`. Append; never edit one that has shipped. */
import initial from "./0001_initial.js"
import idempotencyAndPages from "./0002_idempotency_and_pages.js"
import idleHibernation from "./0003_idle_hibernation.js"

export const migrations = {
  "0001_initial": initial,
  "0002_idempotency_and_pages": idempotencyAndPages,
  "0003_idle_hibernation": idleHibernation
}
