import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { logoBytes, renderDocumentPdf, type DocumentPdfModel } from "../src/documents/pdf.js";
import { repoRoot } from "../src/platform/config.js";
import { extractPdfText } from "./support/pdf-text.js";

// A 2×2 red PNG.
const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==";

const invoice = (rows: number, over: Partial<DocumentPdfModel> = {}): DocumentPdfModel => ({
  kind: "invoice",
  title: "Invoice",
  number: "INV-2026-0042",
  status: "issued",
  issuedOn: "2026-03-01",
  dueOn: "2026-03-31",
  currency: "USD",
  branding: { tenantName: "Northwind Voice", logoDataUrl: null, accentColor: "#0F766E" },
  from: { name: "Northwind Voice Ltd", lines: ["1 Carrier Street", "London EC1A 1AA"] },
  to: { name: "GlobalVoice Ltd", lines: ["Accounts Payable", "ap@globalvoice.example"] },
  meta: [["Period", "2026-02-01 – 2026-02-28"], ["Account", "GV-001"]],
  columns: [
    { label: "Destination", align: "left" },
    { label: "Prefix", align: "left", width: 70 },
    { label: "Calls", align: "right", width: 55 },
    { label: "Minutes", align: "right", width: 70 },
    { label: "Rate", align: "right", width: 70 },
    { label: "Amount", align: "right", width: 80 },
  ],
  rows: Array.from({ length: rows }, (_, i) => [`Destination ${i + 1}`, `44${i}`, String(i + 1), `${(i + 1) * 3}.0`, "0.010000", `${((i + 1) * 0.03).toFixed(2)}`]),
  totals: [
    { label: "Subtotal", value: "3,757.50" },
    { label: "Tax (0%)", value: "0.00" },
    { label: "Total due", value: "USD 3,757.50", strong: true },
  ],
  notes: ["Pay by bank transfer quoting the invoice number."],
  footer: "Northwind Voice Ltd · VAT GB123456789",
  ...over,
});

describe("document PDF renderer", () => {
  it("renders a branded one-page invoice whose number, parties and totals read back", async () => {
    const pdf = await renderDocumentPdf(invoice(3));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const pages = await extractPdfText(pdf);
    expect(pages).toHaveLength(1);
    const text = pages[0]!;
    for (const s of ["Northwind Voice", "INVOICE", "INV-2026-0042", "GlobalVoice Ltd", "2026-03-31", "Period", "Destination 3", "Total due", "USD 3,757.50", "Page 1 of 1", "VAT GB123456789"]) expect(text).toContain(s);
    expect(text).not.toContain("DRAFT");
  });

  it("paginates 500 lines with the table header and page numbers on every page, totals once on the last", async () => {
    const pdf = await renderDocumentPdf(invoice(500));
    fs.mkdirSync(path.join(repoRoot, "test-results"), { recursive: true });
    fs.writeFileSync(path.join(repoRoot, "test-results", "invoice-500-lines.pdf"), pdf);
    const pages = await extractPdfText(pdf);
    expect(pages.length).toBeGreaterThan(8);
    pages.forEach((p, i) => {
      expect(p).toContain("Destination Prefix Calls Minutes Rate Amount");
      expect(p).toContain("INV-2026-0042");
      expect(p).toContain(`Page ${i + 1} of ${pages.length}`);
    });
    const all = pages.join("\n");
    for (let i = 1; i <= 500; i++) expect(all).toContain(`Destination ${i} `);
    expect(pages.filter((p) => p.includes("Total due"))).toHaveLength(1);
    expect(pages.at(-1)).toContain("USD 3,757.50");
  });

  it("keeps the totals together: a table ending at the foot of a page moves them to the next", async () => {
    // Find a line count whose table fills the first page exactly, then check the totals never split.
    for (const n of [36, 37, 38, 39, 40, 41]) {
      const pages = await extractPdfText(await renderDocumentPdf(invoice(n)));
      const withTotals = pages.filter((p) => p.includes("Subtotal") || p.includes("Total due"));
      expect(withTotals).toHaveLength(1);
      expect(withTotals[0]).toContain("Subtotal");
      expect(withTotals[0]).toContain("Total due");
    }
  });

  it("marks a draft on every page and shows it unnumbered", async () => {
    const pages = await extractPdfText(await renderDocumentPdf(invoice(120, { status: "draft", number: null })));
    expect(pages.length).toBeGreaterThan(1);
    for (const p of pages) {
      expect(p).toContain("DRAFT");
      expect(p).toContain("Not numbered");
    }
  });

  it("draws a PNG logo and ignores an SVG one (the name shows instead)", async () => {
    expect(logoBytes(PNG)).not.toBeNull();
    expect(logoBytes("data:image/svg+xml;base64,PHN2Zy8+")).toBeNull();
    expect(logoBytes("data:image/png;base64,AAAA")).toBeNull(); // not a PNG inside
    const withLogo = await renderDocumentPdf(invoice(2, { branding: { tenantName: "Logo Co", logoDataUrl: PNG, accentColor: "#2563EB" } }));
    expect(withLogo.includes(Buffer.from("/Subtype /Image"))).toBe(true);
    expect((await extractPdfText(withLogo))[0]).not.toContain("Logo Co Invoice"); // the logo replaces the name in the header
    const svg = await renderDocumentPdf(invoice(2, { branding: { tenantName: "Svg Co", logoDataUrl: "data:image/svg+xml;base64,PHN2Zy8+", accentColor: "not-a-colour" } }));
    expect(svg.includes(Buffer.from("/Subtype /Image"))).toBe(false);
    expect((await extractPdfText(svg))[0]).toContain("Svg Co");
  });
});
