import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Download, FileText } from "lucide-react";
import { Button, Card, CardHeader, EmptyState, ErrorState, Field, Input, Page, PageHeader } from "../../components";
import { api } from "../../lib/api";
import { SearchSelect } from "../carriers/interconnect/SearchSelect";
import { carrierCurrencies } from "../carriers/carrier/labels";
import { Amount, useCarrierOptions } from "../ledger/shared";
import { Select } from "../../components";
import { MiniTable } from "./InvoiceDetailPage";
import { apiUrl, label, type Statement } from "./types";

const monthStart = () => `${new Date().toISOString().slice(0, 7)}-01`;

/** Billing / Statements: a carrier's Statement of Account for a period, from the ledger (both sides for a bilateral). */
export default function StatementsPage() {
  const { carriers, options, loading } = useCarrierOptions();
  const [carrierId, setCarrierId] = useState<string | null>(null);
  const [from, setFrom] = useState(monthStart());
  const [to, setTo] = useState(new Date().toISOString().slice(0, 10));
  const [currency, setCurrency] = useState("");
  const carrier = carriers.find((c) => c.id === carrierId);
  const params = carrierId && from && to ? { carrierId, from, to, ...(currency && { currency }) } : null;
  const st = useQuery({
    queryKey: ["billing", "statement", params],
    queryFn: ({ signal }) => api.get<Statement>("/statements", params!, signal),
    enabled: !!params,
  });
  const qs = params ? new URLSearchParams(params as Record<string, string>).toString() : "";
  return (
    <Page
      header={
        <PageHeader
          title="Statements"
          breadcrumb={["Billing", "Statements"]}
          description="Opening balance, every posting of the period as one line per document, closing balance — per account."
          actions={
            params && (
              <a href={apiUrl(`/statements/pdf?${qs}`)} download className="contents">
                <Button icon={<Download className="size-4" />}>Download PDF</Button>
              </a>
            )
          }
        />
      }
    >
      <div className="flex flex-col gap-4">
        <Card className="flex flex-wrap items-end gap-3 p-3">
          <Field label="Carrier" className="w-64">
            <SearchSelect value={carrierId} onChange={setCarrierId} options={options} loading={loading} placeholder="Choose a carrier…" aria-label="Carrier" />
          </Field>
          <Field label="From">
            <Input type="date" aria-label="From" value={from} onChange={(e) => setFrom(e.target.value)} />
          </Field>
          <Field label="To">
            <Input type="date" aria-label="To" value={to} onChange={(e) => setTo(e.target.value)} />
          </Field>
          <Field label="Currency">
            <Select value={currency} onChange={(e) => setCurrency(e.target.value)} placeholder="Primary" options={(carrier ? carrierCurrencies(carrier) : []).map((c) => ({ value: c, label: c }))} wrapperClassName="w-28" aria-label="Currency" />
          </Field>
        </Card>
        {!params && <EmptyState icon={<FileText />} title="Pick a carrier and a period" description="The statement is computed from the ledger when you ask for it." />}
        {st.error && <ErrorState error={st.error} onRetry={() => st.refetch()} />}
        {st.data?.sides.map((s) => (
          <Card key={s.account}>
            <CardHeader
              title={`${label(s.account)} account · ${st.data.carrierName}`}
              description={`${st.data.from} – ${st.data.to} (${st.data.timeZone}) · ${st.data.currency}`}
              actions={
                <span className="text-sm">
                  Opening <Amount value={s.opening} /> · Closing <Amount value={s.closing} currency={st.data.currency} className="font-semibold" />
                </span>
              }
            />
            <MiniTable
              label={`${label(s.account)} statement`}
              empty="No postings in the period."
              head={[{ label: "Date" }, { label: "Type" }, { label: "Description" }, { label: "Amount", right: true }, { label: "Balance", right: true }]}
              rows={[
                ["", "", <span className="font-medium">Opening balance</span>, "", <Amount value={s.opening} />],
                ...s.lines.map((l) => [<span className="tabular whitespace-nowrap">{l.at.slice(0, 10)}</span>, label(l.kind), l.description, <Amount value={l.amount} />, <Amount value={l.balance} />]),
                ["", "", <span className="font-medium">Closing balance</span>, "", <Amount value={s.closing} className="font-semibold" />],
              ]}
            />
          </Card>
        ))}
      </div>
    </Page>
  );
}
