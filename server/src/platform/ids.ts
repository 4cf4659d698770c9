import { uuidv7 } from "uuidv7";

/** Time-ordered ids (UUIDv7): index-friendly and sortable by creation time. */
export const newId = (): string => uuidv7();
