import { describe, expect, it } from "vitest";
import { checkDecideBody } from "./routes.js";

/** The decide route's hand-written body check: the rules its zod schema documents. */
describe("checkDecideBody", () => {
  it("passes a good body and defaults calling to ''", () => {
    expect(checkDecideBody({ sourceIp: "10.0.0.1", dialled: "4420", sourcePort: 5060, callId: "x" })).toEqual({ value: { sourceIp: "10.0.0.1", dialled: "4420", sourcePort: 5060, callId: "x", calling: "" } });
  });
  it.each([
    [null, "body"],
    [[], "body"],
    [{ dialled: "44" }, "sourceIp"],
    [{ sourceIp: "", dialled: "44" }, "sourceIp"],
    [{ sourceIp: "10.0.0.1" }, "dialled"],
    [{ sourceIp: "10.0.0.1", dialled: 44 }, "dialled"],
    [{ sourceIp: "10.0.0.1", dialled: "x".repeat(201) }, "dialled"],
    [{ sourceIp: "10.0.0.1", dialled: "44", sourcePort: 0 }, "sourcePort"],
    [{ sourceIp: "10.0.0.1", dialled: "44", sourcePort: 5060.5 }, "sourcePort"],
    [{ sourceIp: "10.0.0.1", dialled: "44", callId: 7 }, "callId"],
    [{ sourceIp: "10.0.0.1", dialled: "44", switchId: "s".repeat(33) }, "switchId"],
  ])("refuses %j (%s) with a 400", (body, field) => {
    const r = checkDecideBody(body);
    expect("error" in r && (r.error as Error & { statusCode: number; fields: Record<string, string[]> })).toMatchObject({ statusCode: 400, fields: { [field]: expect.any(Array) } });
  });
});
