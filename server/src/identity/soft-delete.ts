import type { SoftDeletable } from "../recycle-bin/registry.js";

export const usersSoftDelete: SoftDeletable = {
  entityType: "user",
  label: "User",
  table: "users",
  titleColumn: "email",
};
