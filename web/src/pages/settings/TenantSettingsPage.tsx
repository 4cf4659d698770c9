import { useEffect, useMemo, useRef, useState, type CSSProperties } from "react";
import { useBlocker, useSearchParams } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import { Bell, Check, ImageUp, LayoutDashboard, Search, Trash2, TriangleAlert, Users } from "lucide-react";
import { ActionDock, Badge, Button, Card, CardBody, CardHeader, ConfirmDialog, DropdownMenu, ErrorState, Field, Input, Page, PageHeader, Select, SkeletonText, toast } from "../../components";
import { ApiError, api, fieldErrors } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { DEFAULT_ACCENT, isHexColor, readableOn } from "../../lib/color";
import { formatBytes, formatFull } from "../../lib/format";
import { useNow } from "../../lib/hooks";
import type { Tenant } from "../../lib/types";
import { BrandMark } from "../../layout/BrandMark";

type Draft = Pick<Tenant, "name" | "brandName" | "logoDataUrl" | "accentColor" | "timeZone"> & { retentionDays: string };
type Key = keyof Draft;

const BRANDING: Key[] = ["name", "brandName", "logoDataUrl", "accentColor"];
const MAX_LOGO = 256 * 1024;
const LOGO_TYPES = ["image/png", "image/jpeg", "image/svg+xml", "image/webp"];
const SWATCHES = [
  { hex: "#2563EB", name: "DIDTron Blue" },
  { hex: "#4F46E5", name: "Indigo" },
  { hex: "#7C3AED", name: "Violet" },
  { hex: "#0891B2", name: "Cyan" },
  { hex: "#0D9488", name: "Teal" },
  { hex: "#059669", name: "Emerald" },
  { hex: "#EA580C", name: "Orange" },
  { hex: "#E11D48", name: "Rose" },
  { hex: "#475569", name: "Slate" },
];

const toDraft = (t: Tenant): Draft => ({
  name: t.name,
  brandName: t.brandName,
  logoDataUrl: t.logoDataUrl,
  accentColor: t.accentColor.toUpperCase(),
  timeZone: t.timeZone,
  retentionDays: String(t.retentionDays),
});

function timeZones(current: string): string[] {
  const all = new Set<string>(Intl.supportedValuesOf("timeZone"));
  all.add("UTC");
  all.add(current);
  return [...all].sort((a, b) => (a === "UTC" ? -1 : b === "UTC" ? 1 : a.localeCompare(b)));
}

