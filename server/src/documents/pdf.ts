import PDFDocument from "pdfkit";

/**
 * A billing document as the PDF renderer takes it: plain, already formatted strings
 * (money, dates and quantities as they should read), so the renderer holds no business
 * rules and any document (invoice, statement, credit note, netting) can use it.
 */
export interface DocumentPdfModel {
  /** e.g. "invoice", "statement", "credit_note" (metadata only; `title` is what shows). */
  kind: string;
  /** The heading, e.g. "Invoice". */
  title: string;
  /** The document number, null for a draft not numbered yet. */
  number: string | null;
  /** "draft" puts a DRAFT watermark on every page; other values show next to the number. */
  status?: string;
  issuedOn: string;
  dueOn?: string;
  currency: string;
  branding: { tenantName: string; logoDataUrl: string | null; accentColor: string };
  from: { name: string; lines: string[] };
  to: { name: string; lines: string[] };
  /** Label/value pairs shown under the heading (period, account, terms…). */
  meta: [string, string][];
  columns: { label: string; align: "left" | "right"; width?: number }[];
  rows: string[][];
  totals: { label: string; value: string; strong?: boolean }[];
  notes: string[];
  footer?: string;
}

const PAGE = { width: 595.28, height: 841.89 }; // A4 in points
const MARGIN = 40;
const FOOTER_H = 28;
const ROW_H = 15;
const HEADER_ROW_H = 18;
const BODY_FONT = 8.5;
const INK = "#18181b";
const MUTED = "#71717a";
const LINE = "#e4e4e7";
const ZEBRA = "#f7f7f8";

/** PNG or JPEG bytes of a data URL; null for anything else (SVG, WebP) or a malformed one: the header then shows the name only. */
export function logoBytes(dataUrl: string | null): Buffer | null {
  const m = dataUrl?.match(/^data:image\/(png|jpeg|jpg);base64,([A-Za-z0-9+/=]+)$/);
  if (!m) return null;
  const bytes = Buffer.from(m[2]!, "base64");
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  return png || jpeg ? bytes : null;
}

