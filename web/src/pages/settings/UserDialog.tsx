import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Eye, EyeOff, Wand2 } from "lucide-react";
import { Badge, Button, Checkbox, Dialog, Field, Input, Select, toast } from "../../components";
import { ApiError, api, fieldErrors } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { formatFull, formatRelative, roleLabel, shortId } from "../../lib/format";
import { ROLES, type Page as ListPage, type Role, type User } from "../../lib/types";

/** The few carrier fields the user form needs (GET /api/carriers). */
interface CarrierOption {
  id: string;
  name: string;
  type: string;
  status: string;
}

interface Props {
  open: boolean;
  onClose: () => void;
  /** null = create a new user. */
  user: User | null;
  readOnly?: boolean;
}

const ASSIGNABLE = ROLES.filter((r) => r !== "super_admin");
const PORTAL: Role[] = ["customer", "carrier"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function generatePassword(): string {
  const chars = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_!";
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return Array.from(bytes, (b) => chars[b % chars.length]).join("");
}

interface FormState {
  name: string;
  email: string;
  role: Role;
  password: string;
  carrierId: string;
  isActive: boolean;
}

const fromUser = (u: User | null): FormState => ({
  name: u?.name ?? "",
  email: u?.email ?? "",
  role: u?.role ?? "readonly",
  password: "",
  carrierId: u?.carrierId ?? "",
  isActive: u?.isActive ?? true,
});

export function UserDialog({ open, onClose, user, readOnly }: Props) {
  const qc = useQueryClient();
  const can = useCan();
  const [form, setForm] = useState<FormState>(() => fromUser(user));
  const [local, setLocal] = useState<Partial<Record<keyof FormState, string>>>({});
  const [showPassword, setShowPassword] = useState(false);
  const editing = user !== null;


  const save = useMutation({
    mutationFn: async () => {
      const carrierId = PORTAL.includes(form.role) ? form.carrierId.trim() || null : null;
      if (!editing) {
        return api.post<User>("/users", { name: form.name.trim(), email: form.email.trim(), role: form.role, password: form.password, isActive: form.isActive, ...(carrierId ? { carrierId } : {}) });
      }
      const patch: Record<string, unknown> = {};
      if (form.name.trim() !== user.name) patch.name = form.name.trim();
      if (form.email.trim().toLowerCase() !== user.email.toLowerCase()) patch.email = form.email.trim();
      if (form.role !== user.role) patch.role = form.role;
      if (form.isActive !== user.isActive) patch.isActive = form.isActive;
      if (form.password) patch.password = form.password;
      if ((carrierId ?? null) !== (user.carrierId ?? null)) patch.carrierId = carrierId;
      if (Object.keys(patch).length === 0) return user;
      return api.patch<User>(`/users/${user.id}`, patch);
    },
    onSuccess: (saved) => {
      void qc.invalidateQueries({ queryKey: ["users"] });
      toast.success(editing ? `Saved ${saved.name}` : `Added ${saved.name}`, {
        description: editing && (form.password || form.role !== user?.role || (user?.isActive && !form.isActive)) ? "Their existing sessions were signed out." : undefined,
      });
      onClose();
    },
  });

  const { reset } = save;
  useEffect(() => {
    if (open) {
      setForm(fromUser(user));
      setLocal({});
      setShowPassword(false);
      reset();
    }
    // Only a newly opened dialog or another user restarts the form (not a refetch).
  }, [open, user?.id, reset]);

  const portal = PORTAL.includes(form.role);
  const canListCarriers = can("carriers:read");
  const carriers = useQuery({
    queryKey: ["carriers", "options"],
    queryFn: () => api.get<ListPage<CarrierOption>>("/carriers", { page: 1, pageSize: 500, sort: "name:asc" }),
    enabled: open && portal && canListCarriers,
    staleTime: 60_000,
  });

  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setForm((f) => ({ ...f, [k]: v }));
  const server = fieldErrors(save.error);
  const err = (k: keyof FormState) => local[k] ?? server[k];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (readOnly) return;
    const errs: typeof local = {};
    if (!form.name.trim()) errs.name = "Enter a name";
    if (!/^\S+@\S+\.\S+$/.test(form.email.trim())) errs.email = "Enter a valid email address";
    if (!editing && form.password.length < 10) errs.password = "At least 10 characters";
    if (editing && form.password && form.password.length < 10) errs.password = "At least 10 characters";
    if (PORTAL.includes(form.role) && !form.carrierId.trim()) errs.carrierId = "Choose the carrier this portal user belongs to";
    else if (PORTAL.includes(form.role) && !UUID.test(form.carrierId.trim())) errs.carrierId = "Must be a carrier id (UUID)";
    setLocal(errs);
    if (Object.keys(errs).length === 0) save.mutate();
  };

  // Errors not tied to a field of this form are shown under it.
  const general = save.error && !Object.keys(server).some((k) => k in form) ? save.error : null;
  const roleOptions = (user?.role === "super_admin" ? ROLES : ASSIGNABLE).map((r) => ({ value: r, label: roleLabel(r) }));

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!save.isPending}
      title={readOnly ? (user?.name ?? "User") : editing ? `Edit ${user.name}` : "Add user"}
      description={editing ? user.email : "They sign in with this email and password."}
      footerStart={
        editing ? (
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span className="font-mono" title={user.id}>
              {shortId("usr", user.id)}
            </span>
            <span title={formatFull(user.createdAt)}>Created {formatRelative(user.createdAt)}</span>
            <span title={formatFull(user.lastLoginAt)}>{user.lastLoginAt ? `Last sign-in ${formatRelative(user.lastLoginAt)}` : "Never signed in"}</span>
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
            <Button variant="primary" type="submit" form="user-form" loading={save.isPending}>
              {editing ? "Save changes" : "Add user"}
            </Button>
          </>
        )
      }
    >
      <form id="user-form" onSubmit={submit} noValidate className="grid grid-cols-1 gap-3.5 sm:grid-cols-2">
        <Field label="Name" error={err("name")} required className="sm:col-span-1">
          <Input value={form.name} onChange={(e) => set("name", e.target.value)} disabled={readOnly} autoComplete="off" maxLength={120} />
        </Field>
        <Field label="Email" error={err("email")} required>
          <Input type="email" value={form.email} onChange={(e) => set("email", e.target.value)} disabled={readOnly} autoComplete="off" />
        </Field>
        <Field label="Role" error={server.role} hint={PORTAL.includes(form.role) ? "Portal user: sees only the customer portal." : "Staff user: signs in to this console."}>
          <Select value={form.role} onChange={(e) => set("role", e.target.value as Role)} disabled={readOnly || user?.role === "super_admin"} options={roleOptions} />
        </Field>
        <Field
          label={editing ? "New password" : "Password"}
          required={!editing}
          error={err("password")}
          hint={editing ? "Leave blank to keep the current password." : "At least 10 characters."}
          aside={
            !readOnly && (
              <button
                type="button"
                className="inline-flex items-center gap-1 text-xs font-medium text-accent-text hover:underline"
                onClick={() => {
                  set("password", generatePassword());
                  setShowPassword(true);
                }}
              >
                <Wand2 className="size-3" aria-hidden /> Generate
              </button>
            )
          }
        >
          <Input
            type={showPassword ? "text" : "password"}
            value={form.password}
            onChange={(e) => set("password", e.target.value)}
            disabled={readOnly}
            autoComplete="new-password"
            className="font-mono"
            trailing={
              <button type="button" onClick={() => setShowPassword((s) => !s)} aria-label={showPassword ? "Hide characters" : "Reveal characters"} title={showPassword ? "Hide" : "Reveal"} className="rounded p-0.5 text-fg-subtle hover:text-fg">
                {showPassword ? <EyeOff className="size-3.5" /> : <Eye className="size-3.5" />}
              </button>
            }
          />
        </Field>
        {portal && (
          <Field label="Carrier" required error={err("carrierId")} hint="The carrier account this portal user sees." className="sm:col-span-2">
            {canListCarriers ? (
              <Select
                value={form.carrierId}
                onChange={(e) => set("carrierId", e.target.value)}
                disabled={readOnly || carriers.isLoading}
                placeholder={carriers.isLoading ? "Loading carriers…" : carriers.error ? "Could not load carriers" : carriers.data?.rows.length === 0 ? "No carriers yet" : "Choose a carrier…"}
                options={[
                  ...(carriers.data?.rows ?? []).map((c) => ({ value: c.id, label: `${c.name} · ${c.type}${c.status !== "active" ? ` (${c.status})` : ""}` })),
                  ...(form.carrierId && !carriers.data?.rows.some((c) => c.id === form.carrierId) ? [{ value: form.carrierId, label: shortId("car", form.carrierId) }] : []),
                ]}
              />
            ) : (
              <Input value={form.carrierId} onChange={(e) => set("carrierId", e.target.value)} disabled={readOnly} placeholder="Carrier id (UUID)" className="font-mono" />
            )}
          </Field>
        )}
        <div className="sm:col-span-2">
          <Checkbox
            label="Active"
            description={form.isActive ? "Can sign in." : "Cannot sign in; existing sessions end when saved."}
            checked={form.isActive}
            onChange={(e) => set("isActive", e.target.checked)}
            disabled={readOnly}
          />
        </div>
        {editing && user.role !== form.role && (
          <div className="sm:col-span-2">
            <Badge tone="warning">Changing the role signs {user.name} out of every session.</Badge>
          </div>
        )}
        {general && (
          <p role="alert" className="rounded-md border border-red-500/25 bg-red-50 px-3 py-2 text-sm text-red-700 sm:col-span-2 dark:bg-red-500/10 dark:text-red-300">
            {general.message}
            {general instanceof ApiError && <span className="ml-1 font-mono text-2xs opacity-75">({general.code})</span>}
          </p>
        )}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