export default function TenantSettingsPage() {
  const can = useCan();
  const canWrite = can("tenant:write");
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") === "general" ? "general" : "branding";
  const setTab = (id: string) => setParams(id === "general" ? { tab: "general" } : {}, { replace: true });

  const tenant = useQuery({ queryKey: ["tenant"], queryFn: () => api.get<Tenant>("/tenant") });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [local, setLocal] = useState<Partial<Record<Key, string>>>({});

  // (Re)start the form from the server copy when a new version of it arrives
  // (first load, after a save), not on every background refetch.
  const [loadedVersion, setLoadedVersion] = useState<string | null>(null);
  if (tenant.data && tenant.data.updatedAt !== loadedVersion) {
    setLoadedVersion(tenant.data.updatedAt);
    setDraft(toDraft(tenant.data));
    setLocal({});
  }

  const original = tenant.data ? toDraft(tenant.data) : null;
  const changed = useMemo(() => {
    if (!draft || !original) return [] as Key[];
    return (Object.keys(draft) as Key[]).filter((k) => draft[k] !== original[k]);
  }, [draft, original]);
  const dirty = changed.length > 0;

  const save = useMutation({
    mutationFn: () => {
      const body: Record<string, unknown> = {};
      for (const k of changed) body[k] = k === "retentionDays" ? Number(draft![k]) : draft![k];
      return api.patch<Tenant>("/tenant", body);
    },
    onSuccess: async (t) => {
      qc.setQueryData(["tenant"], t);
      await qc.invalidateQueries({ queryKey: ["me"] });
      toast.success("Tenant settings saved", { description: changed.some((k) => BRANDING.includes(k)) ? "The new branding is live for everyone in this tenant." : undefined });
    },
    onError: (e) => {
      const f = fieldErrors(e);
      const keys = Object.keys(f);
      if (keys.length && keys.every((k) => !BRANDING.includes(k as Key)) && tab === "branding") setTab("general");
      else if (keys.length && keys.every((k) => BRANDING.includes(k as Key)) && tab === "general") setTab("branding");
      if (!keys.length) toast.error(e);
    },
  });

  const server = fieldErrors(save.error);
  const err = (k: Key) => local[k] ?? server[k];
  const set = <K extends Key>(k: K, v: Draft[K]) => {
    setDraft((d) => (d ? { ...d, [k]: v } : d));
    setLocal((l) => ({ ...l, [k]: undefined }));
  };

  const validate = (): boolean => {
    if (!draft) return false;
    const e: Partial<Record<Key, string>> = {};
    if (!draft.name.trim()) e.name = "Enter the company name";
    if (!draft.brandName.trim()) e.brandName = "Enter the brand name shown in the header";
    if (!isHexColor(draft.accentColor)) e.accentColor = "Use a hex colour such as #2563EB";
    const days = Number(draft.retentionDays);
    if (!Number.isInteger(days) || days < 1 || days > 3650) e.retentionDays = "A whole number of days from 1 to 3650";
    setLocal(e);
    const bad = Object.keys(e) as Key[];
    if (bad.length && bad.every((k) => !BRANDING.includes(k))) setTab("general");
    else if (bad.length && bad.every((k) => BRANDING.includes(k))) setTab("branding");
    return bad.length === 0;
  };

  const discard = () => {
    if (tenant.data) setDraft(toDraft(tenant.data));
    setLocal({});
    save.reset();
  };

  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);

  const header = (
    <PageHeader
      title="Tenant Settings"
      meta={tenant.data ? <Badge mono tone="neutral">{tenant.data.slug}</Badge> : undefined}
      tabs={{
        value: tab,
        onChange: setTab,
        items: [
          { id: "branding", label: "Branding" },
          { id: "general", label: "General" },
        ],
      }}
      actions={
        <DropdownMenu
          items={[
            { label: "Discard changes", disabled: !dirty, onSelect: discard },
            { label: "Reset accent to DIDTron Blue", hidden: !canWrite, disabled: !draft || draft.accentColor === DEFAULT_ACCENT, onSelect: () => set("accentColor", DEFAULT_ACCENT) },
            { type: "separator" },
            { label: "View settings history", to: "/system/audit?entityType=tenant", hidden: !can("audit:read") },
          ]}
        />
      }
    />
  );

  if (tenant.isLoading || (!draft && !tenant.error)) {
    return (
      <Page header={header}>
        <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_340px]">
          <Card>
            <CardBody>
              <SkeletonText lines={8} />
            </CardBody>
          </Card>
          <Card>
            <CardBody>
              <SkeletonText lines={5} />
            </CardBody>
          </Card>
        </div>
      </Page>
    );
  }
  if (tenant.error || !draft || !tenant.data) {
    return (
      <Page header={header}>
        <Card>
          <ErrorState error={tenant.error} onRetry={() => void tenant.refetch()} retrying={tenant.isFetching} />
        </Card>
      </Page>
    );
  }

  return (
    <Page
      header={header}
      dock={
        <ActionDock
          start={
            !canWrite ? (
              <span className="text-xs">Read-only: your role cannot change tenant settings.</span>
            ) : dirty ? (
              <span className="flex items-center gap-2">
                <span className="size-2 rounded-full bg-amber-500" aria-hidden />
                <span className="text-fg">Unsaved changes</span>
                <span className="hidden text-xs text-fg-subtle md:inline">({changed.map(labelOf).join(", ")})</span>
              </span>
            ) : (
              <span className="flex items-center gap-1.5 text-xs" title={formatFull(tenant.data.updatedAt)}>
                <Check className="size-3.5 text-emerald-600 dark:text-emerald-400" aria-hidden /> All changes saved
              </span>
            )
          }
        >
          {canWrite && (
            <>
              <Button onClick={discard} disabled={!dirty || save.isPending}>
                Cancel
              </Button>
              <Button
                variant="primary"
                disabled={!dirty}
                loading={save.isPending}
                onClick={() => {
                  if (validate()) save.mutate();
                }}
              >
                Save changes
              </Button>
            </>
          )}
        </ActionDock>
      }
    >
      {save.error instanceof ApiError && Object.keys(server).length === 0 && (
        <div role="alert" className="mb-4 rounded-md border border-red-500/25 bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-500/10 dark:text-red-300">
          {save.error.message} <span className="font-mono text-2xs opacity-75">({save.error.code})</span>
        </div>
      )}
      {tab === "branding" ? (
        <BrandingTab draft={draft} set={set} err={err} disabled={!canWrite} />
      ) : (
        <GeneralTab draft={draft} set={set} err={err} disabled={!canWrite} tenant={tenant.data} />
      )}
      <ConfirmDialog
        open={blocker.state === "blocked"}
        onClose={() => blocker.reset?.()}
        title="Discard unsaved changes?"
        message="You changed tenant settings without saving them."
        confirmLabel="Discard and leave"
        cancelLabel="Keep editing"
        tone="danger"
        onConfirm={() => blocker.proceed?.()}
      />
    </Page>
  );
}

