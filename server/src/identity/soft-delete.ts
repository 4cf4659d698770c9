import { conflict } from "../platform/http/errors.js";
import { refuseTakenOnRestore, type SoftDeletable } from "../recycle-bin/registry.js";

export const usersSoftDelete: SoftDeletable = {
  entityType: "user",
  label: "User",
  table: "users",
  titleColumn: "email",
  // E-mail addresses are unique across tenants.
  beforeRestore: refuseTakenOnRestore({ table: "users", column: "email", scope: [], error: () => conflict("Another live user now has this e-mail address; change theirs first", { email: ["in use"] }) }),
};
