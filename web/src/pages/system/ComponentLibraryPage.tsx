import { useMemo, useState, type ReactNode } from "react";
import type { ColumnDef, RowSelectionState } from "@tanstack/react-table";
import { Download, Mail, Pencil, Plus, Save, Search, Settings, Trash2, Users } from "lucide-react";
import {
  ActionDock,
  Badge,
  Button,
  Card,
  CardBody,
  CardHeader,
  Checkbox,
  ConfirmDialog,
  DataTable,
  DataTableFooter,
  Dialog,
  DropdownMenu,
  EmptyState,
  ErrorState,
  Field,
  IconButton,
  IdCell,
  Input,
  JsonView,
  KeyValue,
  Page,
  PageHeader,
  ProgressBar,
  RefreshButton,
  Select,
  Skeleton,
  SkeletonText,
  StatTile,
  Tabs,
  Textarea,
  TimeCell,
  Tooltip,
  toast,
  type BadgeTone,
} from "../../components";
import { ApiError } from "../../lib/api";

const SECTIONS = [
  { id: "buttons", label: "Buttons" },
  { id: "forms", label: "Form controls" },
  { id: "badges", label: "Badges" },
  { id: "layout", label: "Cards & tabs" },
  { id: "feedback", label: "Feedback" },
  { id: "overlays", label: "Overlays" },
  { id: "display", label: "Display" },
  { id: "table", label: "Data table" },
  { id: "page", label: "Page chrome" },
];

function Section({ id, title, description, children }: { id: string; title: string; description?: string; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="scroll-mt-4">
      <div className="mb-3">
        <h2 id={`${id}-title`} className="text-base font-semibold tracking-tight text-fg">
          {title}
        </h2>
        {description && <p className="mt-0.5 text-sm text-fg-muted">{description}</p>}
      </div>
      {children}
    </section>
  );
}

function Specimen({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div className="min-w-0">
      <p className="mb-2 text-2xs font-semibold tracking-wide text-fg-subtle uppercase">{label}</p>
      <div className={className ?? "flex flex-wrap items-center gap-2"}>{children}</div>
    </div>
  );
}

// ── Fake data, local to this page only, for the DataTable specimens ──
interface Carrier {
  id: string;
  name: string;
  kind: "customer" | "vendor" | "both";
  country: string;
  asr: number;
  balance: number;
  createdAt: string;
}
const NAMES = ["Atlas Telecom", "Borealis Voice", "Cobalt Carrier", "Delta Wholesale", "Equinox Networks", "Fjord Telco", "Granite Voice", "Helios Connect", "Iris Telecom", "Juno Carrier", "Kestrel Voice", "Lumen Routes"];
const COUNTRIES = ["GB", "DE", "US", "NL", "FR", "ES", "IN", "NG", "BR", "SG"];
const FAKE: Carrier[] = Array.from({ length: 57 }, (_, i) => ({
  id: `0190c0de-${String(1000 + i).padStart(4, "0")}-7000-8000-${(0xa1b2c3d4e5f6 + i * 7919).toString(16).padStart(12, "0")}`,
  name: `${NAMES[i % NAMES.length]}${i >= NAMES.length ? ` ${Math.floor(i / NAMES.length) + 1}` : ""}`,
  kind: (["customer", "vendor", "both"] as const)[i % 3]!,
  country: COUNTRIES[(i * 7) % COUNTRIES.length]!,
  asr: 30 + ((i * 37) % 45),
  balance: ((i * 7331) % 20000) - 4000,
  createdAt: new Date(Date.UTC(2026, 0, 1) + i * 3.7 * 86_400_000).toISOString(),
}));
const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