const LABELS: Record<Key, string> = { name: "name", brandName: "brand name", logoDataUrl: "logo", accentColor: "accent colour", timeZone: "time zone", retentionDays: "retention" };
const labelOf = (k: Key) => LABELS[k];

interface TabProps {
  draft: Draft;
  set: <K extends Key>(k: K, v: Draft[K]) => void;
  err: (k: Key) => string | string[] | undefined;
  disabled: boolean;
}

function BrandingTab({ draft, set, err, disabled }: TabProps) {
  const fileRef = useRef<HTMLInputElement>(null);
  const [logoError, setLogoError] = useState<string | null>(null);
  const [logoInfo, setLogoInfo] = useState<string | null>(null);
  const [hexText, setHexText] = useState(draft.accentColor);
  useEffect(() => setHexText(draft.accentColor), [draft.accentColor]);

  const pickFile = (file: File | undefined) => {
    setLogoError(null);
    if (!file) return;
    if (!LOGO_TYPES.includes(file.type)) {
      setLogoError("Use a PNG, JPEG, SVG or WebP image.");
      return;
    }
    if (file.size > MAX_LOGO) {
      setLogoError(`That file is ${formatBytes(file.size)}; the limit is 256 KiB.`);
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      if (typeof reader.result === "string") {
        set("logoDataUrl", reader.result);
        setLogoInfo(`${file.name} · ${formatBytes(file.size)}`);
      }
    };
    reader.onerror = () => setLogoError("Could not read that file.");
    reader.readAsDataURL(file);
  };

  const lowContrast = isHexColor(draft.accentColor) && readableOn(draft.accentColor) !== "#ffffff";
  const logoErr = logoError ?? err("logoDataUrl");

  return (
    <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_360px]">
      <div className="flex min-w-0 flex-col gap-4">
        <Card>
          <CardHeader title="Identity" description="How this tenant is named in the console, e-mails and documents." />
          <CardBody className="grid gap-4 sm:grid-cols-2">
            <Field label="Company name" error={err("name")} hint="Legal or trading name of the tenant." required>
              <Input value={draft.name} onChange={(e) => set("name", e.target.value)} disabled={disabled} maxLength={120} autoFocus={!disabled} />
            </Field>
            <Field label="Brand name" error={err("brandName")} hint="Shown in the header next to the logo." required>
              <Input value={draft.brandName} onChange={(e) => set("brandName", e.target.value)} disabled={disabled} maxLength={60} />
            </Field>
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Logo" description="Square works best. PNG, JPEG, SVG or WebP, up to 256 KiB." />
          <CardBody>
            <div className="flex flex-wrap items-center gap-4">
              <div
                className={clsx(
                  "flex size-20 shrink-0 items-center justify-center rounded-lg border border-dashed bg-surface-2",
                  logoErr ? "border-red-500/60" : "border-line-strong",
                  !disabled && "cursor-pointer hover:border-accent",
                )}
                onClick={() => !disabled && fileRef.current?.click()}
                onDragOver={(e) => e.preventDefault()}
                onDrop={(e) => {
                  e.preventDefault();
                  if (!disabled) pickFile(e.dataTransfer.files[0]);
                }}
              >
                {draft.logoDataUrl ? <img src={draft.logoDataUrl} alt="Logo preview" className="size-16 object-contain" /> : <ImageUp className="size-6 text-fg-subtle" aria-hidden />}
              </div>
              <div className="flex min-w-0 flex-col gap-2">
                <div className="flex flex-wrap gap-2">
                  <Button size="sm" icon={<ImageUp className="size-3.5" />} onClick={() => fileRef.current?.click()} disabled={disabled}>
                    {draft.logoDataUrl ? "Replace logo…" : "Upload logo…"}
                  </Button>
                  {draft.logoDataUrl && (
                    <Button size="sm" variant="ghost" icon={<Trash2 className="size-3.5" />} onClick={() => set("logoDataUrl", null)} disabled={disabled}>
                      Remove
                    </Button>
                  )}
                </div>
                <p className={clsx("text-xs", logoErr ? "text-red-600 dark:text-red-400" : "text-fg-subtle")}>
                  {logoErr ? (Array.isArray(logoErr) ? logoErr.join("; ") : logoErr) : (logoInfo ?? (draft.logoDataUrl ? "Current logo" : "No logo: an initial badge in the accent colour is shown."))}
                </p>
              </div>
              <input
                ref={fileRef}
                type="file"
                accept={LOGO_TYPES.join(",")}
                className="hidden"
                aria-label="Logo file"
                onChange={(e) => {
                  pickFile(e.target.files?.[0]);
                  e.target.value = "";
                }}
              />
            </div>
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Accent colour" description="Buttons, links, focus rings and highlights use it. DIDTron Blue is the default." />
          <CardBody className="flex flex-col gap-4">
            <div className="flex flex-wrap items-end gap-3">
              <Field label="Colour" error={err("accentColor")} className="w-44">
                <Input
                  value={hexText}
                  disabled={disabled}
                  className="font-mono uppercase"
                  maxLength={7}
                  onChange={(e) => {
                    const v = e.target.value.startsWith("#") ? e.target.value : `#${e.target.value}`;
                    setHexText(v.toUpperCase());
                    if (isHexColor(v)) set("accentColor", v.toUpperCase());
                  }}
                  onBlur={() => setHexText(draft.accentColor)}
                  trailing={
                    <input
                      type="color"
                      aria-label="Pick accent colour"
                      disabled={disabled}
                      value={isHexColor(draft.accentColor) ? draft.accentColor.toLowerCase() : "#2563eb"}
                      onChange={(e) => set("accentColor", e.target.value.toUpperCase())}
                      className="size-5 cursor-pointer rounded border-0 bg-transparent p-0 [&::-webkit-color-swatch]:rounded [&::-webkit-color-swatch]:border-0 [&::-webkit-color-swatch-wrapper]:p-0"
                    />
                  }
                />
              </Field>
              <div className="flex flex-wrap gap-1.5 pb-1" role="group" aria-label="Preset colours">
                {SWATCHES.map((s) => {
                  const active = draft.accentColor.toUpperCase() === s.hex;
                  return (
                    <button
                      key={s.hex}
                      type="button"
                      disabled={disabled}
                      title={`${s.name} ${s.hex}`}
                      aria-label={`${s.name} ${s.hex}`}
                      aria-pressed={active}
                      onClick={() => set("accentColor", s.hex)}
                      style={{ background: s.hex }}
                      className={clsx("flex size-6 items-center justify-center rounded-md ring-offset-2 ring-offset-surface transition-transform hover:scale-110 disabled:opacity-50", active && "ring-2 ring-fg/40")}
                    >
                      {active && <Check className="size-3.5" style={{ color: readableOn(s.hex) }} aria-hidden />}
                    </button>
                  );
                })}
              </div>
            </div>
            {lowContrast && (
              <p className="flex items-center gap-1.5 text-xs text-amber-700 dark:text-amber-300">
                <TriangleAlert className="size-3.5" aria-hidden /> This colour is light: buttons will use dark text on it for contrast.
              </p>
            )}
          </CardBody>
        </Card>
      </div>

      <div className="lg:sticky lg:top-0">
        <BrandPreview draft={draft} />
      </div>
    </div>
  );
}

