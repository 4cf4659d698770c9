import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge, Button, Dialog, Field, Input, Textarea, toast } from "../../../components";
import { api, fieldErrors } from "../../../lib/api";
import { formatFull, formatRelative, shortId } from "../../../lib/format";
import type { Direction, TrunkGroup } from "../types";
import { ErrorBanner, moveItem, RadioGroup, RowOrderButtons } from "../interconnect/fields";
import { useInterconnectOptions } from "../interconnect/hooks";
import { SearchSelect } from "../interconnect/SearchSelect";

type Member = Omit<TrunkGroup["members"][number], "position">;
interface Form {
  name: string;
  direction: Direction;
  description: string;
  members: Member[];
}

const fromGroup = (g: TrunkGroup | null): Form => ({
  name: g?.name ?? "",
  direction: g?.direction ?? "egress",
  description: g?.description ?? "",
  members: (g?.members ?? []).map(({ position: _p, ...m }) => m),
});

/** Add/Edit trunk group: name, direction, description and an ordered member list. */
export function TrunkGroupDialog({ open, onClose, group, readOnly }: { open: boolean; onClose: () => void; group: TrunkGroup | null; readOnly?: boolean }) {
  const qc = useQueryClient();
  const editing = group !== null;
  const [form, setForm] = useState<Form>(() => fromGroup(group));
  const [local, setLocal] = useState<Record<string, string>>({});
  const options = useInterconnectOptions({ direction: form.direction, enabled: open });

  const save = useMutation({
    mutationFn: () => {
      const body = { name: form.name.trim(), direction: form.direction, description: form.description.trim() || null, interconnectIds: form.members.map((m) => m.interconnectId) };
      return editing ? api.patch<TrunkGroup>(`/trunk-groups/${group.id}`, body) : api.post<TrunkGroup>("/trunk-groups", body);
    },
    onSuccess: (saved) => {
      void qc.invalidateQueries({ queryKey: ["trunk-groups"] });
      toast.success(editing ? `Saved ${saved.name}` : `Added trunk group ${saved.name}`);
      onClose();
    },
  });
  const { reset } = save;
  useEffect(() => {
    if (open) {
      setForm(fromGroup(group));
      setLocal({});
      reset();
    }
    // Restart only when opened or for another group.
  }, [open, group?.id, reset]);

  const server = fieldErrors(save.error);
  const err = (k: string) => (local[k] ? [local[k]] : server[k]);
  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setLocal({});
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (readOnly) return;
    if (!form.name.trim()) {
      setLocal({ name: "Enter a name" });
      return;
    }
    save.mutate();
  };

  const available = (options.data?.rows ?? [])
    .filter((o) => !form.members.some((m) => m.interconnectId === o.id))
    .map((o) => ({ value: o.id, label: o.name, detail: `${o.carrierName} · ${o.currency} · ${o.status}`, keywords: o.carrierName }));
  const dis = readOnly || save.isPending;
  const general = save.error && Object.keys(server).length === 0 ? save.error : null;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      dismissible={!save.isPending}
      title={readOnly ? (group?.name ?? "Trunk group") : editing ? `Edit ${group.name}` : "Add trunk group"}
      description="A named, ordered set of interconnects of one direction."
      footerStart={
        editing ? (
          <span className="flex gap-3">
            <span className="font-mono" title={group.id}>
              {shortId("tgr", group.id)}
            </span>
            <span title={formatFull(group.updatedAt)}>Updated {formatRelative(group.updatedAt)}</span>
          </span>
        ) : undefined
      }
      footer={
        readOnly ? (
          <Button onClick={onClose}>Close</Button>
        ) : (
          <>
            <Button onClick={onClose} disabled={save.isPending}>
              Cancel
            </Button>
            <Button variant="primary" type="submit" form="trunk-group-form" loading={save.isPending}>
              {editing ? "Save changes" : "Add trunk group"}
            </Button>
          </>
        )
      }
    >
      <form id="trunk-group-form" onSubmit={submit} noValidate className="grid gap-3.5 sm:grid-cols-2">
        {general && <ErrorBanner error={general} className="sm:col-span-2" />}
        <Field label="Name" required error={err("name")}>
          <Input value={form.name} onChange={(e) => set({ name: e.target.value })} disabled={dis} maxLength={120} autoComplete="off" placeholder="e.g. Tier-1 Suppliers" />
        </Field>
        <div className="flex flex-col gap-1.5">
          <span className="text-xs font-medium text-fg">Direction</span>
          <RadioGroup
            name="direction"
            aria-label="Direction"
            value={form.direction}
            onChange={(direction) => set({ direction, members: direction === form.direction ? form.members : [] })}
            disabled={dis}
            className="grid grid-cols-2 gap-2"
            options={[
              { value: "ingress", label: "Ingress" },
              { value: "egress", label: "Egress" },
            ]}
          />
          {err("direction") && <p className="text-xs text-red-600 dark:text-red-400">{err("direction")!.join("; ")}</p>}
        </div>
        <Field label="Description" error={err("description")} className="sm:col-span-2">
          <Textarea value={form.description} onChange={(e) => set({ description: e.target.value })} disabled={dis} maxLength={500} rows={2} className="min-h-14" placeholder="Optional" />
        </Field>
        <div className="flex flex-col gap-2 sm:col-span-2">
          <div className="flex items-baseline justify-between gap-2">
            <span className="text-xs font-medium text-fg">
              Members <span className="font-normal text-fg-subtle">({form.members.length}, in order of preference)</span>
            </span>
            {form.members.length > 0 && !dis && (
              <button type="button" className="text-xs text-fg-muted hover:text-fg hover:underline" onClick={() => set({ members: [] })}>
                Remove all
              </button>
            )}
          </div>
          {form.members.length === 0 ? (
            <p className="rounded-md border border-dashed border-line px-3 py-3 text-center text-sm text-fg-muted">No members yet. Add {form.direction} interconnects below.</p>
          ) : (
            <ol aria-label="Members" className="flex max-h-64 flex-col divide-y divide-line overflow-y-auto rounded-md border border-line">
              {form.members.map((m, i) => (
                <li key={m.interconnectId} className="flex items-center gap-3 px-3 py-1.5">
                  <span className="w-4 text-right text-xs text-fg-subtle tabular">{i + 1}</span>
                  <span className="min-w-0 flex-1">
                    <span className="block truncate text-sm font-medium text-fg">{m.name}</span>
                    <span className="block truncate text-xs text-fg-muted">{m.carrierName}</span>
                  </span>
                  {m.status !== "active" && <Badge tone="warning">{m.status}</Badge>}
                  {!dis && <RowOrderButtons index={i} count={form.members.length} label={m.name} onMove={(a, b) => set({ members: moveItem(form.members, a, b) })} onRemove={() => set({ members: form.members.filter((x) => x.interconnectId !== m.interconnectId) })} />}
                </li>
              ))}
            </ol>
          )}
          {err("interconnectIds") && <p className="text-xs text-red-600 dark:text-red-400">{err("interconnectIds")!.join("; ")}</p>}
          {!dis && (
            <SearchSelect
              value={null}
              aria-label="Add interconnect"
              loading={options.isLoading}
              placeholder={available.length ? `Add a ${form.direction} interconnect…` : `No more ${form.direction} interconnects`}
              disabled={!available.length}
              options={available}
              onChange={(id) => {
                const o = options.data?.rows.find((r) => r.id === id);
                if (o) set({ members: [...form.members, { interconnectId: o.id, name: o.name, carrierName: o.carrierName, status: o.status }] });
              }}
            />
          )}
        </div>
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