function TableDemo() {
  const [mode, setMode] = useState<"populated" | "loading" | "empty" | "error">("populated");
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(10);
  const [sort, setSort] = useState<string | undefined>("name:asc");
  const [q, setQ] = useState("");
  const [kind, setKind] = useState("");
  const [selection, setSelection] = useState<RowSelectionState>({});

  // Stands in for the server: filter, sort and slice.
  const result = useMemo(() => {
    let rows = FAKE.filter((r) => (!q || r.name.toLowerCase().includes(q.toLowerCase())) && (!kind || r.kind === kind));
    if (sort) {
      const [field, dir] = sort.split(":") as [keyof Carrier, string];
      rows = [...rows].sort((a, b) => (a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : 0) * (dir === "desc" ? -1 : 1));
    }
    return { rows: rows.slice((page - 1) * pageSize, page * pageSize), total: rows.length };
  }, [q, kind, sort, page, pageSize]);

  const columns = useMemo<ColumnDef<Carrier>[]>(
    () => [
      { id: "name", header: "Carrier", enableSorting: true, enableHiding: false, meta: { className: "font-medium" }, cell: ({ row }) => row.original.name },
      {
        id: "kind",
        header: "Type",
        cell: ({ row }) => <Badge tone={row.original.kind === "customer" ? "info" : row.original.kind === "vendor" ? "neutral" : "accent"}>{row.original.kind}</Badge>,
      },
      { id: "country", header: "Country", enableSorting: true, meta: { className: "text-fg-muted" }, cell: ({ row }) => row.original.country },
      {
        id: "asr",
        header: "ASR",
        enableSorting: true,
        meta: { align: "right" },
        cell: ({ row }) => (
          <span className="inline-flex items-center gap-2">
            <ProgressBar value={row.original.asr} className="w-14" tone={row.original.asr < 40 ? "danger" : "success"} />
            {row.original.asr}%
          </span>
        ),
      },
      {
        id: "balance",
        header: "Balance",
        enableSorting: true,
        meta: { align: "right" },
        cell: ({ row }) => <span className={row.original.balance < 0 ? "text-red-600 dark:text-red-400" : undefined}>{money.format(row.original.balance)}</span>,
      },
      { id: "createdAt", header: "Created", enableSorting: true, meta: { className: "text-fg-muted" }, cell: ({ row }) => <TimeCell value={row.original.createdAt} /> },
      { id: "id", header: "ID", cell: ({ row }) => <IdCell prefix="car" id={row.original.id} /> },
    ],
    [],
  );

  const empty = mode === "empty";
  return (
    <div className="flex flex-col gap-3">
      <Tabs
        items={[
          { id: "populated", label: "Populated" },
          { id: "loading", label: "Loading" },
          { id: "empty", label: "Empty" },
          { id: "error", label: "Error" },
        ]}
        value={mode}
        onChange={(m) => setMode(m as typeof mode)}
        aria-label="Table state"
        className="border-b border-line"
      />
      <div className="flex h-[460px] flex-col">
        <DataTable
          aria-label="Example carriers"
          columns={columns}
          rows={mode === "loading" || mode === "error" ? undefined : empty ? [] : result.rows}
          total={empty ? 0 : result.total}
          getRowId={(r) => r.id}
          page={page}
          pageSize={pageSize}
          onPageChange={setPage}
          onPageSizeChange={(s) => {
            setPageSize(s);
            setPage(1);
          }}
          sort={sort}
          onSortChange={(s) => {
            setSort(s);
            setPage(1);
          }}
          search={{
            value: q,
            onChange: (v) => {
              setQ(v);
              setPage(1);
            },
            placeholder: "Search carriers…",
            autoFocus: false,
          }}
          filters={
            <Select
              size="sm"
              aria-label="Carrier type"
              value={kind}
              onChange={(e) => {
                setKind(e.target.value);
                setPage(1);
              }}
              placeholder="All types"
              options={[
                { value: "customer", label: "Customer" },
                { value: "vendor", label: "Vendor" },
                { value: "both", label: "Both" },
              ]}
              wrapperClassName="w-32"
            />
          }
          hasFilters={!!q || !!kind}
          onClearFilters={() => {
            setQ("");
            setKind("");
          }}
          onRefresh={() => toast.info("Refetch would run here")}
          isLoading={mode === "loading"}
          error={mode === "error" ? new ApiError(503, "upstream_unavailable", "The rating engine did not answer in time.", undefined, "3f2c9a7e-demo") : undefined}
          selectable
          rowSelection={selection}
          onRowSelectionChange={setSelection}
          onRowClick={(r) => toast.info(`Clicked ${r.name}`)}
          emptyState={<EmptyState icon={<Users />} title="No carriers yet" description="Add your first customer or vendor to start exchanging traffic." action={<Button size="sm" variant="primary" icon={<Plus className="size-3.5" />}>Add carrier</Button>} />}
        />
      </div>
    </div>
  );
}