/** Live preview of the header and controls with the draft branding. */
function BrandPreview({ draft }: { draft: Draft }) {
  const accent = isHexColor(draft.accentColor) ? draft.accentColor : DEFAULT_ACCENT;
  const style = { "--accent": accent, "--accent-fg": readableOn(accent) } as CSSProperties;
  return (
    <Card className="overflow-hidden">
      <CardHeader title="Live preview" description="Updates as you edit; nobody else sees it until you save." />
      <div style={style} className="accent-scope bg-canvas p-4">
        <div className="overflow-hidden rounded-lg border border-line bg-surface shadow-xs">
          <div className="flex h-10 items-center gap-2 border-b border-line px-3">
            <BrandMark name={draft.brandName || "?"} logoDataUrl={draft.logoDataUrl} size={22} />
            <span className="min-w-0 flex-1 truncate text-xs font-semibold">{draft.brandName || "Brand name"}</span>
            <span className="flex h-6 w-24 items-center gap-1 rounded border border-line bg-surface-2 px-1.5 text-[10px] text-fg-subtle">
              <Search className="size-3" aria-hidden /> Find…
            </span>
            <Bell className="size-3.5 text-fg-subtle" aria-hidden />
          </div>
          <div className="flex">
            <div className="flex w-9 flex-col items-center gap-1.5 bg-rail py-2">
              <span className="flex size-6 items-center justify-center rounded bg-white/10 text-white">
                <LayoutDashboard className="size-3.5" aria-hidden />
              </span>
              <span className="flex size-6 items-center justify-center rounded text-slate-400">
                <Users className="size-3.5" aria-hidden />
              </span>
            </div>
            <div className="flex min-w-0 flex-1 flex-col gap-2.5 p-3">
              <div className="flex h-6 items-center gap-2 rounded-md bg-accent-soft px-2 text-[11px] font-medium text-accent-text">
                <Users className="size-3" aria-hidden /> Users & Roles
              </div>
              <div className="flex flex-wrap items-center gap-2">
                <span className="inline-flex h-6 items-center rounded-md bg-accent px-2.5 text-[11px] font-medium text-accent-fg">Save changes</span>
                <span className="inline-flex h-6 items-center rounded-md border border-line bg-surface px-2.5 text-[11px] font-medium">Cancel</span>
                <Badge tone="accent">Admin</Badge>
              </div>
              <p className="text-[11px] text-fg-muted">
                A <span className="font-medium text-accent-text underline underline-offset-2">link</span> and a focused field:
              </p>
              <span className="h-6 rounded-md border border-accent bg-surface ring-3 ring-accent/20" aria-hidden />
            </div>
          </div>
        </div>
      </div>
    </Card>
  );
}

