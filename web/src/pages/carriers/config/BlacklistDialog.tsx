import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Dialog, Field, Input, toast } from "../../../components";
import { api, fieldErrors } from "../../../lib/api";
import type { BlacklistEntry } from "../types";
import { ErrorBanner, RadioGroup } from "../interconnect/fields";
import { useInterconnectOptions, useServiceOptions } from "../interconnect/hooks";
import { SearchSelect } from "../interconnect/SearchSelect";

interface Form {
  list: BlacklistEntry["list"];
  matchType: BlacklistEntry["matchType"];
  value: string;
  scope: BlacklistEntry["scope"];
  serviceId: string | null;
  interconnectId: string | null;
  note: string;
}

/** Add a number or prefix to the origination or destination blacklist. */
export function BlacklistDialog({ open, onClose, list }: { open: boolean; onClose: () => void; list: BlacklistEntry["list"] }) {
  const qc = useQueryClient();
  const blank = (): Form => ({ list, matchType: "prefix", value: "", scope: "global", serviceId: null, interconnectId: null, note: "" });
  const [form, setForm] = useState<Form>(blank);
  const [local, setLocal] = useState<Record<string, string>>({});
  const services = useServiceOptions(open && form.scope === "service");
  const interconnects = useInterconnectOptions({ enabled: open && form.scope === "interconnect" });

  const save = useMutation({
    mutationFn: () =>
      api.post<BlacklistEntry>("/blacklist", {
        list: form.list,
        matchType: form.matchType,
        value: form.value,
        scope: form.scope,
        serviceId: form.scope === "service" ? form.serviceId : null,
        interconnectId: form.scope === "interconnect" ? form.interconnectId : null,
        note: form.note.trim() || null,
      }),
    onSuccess: (e) => {
      void qc.invalidateQueries({ queryKey: ["blacklist"] });
      toast.success(`Blacklisted ${e.value}${e.matchType === "prefix" ? "…" : ""}`, { description: `${e.list === "origination" ? "Origination" : "Destination"} list, ${e.scope} scope` });
      onClose();
    },
  });
  const { reset } = save;
  useEffect(() => {
    if (open) {
      setForm(blank());
      setLocal({});
      reset();
    }
    // Restart when opened (the list follows the page's tab).
  }, [open, reset]);

  const server = fieldErrors(save.error);
  const err = (k: string) => (local[k] ? [local[k]] : server[k]);
  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setLocal({});
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!/^[0-9]{1,20}$/.test(form.value)) errs.value = "Enter 1–20 digits";
    if (form.scope === "service" && !form.serviceId) errs.serviceId = "Choose the service";
    if (form.scope === "interconnect" && !form.interconnectId) errs.interconnectId = "Choose the interconnect";
    setLocal(errs);
    if (!Object.keys(errs).length) save.mutate();
  };
  const dis = save.isPending;
  const general = save.error && Object.keys(server).length === 0 ? save.error : null;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!save.isPending}
      size="md"
      title="Add blacklist entry"
      description="Calls whose number matches are refused where the blacklist applies."
      footer={
        <>
          <Button onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="blacklist-form" loading={save.isPending}>
            Add entry
          </Button>
        </>
      }
    >
      <form id="blacklist-form" onSubmit={submit} noValidate className="grid gap-3.5 sm:grid-cols-2">
        {general && <ErrorBanner error={general} className="sm:col-span-2" />}
        <Field label="Number or prefix" required error={err("value")} hint={form.matchType === "prefix" ? "Every number starting with these digits." : "Exactly this number."}>
          <Input value={form.value} onChange={(e) => set({ value: e.target.value.replace(/[^0-9]/g, "").slice(0, 20) })} inputMode="numeric" className="font-mono" placeholder="e.g. 4470" disabled={dis} autoComplete="off" />
        </Field>
        <div className="flex flex-col gap-1.5">
          <span className="text-xs font-medium text-fg">Match type</span>
          <RadioGroup
            name="matchType"
            aria-label="Match type"
            value={form.matchType}
            onChange={(matchType) => set({ matchType })}
            disabled={dis}
            className="grid grid-cols-2 gap-2"
            options={[
              { value: "prefix", label: "Prefix" },
              { value: "exact", label: "Exact" },
            ]}
          />
        </div>
        <div className="flex flex-col gap-1.5 sm:col-span-2">
          <span className="text-xs font-medium text-fg">List</span>
          <RadioGroup
            name="list"
            aria-label="List"
            value={form.list}
            onChange={(l) => set({ list: l })}
            disabled={dis}
            options={[
              { value: "destination", label: "Destination", description: "The dialled number." },
              { value: "origination", label: "Origination", description: "The caller's number (CLI)." },
            ]}
          />
        </div>
        <div className="flex flex-col gap-1.5 sm:col-span-2">
          <span className="text-xs font-medium text-fg">Scope</span>
          <RadioGroup
            name="scope"
            aria-label="Scope"
            value={form.scope}
            onChange={(scope) => set({ scope })}
            disabled={dis}
            className="grid gap-2 sm:grid-cols-3"
            options={[
              { value: "global", label: "Global", description: "Every call." },
              { value: "service", label: "Service", description: "One service." },
              { value: "interconnect", label: "Interconnect", description: "One interconnect." },
            ]}
          />
        </div>
        {form.scope === "service" && (
          <Field label="Service" required error={err("serviceId")} className="sm:col-span-2">
            <SearchSelect
              value={form.serviceId}
              onChange={(serviceId) => set({ serviceId })}
              loading={services.isLoading}
              placeholder="Choose a service…"
              options={(services.data?.rows ?? []).map((s) => ({ value: s.id, label: s.name, detail: `${s.carrierName} · ${s.interconnectName}`, keywords: `${s.carrierName} ${s.interconnectName} ${s.techPrefix}` }))}
              disabled={dis}
            />
          </Field>
        )}
        {form.scope === "interconnect" && (
          <Field label="Interconnect" required error={err("interconnectId")} className="sm:col-span-2">
            <SearchSelect
              value={form.interconnectId}
              onChange={(interconnectId) => set({ interconnectId })}
              loading={interconnects.isLoading}
              placeholder="Choose an interconnect…"
              options={(interconnects.data?.rows ?? []).map((i) => ({ value: i.id, label: i.name, detail: `${i.carrierName} · ${i.direction}`, keywords: `${i.carrierName} ${i.direction}` }))}
              disabled={dis}
            />
          </Field>
        )}
        <Field label="Note" error={err("note")} className="sm:col-span-2">
          <Input value={form.note} onChange={(e) => set({ note: e.target.value })} maxLength={300} placeholder="Why it is blocked (optional)" disabled={dis} />
        </Field>
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