export default function ComponentLibraryPage() {
  const [dialog, setDialog] = useState(false);
  const [sheet, setSheet] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const [tab, setTab] = useState("overview");
  const [checked, setChecked] = useState(true);
  const [footerPage, setFooterPage] = useState(3);
  const [footerSize, setFooterSize] = useState(25);
  const [spinning, setSpinning] = useState(false);
  const tones: BadgeTone[] = ["neutral", "success", "warning", "danger", "info", "accent"];

  return (
    <Page
      header={
        <PageHeader
          title="Component Library"
          description="Every shared component of the console, in each of its states. Pages are built only from these."
          actions={<DropdownMenu label="Jump to" items={SECTIONS.map((s) => ({ label: s.label, onSelect: () => document.getElementById(s.id)?.scrollIntoView({ behavior: "smooth" }) }))} />}
        />
      }
    >
      <div className="flex flex-col gap-10">
        <nav aria-label="Sections" className="flex flex-wrap gap-1.5">
          {SECTIONS.map((s) => (
            <a key={s.id} href={`#${s.id}`} className="rounded-md border border-line bg-surface px-2 py-1 text-xs text-fg-muted hover:border-line-strong hover:text-fg">
              {s.label}
            </a>
          ))}
        </nav>

        <Section id="buttons" title="Buttons" description="primary / secondary / ghost / danger; xs, sm, md; loading and disabled.">
          <Card>
            <CardBody className="grid gap-6 lg:grid-cols-2">
              {(["primary", "secondary", "ghost", "danger"] as const).map((v) => (
                <Specimen key={v} label={v}>
                  <Button variant={v} size="xs">
                    Extra small
                  </Button>
                  <Button variant={v} size="sm">
                    Small
                  </Button>
                  <Button variant={v} icon={<Save className="size-4" />}>
                    Medium
                  </Button>
                  <Button variant={v} loading>
                    Saving
                  </Button>
                  <Button variant={v} disabled>
                    Disabled
                  </Button>
                </Specimen>
              ))}
              <Specimen label="Icon buttons (tooltips on hover)">
                <IconButton label="Edit" icon={<Pencil className="size-4" />} />
                <IconButton label="Settings" variant="secondary" icon={<Settings className="size-4" />} />
                <IconButton label="Delete" variant="danger" icon={<Trash2 className="size-4" />} />
                <IconButton label="Loading" variant="secondary" loading icon={<Download className="size-4" />} />
                <IconButton label="Disabled" variant="secondary" disabled icon={<Download className="size-4" />} />
              </Specimen>
              <Specimen label="Refresh button">
                <RefreshButton onRefresh={() => setSpinning((s) => !s)} fetching={spinning} />
                <RefreshButton withLabel onRefresh={() => setSpinning((s) => !s)} fetching={spinning} />
                <span className="text-xs text-fg-subtle">click to toggle fetching</span>
              </Specimen>
            </CardBody>
          </Card>
        </Section>

        <Section id="forms" title="Form controls" description="Field wires label, hint and error text to its control.">
          <Card>
            <CardBody className="grid gap-5 md:grid-cols-2 xl:grid-cols-3">
              <Field label="Default" hint="Hint text under the field.">
                <Input placeholder="Placeholder" />
              </Field>
              <Field label="With icon">
                <Input icon={<Mail />} placeholder="noc@carrier.example" />
              </Field>
              <Field label="With error" error="Already in use" required>
                <Input defaultValue="admin@demo.didtron.local" />
              </Field>
              <Field label="Disabled">
                <Input disabled value="Read-only value" />
              </Field>
              <Field label="Trailing unit">
                <Input type="number" defaultValue={30} trailing="days" />
              </Field>
              <Field label="Small search">
                <Input size="sm" icon={<Search />} placeholder="Search…" />
              </Field>
              <Field label="Select">
                <Select
                  options={[
                    { value: "noc", label: "NOC" },
                    { value: "billing", label: "Billing" },
                  ]}
                  placeholder="Choose a role"
                />
              </Field>
              <Field label="Select with error" error={["must be one of the listed roles"]}>
                <Select options={[{ value: "x", label: "Unknown role" }]} />
              </Field>
              <Field label="Textarea" hint="Multi-line input.">
                <Textarea placeholder="Notes for the NOC…" />
              </Field>
              <Specimen label="Checkboxes" className="flex flex-col gap-2.5">
                <Checkbox label="Checked" checked={checked} onChange={(e) => setChecked(e.target.checked)} />
                <Checkbox label="Unchecked" description="With a description line." />
                <Checkbox label="Indeterminate" indeterminate readOnly />
                <Checkbox label="Disabled" disabled />
              </Specimen>
            </CardBody>
          </Card>
        </Section>

        <Section id="badges" title="Badges">
          <Card>
            <CardBody className="flex flex-col gap-4">
              <Specimen label="Tones">
                {tones.map((t) => (
                  <Badge key={t} tone={t}>
                    {t}
                  </Badge>
                ))}
              </Specimen>
              <Specimen label="With status dot">
                {tones.map((t) => (
                  <Badge key={t} tone={t} dot>
                    {t}
                  </Badge>
                ))}
              </Specimen>
              <Specimen label="Monospace">
                <Badge mono>user.update</Badge>
                <Badge mono tone="danger">
                  user.delete
                </Badge>
                <Badge mono tone="info">
                  auth.login
                </Badge>
              </Specimen>
            </CardBody>
          </Card>
        </Section>

        <Section id="layout" title="Cards & tabs">
          <div className="grid gap-4 lg:grid-cols-2">
            <Card>
              <CardHeader title="Card with header" description="Title, description and actions." actions={<Button size="sm">Action</Button>} />
              <CardBody>
                <p className="text-sm text-fg-muted">Cards never overflow: long content truncates or scrolls inside them.</p>
                <p className="mt-2 truncate font-mono text-xs text-fg-subtle">a-very-long-identifier-that-would-otherwise-push-the-card-wider-than-its-column-0190c0de-1000-7000-8000</p>
              </CardBody>
            </Card>
            <Card>
              <CardBody>
                <Tabs
                  items={[
                    { id: "overview", label: "Overview" },
                    { id: "rates", label: "Rates", count: 1284 },
                    { id: "routes", label: "Routes", count: 12 },
                    { id: "disabled", label: "Disabled", disabled: true },
                  ]}
                  value={tab}
                  onChange={setTab}
                  className="border-b border-line"
                  aria-label="Example tabs"
                />
                <p className="pt-3 text-sm text-fg-muted">
                  Selected tab: <span className="font-medium text-fg">{tab}</span> (arrow keys move between tabs)
                </p>
              </CardBody>
            </Card>
          </div>
        </Section>

        <Section id="feedback" title="Feedback" description="Loading skeletons, empty and error states, toasts.">
          <div className="grid gap-4 lg:grid-cols-3">
            <Card>
              <CardHeader title="Skeleton" />
              <CardBody className="flex flex-col gap-3">
                <div className="flex items-center gap-3">
                  <Skeleton className="size-8 rounded-full" />
                  <div className="flex-1">
                    <Skeleton className="h-3 w-32" />
                    <Skeleton className="mt-2 h-3 w-20" />
                  </div>
                </div>
                <SkeletonText lines={3} />
              </CardBody>
            </Card>
            <Card>
              <CardHeader title="Empty state" />
              <EmptyState compact icon={<Users />} title="No users yet" description="Add the people who run your network." action={<Button size="sm" variant="primary">Add user</Button>} />
            </Card>
            <Card>
              <CardHeader title="Error state" />
              <ErrorState compact error={new ApiError(409, "conflict", "That e-mail address is already in use", undefined, "7d1f0c2a-example")} onRetry={() => toast.info("Retry")} />
            </Card>
            <Card>
              <CardHeader title="Forbidden" />
              <ErrorState compact error={new ApiError(403, "forbidden", "Missing permission users:write")} />
            </Card>
            <Card className="lg:col-span-2">
              <CardHeader title="Toasts" description="Bottom left; errors stay longer and show the code." />
              <CardBody className="flex flex-wrap gap-2">
                <Button onClick={() => toast.success("Saved Dana Admin", { description: "Their existing sessions were signed out." })}>Success</Button>
                <Button onClick={() => toast.info("Purge of expired records started", { action: { label: "Track progress", to: "/system/jobs" } })}>Info with link</Button>
                <Button onClick={() => toast.warning("Balance below credit limit")}>Warning</Button>
                <Button onClick={() => toast.error(new ApiError(429, "too_many_attempts", "Too many sign-in attempts", undefined, "b9e1f4d0"))}>Error</Button>
              </CardBody>
            </Card>
          </div>
        </Section>

        <Section id="overlays" title="Overlays" description="Dialog (Esc closes, focus stays inside), side sheet, confirm, dropdown menu, tooltip.">
          <Card>
            <CardBody className="flex flex-wrap items-center gap-2">
              <Button onClick={() => setDialog(true)}>Open dialog</Button>
              <Button onClick={() => setSheet(true)}>Open side sheet</Button>
              <Button variant="danger" onClick={() => setConfirm(true)}>
                Confirm dialog
              </Button>
              <DropdownMenu
                items={[
                  { label: "Edit…", icon: <Pencil />, onSelect: () => toast.info("Edit") },
                  { label: "With hint", hint: "⌘E", onSelect: () => toast.info("Hint") },
                  { type: "separator" },
                  { type: "heading", label: "Theme" },
                  { label: "Checked item", checked: true },
                  { label: "Unchecked item", checked: false },
                  { label: "Disabled item", disabled: true },
                  { type: "separator" },
                  { label: "Delete…", icon: <Trash2 />, danger: true, onSelect: () => toast.info("Delete") },
                ]}
              />
              <Tooltip content="Tooltips appear on hover and keyboard focus">
                <Button variant="ghost">Hover me</Button>
              </Tooltip>
            </CardBody>
          </Card>
          <Dialog
            open={dialog}
            onClose={() => setDialog(false)}
            title="Add user"
            description="Dialogs focus their first field."
            footer={
              <>
                <Button onClick={() => setDialog(false)}>Cancel</Button>
                <Button variant="primary" onClick={() => setDialog(false)}>
                  Save
                </Button>
              </>
            }
          >
            <div className="grid gap-3 sm:grid-cols-2">
              <Field label="Name" required>
                <Input />
              </Field>
              <Field label="Email" error="not a valid e-mail address">
                <Input defaultValue="dana@" />
              </Field>
            </div>
          </Dialog>
          <Dialog open={sheet} onClose={() => setSheet(false)} variant="sheet" size="md" title="Side sheet" description="Used for details such as an audit event.">
            <KeyValue
              items={[
                { label: "Actor", value: "super@didtron.local" },
                { label: "Action", value: <Badge mono>user.update</Badge> },
                { label: "Entity", value: <IdCell prefix="usr" id="01a20f1c-55fc-785b-8261-dbea56d202a0" /> },
              ]}
            />
            <JsonView className="mt-4" value={{ role: ["noc", "billing"], isActive: [true, false] }} />
          </Dialog>
          <ConfirmDialog
            open={confirm}
            onClose={() => setConfirm(false)}
            tone="danger"
            title="Delete Dana Admin?"
            message="Failing confirmations keep the dialog open and show the API error. This one fails on purpose."
            confirmLabel="Delete"
            onConfirm={async () => {
              await new Promise((r) => setTimeout(r, 700));
              throw new ApiError(409, "conflict", "You cannot delete your own account");
            }}
          />
        </Section>

        <Section id="display" title="Display" description="Stat tiles, progress, ids, times, JSON and key/value lists.">
          <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
            <StatTile label="Users" value="44" note="40 active · 4 inactive" icon={<Users />} />
            <StatTile label="Loading" value="" loading icon={<Users />} note="fetching…" />
            <StatTile label="Active calls" value="—" muted note="switch not connected" />
            <StatTile
              label="With footer"
              value="3"
              footer={
                <div className="flex gap-1.5">
                  <Badge tone="info">1 active</Badge>
                  <Badge tone="danger">2 failed</Badge>
                </div>
              }
            />
          </div>
          <Card className="mt-3">
            <CardBody className="grid gap-6 md:grid-cols-3">
              <Specimen label="Progress" className="flex flex-col gap-2.5">
                <ProgressBar value={15} />
                <ProgressBar value={64} />
                <ProgressBar value={100} tone="success" />
                <ProgressBar value={40} tone="danger" />
              </Specimen>
              <Specimen label="Ids and times" className="flex flex-col gap-1.5 text-sm">
                <IdCell prefix="usr" id="01a20f1c-55fc-785b-8261-dbea56d202a0" />
                <TimeCell value={new Date(Date.now() - 3 * 3600_000).toISOString()} />
                <TimeCell value={new Date(Date.now() - 3 * 3600_000).toISOString()} relative />
                <TimeCell value={null} empty="Never" />
              </Specimen>
              <Specimen label="JSON" className="block">
                <JsonView value={{ tenantId: "0190…", olderThanDays: 30 }} maxHeight="max-h-32" />
              </Specimen>
            </CardBody>
          </Card>
        </Section>

        <Section id="table" title="Data table" description="Server-side paging, sorting and search (simulated here with local data), column menu, selection, footer.">
          <TableDemo />
          <Card className="mt-4">
            <CardHeader title="DataTableFooter on its own" />
            <DataTableFooter page={footerPage} pageSize={footerSize} total={1234} onPageChange={setFooterPage} onPageSizeChange={setFooterSize} selectedCount={2} onClearSelection={() => toast.info("Cleared")} />
          </Card>
        </Section>

        <Section id="page" title="Page chrome" description="PageHeader (breadcrumb, title, actions, tabs) and the ActionDock.">
          <div className="overflow-hidden rounded-lg border border-line">
            <PageHeader
              breadcrumb={["Settings", "Users & Roles"]}
              title="Page title"
              documentTitle={false}
              meta={<Badge>44</Badge>}
              actions={<DropdownMenu items={[{ label: "Page-specific action" }]} />}
              tabs={{ items: [{ id: "a", label: "Users" }, { id: "b", label: "Roles" }], value: "a", onChange: () => undefined }}
            />
            <div className="h-24 bg-canvas" />
            <ActionDock start={<span className="text-xs">Unsaved changes</span>}>
              <Button>Cancel</Button>
              <Button variant="primary">Save changes</Button>
            </ActionDock>
          </div>
        </Section>
      </div>
    </Page>
  );
}
