import { useCallback, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Card, CardBody, CardHeader, Field, Input, Textarea, toast } from "../../../components";
import { api, fieldErrors } from "../../../lib/api";
import type { Carrier } from "../types";
import { carrierPatchBody } from "./carrierForm";
import { keys } from "./queries";
import { DetailList, FormError } from "./ui";

type Key = "customerAccountNumber" | "supplierAccountNumber" | "taxCode" | "billTo" | "shipTo";
type Draft = Record<Key, string>;
const KEYS: Key[] = ["customerAccountNumber", "supplierAccountNumber", "taxCode", "billTo", "shipTo"];
const MAX: Record<Key, number> = { customerAccountNumber: 64, supplierAccountNumber: 64, taxCode: 32, billTo: 1000, shipTo: 1000 };

const toDraft = (c: Carrier): Draft => ({
  customerAccountNumber: c.customerAccountNumber ?? "",
  supplierAccountNumber: c.supplierAccountNumber ?? "",
  taxCode: c.taxCode ?? "",
  billTo: c.billTo ?? "",
  shipTo: c.shipTo ?? "",
});
const norm = (v: string) => (v.trim() === "" ? null : v.trim());

/**
 * Edit state of the Accounting Details tab, owned by the page so the action dock
 * (Save / Cancel) and a tab switch keep the draft.
 */
export function useAccountingEditor(carrier: Carrier | undefined) {
  const qc = useQueryClient();
  const [draft, setDraft] = useState<Draft | null>(null);
  const changed = carrier && draft ? KEYS.filter((k) => norm(draft[k]) !== (carrier[k] ?? null)) : [];

  const save = useMutation({
    mutationFn: () => {
      if (!carrier || !draft) throw new Error("Nothing to save");
      const patch = carrierPatchBody(carrier, Object.fromEntries(changed.map((k) => [k, norm(draft[k])])));
      return patch ? api.patch<Carrier>(`/carriers/${carrier.id}`, patch) : Promise.resolve(carrier);
    },
    onSuccess: (saved) => {
      qc.setQueryData(keys.carrier(saved.id), saved);
      void qc.invalidateQueries({ queryKey: keys.carriers });
      setDraft(null);
      toast.success("Saved accounting details");
    },
  });

  const { reset } = save;
  const cancel = useCallback(() => {
    setDraft(null);
    reset();
  }, [reset]);

  return {
    editing: draft !== null,
    draft,
    dirty: changed.length > 0,
    start: () => {
      if (carrier) setDraft(toDraft(carrier));
      save.reset();
    },
    cancel,
    set: (k: Key, v: string) => setDraft((d) => (d ? { ...d, [k]: v } : d)),
    save,
  };
}
export type AccountingEditor = ReturnType<typeof useAccountingEditor>;

/** Tab 4: account numbers, tax code and addresses. */
export function AccountingTab({ carrier, editor }: { carrier: Carrier; editor: AccountingEditor }) {
  const server = fieldErrors(editor.save.error);
  const general = editor.save.error && !Object.keys(server).some((k) => (KEYS as string[]).includes(k)) ? editor.save.error : null;
  const pre = (v: string | null) => (v ? <span className="block whitespace-pre-line">{v}</span> : <span className="text-fg-subtle">—</span>);

  if (!editor.editing || !editor.draft) {
    return (
      <Card className="max-w-4xl">
        <CardHeader title="Accounting Details" description="Used on invoices, statements and netting requests." />
        <CardBody className="grid gap-6 md:grid-cols-2">
          <DetailList
            items={[
              { label: "Customer Account Number", value: carrier.customerAccountNumber ? <span className="font-mono">{carrier.customerAccountNumber}</span> : <span className="text-fg-subtle">—</span>, title: carrier.customerAccountNumber ?? undefined },
              { label: "Supplier Account Number", value: carrier.supplierAccountNumber ? <span className="font-mono">{carrier.supplierAccountNumber}</span> : <span className="text-fg-subtle">—</span>, title: carrier.supplierAccountNumber ?? undefined },
              { label: "Tax Code", value: carrier.taxCode ?? <span className="text-fg-subtle">—</span> },
            ]}
            className="grid-cols-[minmax(0,11rem)_minmax(0,1fr)] content-start"
          />
          <dl className="grid grid-cols-1 gap-4 text-sm sm:grid-cols-2">
            <div className="min-w-0">
              <dt className="mb-1 text-fg-muted">Bill To</dt>
              <dd className="min-w-0 break-words text-fg">{pre(carrier.billTo)}</dd>
            </div>
            <div className="min-w-0">
              <dt className="mb-1 text-fg-muted">Ship To</dt>
              <dd className="min-w-0 break-words text-fg">{pre(carrier.shipTo)}</dd>
            </div>
          </dl>
        </CardBody>
      </Card>
    );
  }
  const d = editor.draft;
  return (
    <Card className="max-w-4xl">
      <CardHeader title="Accounting Details" description="Save or cancel in the bar below." />
      <CardBody>
        <form
          id="accounting-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            editor.save.mutate();
          }}
          className="grid grid-cols-1 gap-3.5 sm:grid-cols-6"
        >
          <Field label="Customer Account Number" error={server.customerAccountNumber} className="sm:col-span-2">
            <Input value={d.customerAccountNumber} onChange={(e) => editor.set("customerAccountNumber", e.target.value)} maxLength={MAX.customerAccountNumber} className="font-mono" autoComplete="off" autoFocus />
          </Field>
          <Field label="Supplier Account Number" error={server.supplierAccountNumber} className="sm:col-span-2">
            <Input value={d.supplierAccountNumber} onChange={(e) => editor.set("supplierAccountNumber", e.target.value)} maxLength={MAX.supplierAccountNumber} className="font-mono" autoComplete="off" />
          </Field>
          <Field label="Tax Code" error={server.taxCode} className="sm:col-span-2">
            <Input value={d.taxCode} onChange={(e) => editor.set("taxCode", e.target.value)} maxLength={MAX.taxCode} autoComplete="off" />
          </Field>
          <Field label="Bill To" error={server.billTo} className="sm:col-span-3" hint="Multi-line postal address.">
            <Textarea value={d.billTo} onChange={(e) => editor.set("billTo", e.target.value)} rows={5} maxLength={MAX.billTo} />
          </Field>
          <Field label="Ship To" error={server.shipTo} className="sm:col-span-3" hint="Leave empty when the same as Bill To.">
            <Textarea value={d.shipTo} onChange={(e) => editor.set("shipTo", e.target.value)} rows={5} maxLength={MAX.shipTo} />
          </Field>
          {general && (
            <div className="sm:col-span-6">
              <FormError error={general} />
            </div>
          )}
          <button type="submit" hidden />
        </form>
      </CardBody>
    </Card>
  );
}
