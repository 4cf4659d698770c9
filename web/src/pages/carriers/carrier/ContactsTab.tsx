import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { Contact as ContactIcon, Pencil, Plus, Trash2 } from "lucide-react";
import { Badge, Button, Checkbox, ConfirmDialog, DataTable, Dialog, EmptyState, Field, IconButton, Input, toast } from "../../../components";
import { api, fieldErrors } from "../../../lib/api";
import { CONTACT_ROLES, type Carrier, type Contact } from "../types";
import { CONTACT_ROLE_LABEL, label } from "./labels";
import { keys, useContacts } from "./queries";
import { useClientTable } from "./useClientTable";
import { FormError } from "./ui";

const matches = (c: Contact, q: string) => [c.name, c.email ?? "", c.phone ?? "", ...c.roles].some((s) => s.toLowerCase().includes(q));

/** Tab 3: the carrier's contacts (billing, NOC, rates…), who credit alerts go to. */
export function ContactsTab({ carrier, canWrite, adding, setAdding }: { carrier: Carrier; canWrite: boolean; adding: boolean; setAdding: (v: boolean) => void }) {
  const contacts = useContacts(carrier.id);
  const qc = useQueryClient();
  const t = useClientTable(contacts.data?.rows, matches);
  const [editing, setEditing] = useState<Contact | null>(null);
  const [deleting, setDeleting] = useState<Contact | null>(null);

  const columns = useMemo<ColumnDef<Contact>[]>(
    () => [
      { id: "name", header: "Name", enableHiding: false, meta: { className: "max-w-56 truncate font-medium text-fg", skeleton: "w-32" }, cell: ({ row }) => <span title={row.original.name}>{row.original.name}</span> },
      {
        id: "roles",
        header: "Role(s)",
        cell: ({ row }) => (
          <span className="flex flex-wrap gap-1">
            {row.original.roles.map((r) => (
              <Badge key={r} tone={r === "billing" ? "accent" : r === "noc" || r === "technical" ? "info" : "neutral"}>
                {label(CONTACT_ROLE_LABEL, r)}
              </Badge>
            ))}
          </span>
        ),
      },
      {
        id: "email",
        header: "Email",
        meta: { className: "max-w-72 truncate", skeleton: "w-44" },
        cell: ({ row }) =>
          row.original.email ? (
            <a href={`mailto:${row.original.email}`} onClick={(e) => e.stopPropagation()} className="text-accent-text hover:underline" title={row.original.email}>
              {row.original.email}
            </a>
          ) : (
            <span className="text-fg-subtle">—</span>
          ),
      },
      { id: "phone", header: "Phone", meta: { className: "font-mono text-xs" }, cell: ({ row }) => row.original.phone ?? <span className="text-fg-subtle">—</span> },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableHiding: false,
        meta: { className: "w-16 text-right", headerClassName: "w-16" },
        cell: ({ row }) =>
          canWrite ? (
            <div className="flex justify-end gap-0.5" onClick={(e) => e.stopPropagation()}>
              <IconButton size="xs" label={`Edit ${row.original.name}`} icon={<Pencil className="size-3.5" />} onClick={() => setEditing(row.original)} tooltip={false} />
              <IconButton size="xs" label={`Delete ${row.original.name}`} icon={<Trash2 className="size-3.5" />} onClick={() => setDeleting(row.original)} tooltip={false} className="hover:text-red-600 dark:hover:text-red-400" />
            </div>
          ) : null,
      },
    ],
    [canWrite],
  );

  return (
    <>
      <DataTable
        aria-label="Contacts"
        tableId="carrier-contacts"
        className="min-h-80"
        columns={columns}
        rows={t.rows}
        total={t.total}
        getRowId={(c) => c.id}
        page={t.page}
        pageSize={t.pageSize}
        onPageChange={t.setPage}
        onPageSizeChange={t.setPageSize}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Search contacts…", autoFocus: false }}
        hasFilters={t.hasFilters}
        onClearFilters={t.clear}
        toolbarEnd={
          canWrite && (
            <Button size="sm" variant="primary" icon={<Plus className="size-3.5" />} onClick={() => setAdding(true)}>
              Add Contact
            </Button>
          )
        }
        onRefresh={() => contacts.refetch()}
        isFetching={contacts.isFetching}
        isLoading={contacts.isLoading}
        error={contacts.error}
        onRowClick={canWrite ? setEditing : undefined}
        emptyState={<EmptyState compact icon={<ContactIcon />} title="No contacts yet" description="Add the carrier's billing, NOC and rates contacts; credit alerts are sent to them." />}
      />
      <ContactDialog open={adding || editing !== null} contact={editing} carrier={carrier} onClose={() => (editing ? setEditing(null) : setAdding(false))} />
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        tone="danger"
        title={`Delete ${deleting?.name ?? "contact"}?`}
        message="The contact is removed from this carrier. A contact who still receives a credit alert cannot be deleted."
        confirmLabel="Delete contact"
        onConfirm={async () => {
          if (!deleting) return;
          await api.del(`/carriers/${carrier.id}/contacts/${deleting.id}`);
          await qc.invalidateQueries({ queryKey: keys.contacts(carrier.id) });
          toast.success(`Deleted ${deleting.name}`);
        }}
      />
    </>
  );
}