function GeneralTab({ draft, set, err, disabled, tenant }: TabProps & { tenant: Tenant }) {
  const zones = useMemo(() => timeZones(draft.timeZone), [draft.timeZone]);
  const now = useNow(30_000);
  let localTime = "";
  try {
    localTime = new Intl.DateTimeFormat("en-GB", { timeZone: draft.timeZone, dateStyle: "medium", timeStyle: "short" }).format(now);
  } catch {
    localTime = "";
  }
  const days = Number(draft.retentionDays);
  return (
    <div className="grid items-start gap-4 lg:grid-cols-2">
      <Card>
        <CardHeader title="Regional" description="Times across the console, reports and invoices use this zone." />
        <CardBody className="flex flex-col gap-4">
          <Field label="Time zone" error={err("timeZone")} hint={localTime ? `Now there: ${localTime}` : undefined}>
            <Select value={draft.timeZone} onChange={(e) => set("timeZone", e.target.value)} disabled={disabled} autoFocus={!disabled}>
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z.replaceAll("_", " ")}
                </option>
              ))}
            </Select>
          </Field>
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Recycle bin" description="Deleted records can be restored until they are purged." />
        <CardBody className="flex flex-col gap-4">
          <Field
            label="Keep deleted records for"
            error={err("retentionDays")}
            hint={Number.isInteger(days) && days >= 1 ? `Purged automatically ${days} day${days === 1 ? "" : "s"} after deletion (1–3650).` : "1 to 3650 days."}
          >
            <Input
              type="number"
              inputMode="numeric"
              min={1}
              max={3650}
              step={1}
              value={draft.retentionDays}
              onChange={(e) => set("retentionDays", e.target.value)}
              disabled={disabled}
              trailing="days"
              className="w-40"
            />
          </Field>
        </CardBody>
      </Card>
      <Card className="lg:col-span-2">
        <CardHeader title="Tenant record" description="Read-only identifiers, for support and API use." />
        <CardBody>
          <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2 xl:grid-cols-4">
            {[
              { label: "Tenant ID", value: <span className="font-mono text-xs break-all">{tenant.id}</span> },
              { label: "Slug", value: <span className="font-mono text-xs">{tenant.slug}</span> },
              { label: "Created", value: formatFull(tenant.createdAt) },
              { label: "Last updated", value: formatFull(tenant.updatedAt) },
            ].map((i) => (
              <div key={i.label} className="min-w-0">
                <dt className="text-xs text-fg-muted">{i.label}</dt>
                <dd className="mt-0.5 text-fg">{i.value}</dd>
              </div>
            ))}
          </dl>
        </CardBody>
      </Card>
    </div>
  );
}
