/** Every migration, keyed `<number>_<name>` for `Migrator.fromRecord`. Append; never edit one that has shipped. */
import initial from "./0001_initial.js"

export const migrations = {
  "0001_initial": initial
}