interface Form {
  name: string;
  roles: Contact["roles"];
  email: string;
  phone: string;
}
const fromContact = (c: Contact | null): Form => ({ name: c?.name ?? "", roles: c?.roles ?? [], email: c?.email ?? "", phone: c?.phone ?? "" });

export function ContactDialog({ open, onClose, contact, carrier }: { open: boolean; onClose: () => void; contact: Contact | null; carrier: Carrier }) {
  const qc = useQueryClient();
  const [form, setForm] = useState<Form>(() => fromContact(contact));
  const [local, setLocal] = useState<Partial<Record<keyof Form, string>>>({});
  const editing = contact !== null;

  const save = useMutation({
    mutationFn: () => {
      const body = { name: form.name.trim(), roles: form.roles, email: form.email.trim() || null, phone: form.phone.trim() || null };
      if (!contact) return api.post<Contact>(`/carriers/${carrier.id}/contacts`, body);
      const patch: Record<string, unknown> = {};
      if (body.name !== contact.name) patch.name = body.name;
      if (body.roles.join() !== contact.roles.join()) patch.roles = body.roles;
      if (body.email !== contact.email) patch.email = body.email;
      if (body.phone !== contact.phone) patch.phone = body.phone;
      if (Object.keys(patch).length === 0) return Promise.resolve(contact);
      // Whole body on purpose: the server's PATCH resets omitted email/phone to null.
      return api.patch<Contact>(`/carriers/${carrier.id}/contacts/${contact.id}`, body);
    },
    onSuccess: (saved) => {
      void qc.invalidateQueries({ queryKey: keys.contacts(carrier.id) });
      toast.success(editing ? `Saved ${saved.name}` : `Added contact ${saved.name}`);
      onClose();
    },
  });

  const { reset } = save;
  useEffect(() => {
    if (open) {
      setForm(fromContact(contact));
      setLocal({});
      reset();
    }
  }, [open, contact?.id, reset]);

  const server = fieldErrors(save.error);
  const err = (k: keyof Form) => local[k] ?? server[k];
  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setLocal((l) => ({ ...l, [k]: undefined }));
  };
  const toggleRole = (r: Contact["roles"][number], on: boolean) => set("roles", on ? CONTACT_ROLES.filter((x) => x === r || form.roles.includes(x)) : form.roles.filter((x) => x !== r));

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const errs: typeof local = {};
    if (!form.name.trim()) errs.name = "Enter a name";
    if (form.roles.length === 0) errs.roles = "Pick at least one role";
    if (form.email.trim() && !/^\S+@\S+\.\S+$/.test(form.email.trim())) errs.email = "Enter a valid email address";
    if (form.phone.trim() && !/^\+?[0-9 ()-]{4,30}$/.test(form.phone.trim())) errs.phone = "Digits, spaces, ( ) and -, optionally after +";
    setLocal(errs);
    if (Object.keys(errs).length === 0) save.mutate();
  };
  const general = save.error && !Object.keys(server).some((k) => k in form) ? save.error : null;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!save.isPending}
      title={editing ? `Edit ${contact.name}` : "Add Contact"}
      description={carrier.name}
      footer={
        <>
          <Button onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="contact-form" loading={save.isPending}>
            {editing ? "Save changes" : "Add contact"}
          </Button>
        </>
      }
    >
      <form id="contact-form" onSubmit={submit} noValidate className="grid grid-cols-1 gap-3.5 sm:grid-cols-2">
        <Field label="Name" required error={err("name")} className="sm:col-span-2">
          <Input value={form.name} onChange={(e) => set("name", e.target.value)} maxLength={120} autoComplete="off" />
        </Field>
        <div className="flex flex-col gap-1.5 sm:col-span-2" role="group" aria-labelledby="contact-roles-label">
          <span id="contact-roles-label" className="text-xs font-medium text-fg">
            Roles <span className="text-red-600 dark:text-red-400" aria-hidden>*</span>
          </span>
          <div className="grid grid-cols-2 gap-x-4 gap-y-1.5 sm:grid-cols-3">
            {CONTACT_ROLES.map((r) => (
              <Checkbox key={r} label={CONTACT_ROLE_LABEL[r]} checked={form.roles.includes(r)} onChange={(e) => toggleRole(r, e.target.checked)} />
            ))}
          </div>
          {err("roles") && <p className="text-xs text-red-600 dark:text-red-400">{[err("roles")].flat().join("; ")}</p>}
        </div>
        <Field label="Email" error={err("email")}>
          <Input type="email" value={form.email} onChange={(e) => set("email", e.target.value)} autoComplete="off" placeholder="noc@carrier.example" />
        </Field>
        <Field label="Phone" error={err("phone")}>
          <Input type="tel" value={form.phone} onChange={(e) => set("phone", e.target.value)} autoComplete="off" placeholder="+44 20 7946 0000" className="font-mono" />
        </Field>
        {general && (
          <div className="sm:col-span-2">
            <FormError error={general} />
          </div>
        )}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
