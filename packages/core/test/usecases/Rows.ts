/** Workspace rows for use-case tests: the test kit's builders (one copy for every suite). */
import { Rows } from "@berth/adapters/testing"

export const { create, setStatus } = Rows