const safeColor = (c: string) => (/^#[0-9a-fA-F]{6}$/.test(c) ? c : "#2563EB");

/**
 * Renders a document to PDF (A4). Every page has the accent band, the logo or tenant
 * name, the title and number; the line table repeats its header on each page; totals
 * are kept together (moved to a new page rather than split); pages are numbered
 * "Page n of m"; a draft carries a watermark on every page.
 */
export function renderDocumentPdf(model: DocumentPdfModel): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", margin: MARGIN, bufferPages: true, info: { Title: `${model.title}${model.number ? ` ${model.number}` : ""}`, Author: model.branding.tenantName, Subject: model.kind } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const accent = safeColor(model.branding.accentColor);
  const logo = logoBytes(model.branding.logoDataUrl);
  const contentW = PAGE.width - 2 * MARGIN;
  const bottom = PAGE.height - MARGIN - FOOTER_H;

  // Column widths: the given ones, the rest share what is left.
  const fixed = model.columns.reduce((s, c) => s + (c.width ?? 0), 0);
  const flexible = model.columns.filter((c) => !c.width).length;
  const widths = model.columns.map((c) => c.width ?? Math.max(30, (contentW - fixed) / Math.max(1, flexible)));
  const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((s, w) => s + w, 0));

  /** The band, logo or name, title and number: on every page. Returns where content starts. */
  const pageHeader = (): number => {
    doc.rect(0, 0, PAGE.width, 8).fill(accent);
    const top = MARGIN - 8;
    if (logo) {
      try {
        doc.image(logo, MARGIN, top, { fit: [150, 40] });
      } catch {
        doc.font("Helvetica-Bold").fontSize(15).fillColor(INK).text(model.branding.tenantName, MARGIN, top + 10, { width: 260, lineBreak: false });
      }
    } else doc.font("Helvetica-Bold").fontSize(15).fillColor(INK).text(model.branding.tenantName, MARGIN, top + 10, { width: 260, lineBreak: false });
    doc.font("Helvetica-Bold").fontSize(18).fillColor(accent).text(model.title.toUpperCase(), MARGIN + contentW - 260, top, { width: 260, align: "right", lineBreak: false });
    const sub = [model.number ?? "Not numbered", model.status && model.status !== "draft" ? model.status.toUpperCase() : model.status === "draft" ? "DRAFT" : null].filter(Boolean).join("  ·  ");
    doc.font("Helvetica").fontSize(9).fillColor(MUTED).text(sub, MARGIN + contentW - 260, top + 24, { width: 260, align: "right", lineBreak: false });
    doc.moveTo(MARGIN, top + 48).lineTo(MARGIN + contentW, top + 48).lineWidth(0.5).strokeColor(LINE).stroke();
    return top + 60;
  };

  const tableHeader = (y: number): number => {
    doc.rect(MARGIN, y, contentW, HEADER_ROW_H).fill(accent);
    doc.font("Helvetica-Bold").fontSize(BODY_FONT).fillColor("#ffffff");
    model.columns.forEach((c, i) => doc.text(c.label, xs[i]! + 4, y + 5, { width: widths[i]! - 8, align: c.align, lineBreak: false, ellipsis: true }));
    return y + HEADER_ROW_H;
  };

  const newPage = (): number => {
    doc.addPage();
    return pageHeader();
  };

  // ── First page: parties and meta ──
  let y = pageHeader();
  const party = (label: string, p: { name: string; lines: string[] }, x: number, w: number) => {
    doc.font("Helvetica-Bold").fontSize(7.5).fillColor(MUTED).text(label.toUpperCase(), x, y, { width: w });
    doc.font("Helvetica-Bold").fontSize(10).fillColor(INK).text(p.name, x, y + 11, { width: w });
    doc.font("Helvetica").fontSize(9).fillColor(INK);
    for (const l of p.lines) doc.text(l, { width: w });
    return doc.y;
  };
  const colW = contentW / 3 - 8;
  const fromEnd = party("From", model.from, MARGIN, colW);
  const toEnd = party("Bill to", model.to, MARGIN + contentW / 3, colW);
  const metaRows: [string, string][] = [["Issued", model.issuedOn], ...(model.dueOn ? ([["Due", model.dueOn]] as [string, string][]) : []), ["Currency", model.currency], ...model.meta];
  const metaX = MARGIN + (2 * contentW) / 3;
  let my = y;
  for (const [label, value] of metaRows) {
    doc.font("Helvetica").fontSize(8.5).fillColor(MUTED).text(label, metaX, my, { width: 70, lineBreak: false });
    doc.font("Helvetica-Bold").fontSize(8.5).fillColor(INK).text(value, metaX + 70, my, { width: colW - 70, align: "right" });
    my = Math.max(doc.y, my + 12);
  }
  y = Math.max(fromEnd, toEnd, my) + 16;

  // ── Lines, header repeated on every page ──
  y = tableHeader(y);
  doc.font("Helvetica").fontSize(BODY_FONT);
  model.rows.forEach((row, r) => {
    if (y + ROW_H > bottom) y = tableHeader(newPage());
    if (r % 2 === 1) doc.rect(MARGIN, y, contentW, ROW_H).fill(ZEBRA);
    doc.font("Helvetica").fontSize(BODY_FONT).fillColor(INK);
    model.columns.forEach((c, i) => doc.text(row[i] ?? "", xs[i]! + 4, y + 4, { width: widths[i]! - 8, align: c.align, lineBreak: false, ellipsis: true }));
    y += ROW_H;
  });
  doc.moveTo(MARGIN, y).lineTo(MARGIN + contentW, y).lineWidth(0.5).strokeColor(LINE).stroke();

  // ── Totals, kept together ──
  const totalsH = 10 + model.totals.length * 16;
  if (y + totalsH > bottom) y = newPage();
  y += 10;
  const tx = MARGIN + contentW - 250;
  for (const t of model.totals) {
    if (t.strong) doc.rect(tx, y - 3, 250, 16).fill(ZEBRA);
    doc.font(t.strong ? "Helvetica-Bold" : "Helvetica").fontSize(t.strong ? 10 : 9).fillColor(INK);
    doc.text(t.label, tx + 6, y, { width: 140, lineBreak: false });
    doc.text(t.value, tx + 146, y, { width: 98, align: "right", lineBreak: false });
    y += 16;
  }

  // ── Notes ──
  y += 12;
  doc.font("Helvetica").fontSize(8.5).fillColor(MUTED);
  for (const n of model.notes) {
    const h = doc.heightOfString(n, { width: contentW });
    if (y + h > bottom) y = newPage();
    doc.text(n, MARGIN, y, { width: contentW });
    y = doc.y + 4;
  }

  // ── Every page: footer, page numbers, watermark ──
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would start a new page.
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const fy = PAGE.height - MARGIN - 10;
    doc.moveTo(MARGIN, fy - 6).lineTo(MARGIN + contentW, fy - 6).lineWidth(0.5).strokeColor(LINE).stroke();
    doc.font("Helvetica").fontSize(7.5).fillColor(MUTED);
    doc.text(model.footer ?? model.branding.tenantName, MARGIN, fy, { width: contentW - 90, lineBreak: false, ellipsis: true });
    doc.text(`Page ${i - range.start + 1} of ${range.count}`, MARGIN + contentW - 90, fy, { width: 90, align: "right", lineBreak: false });
    if (model.status === "draft") {
      doc.save();
      doc.rotate(-35, { origin: [PAGE.width / 2, PAGE.height / 2] });
      doc.font("Helvetica-Bold").fontSize(110).fillColor("#dc2626").fillOpacity(0.1);
      doc.text("DRAFT", 0, PAGE.height / 2 - 55, { width: PAGE.width, align: "center", lineBreak: false });
      doc.restore();
    }
    doc.page.margins.bottom = saved;
  }
  doc.end();
  return done;
}
