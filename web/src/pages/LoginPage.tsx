import { useEffect, useState, type FormEvent } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowRight, Gauge, Route, ShieldCheck, TriangleAlert } from "lucide-react";
import { Button, Field, Input, Toaster } from "../components";
import { ApiError, api } from "../lib/api";
import { acceptMe, fetchMe, meKey } from "../lib/auth";
import type { Me } from "../lib/types";
import { ThemeToggle } from "../layout/ThemeToggle";

function safeNext(next: string | null): string {
  // Only same-app paths: never an absolute URL or protocol-relative "//host".
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/login") ? next : "/";
}

export function LoginPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [local, setLocal] = useState<{ email?: string; password?: string }>({});

  useEffect(() => {
    document.title = "Sign in · DIDTron";
  }, []);

  // Already signed in (e.g. a bookmarked /login): go straight in.
  const me = useQuery({ queryKey: meKey, queryFn: fetchMe, retry: false, staleTime: 60_000 });

  const login = useMutation({
    mutationFn: () => api.post<Me>("/auth/login", { email: email.trim(), password }),
    onSuccess: (data) => {
      qc.clear();
      acceptMe(data);
      qc.setQueryData(meKey, data);
      navigate(next, { replace: true });
    },
  });

  if (me.data && !login.isPending) return <Navigate to={next} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof local = {};
    if (!email.trim()) errs.email = "Enter your email address";
    if (!password) errs.password = "Enter your password";
    setLocal(errs);
    if (!errs.email && !errs.password) login.mutate();
  };

  const err = login.error instanceof ApiError ? login.error : login.error ? new ApiError(0, "unknown", login.error.message) : null;
  const fields = err?.fields ?? {};
  const message =
    err?.code === "invalid_credentials"
      ? "Email or password is incorrect."
      : err?.code === "too_many_attempts" || err?.status === 429
        ? err.message || "Too many sign-in attempts. Wait a few minutes and try again."
        : err && !err.fields
          ? err.message
          : null;

  return (
    <div className="flex h-full bg-canvas">
      <div className="relative flex min-w-0 flex-1 flex-col">
        <div className="flex items-center justify-between px-6 py-4">
          <div className="flex items-center gap-2.5">
            <img src="/favicon.svg" alt="" className="size-7" />
            <span className="text-sm font-semibold tracking-tight">DIDTron</span>
          </div>
          <ThemeToggle />
        </div>
        <div className="flex flex-1 items-center justify-center px-6 pb-16">
          <div className="w-full max-w-[360px]">
            <h1 className="text-xl font-semibold tracking-tight text-fg">Sign in to your console</h1>
            <p className="mt-1 text-sm text-fg-muted">Use the email and password your administrator gave you.</p>
            <form onSubmit={submit} noValidate className="mt-6 flex flex-col gap-4">
              <Field label="Email" error={local.email ?? fields.email}>
                <Input type="email" name="email" autoComplete="username" autoFocus value={email} onChange={(e) => setEmail(e.target.value)} placeholder="you@company.com" />
              </Field>
              <Field label="Password" error={local.password ?? fields.password}>
                <Input type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
              </Field>
              {message && (
                <div role="alert" className="flex items-start gap-2 rounded-md border border-red-500/25 bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-500/10 dark:text-red-300">
                  <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
                  <span className="min-w-0">
                    {message}
                    {err && <span className="ml-1 font-mono text-2xs opacity-70">({err.code})</span>}
                  </span>
                </div>
              )}
              <Button type="submit" variant="primary" size="md" loading={login.isPending} className="mt-1 h-9 w-full" iconRight={!login.isPending && <ArrowRight className="size-4" />}>
                Sign in
              </Button>
            </form>
            <p className="mt-8 text-xs text-fg-subtle">Protected system. Sign-ins and changes are recorded in the audit log.</p>
          </div>
        </div>
      </div>
      <aside className="relative hidden w-[44%] max-w-[640px] overflow-hidden border-l border-line bg-[#0b1222] text-white lg:flex lg:flex-col lg:justify-between">
        <div
          aria-hidden
          className="absolute inset-0 opacity-[0.12]"
          style={{
            backgroundImage: "linear-gradient(rgba(255,255,255,.6) 1px, transparent 1px), linear-gradient(90deg, rgba(255,255,255,.6) 1px, transparent 1px)",
            backgroundSize: "32px 32px",
            maskImage: "radial-gradient(ellipse at 70% 30%, black 10%, transparent 70%)",
          }}
        />
        <div aria-hidden className="absolute -top-40 -right-32 size-[480px] rounded-full bg-[#2563EB] opacity-30 blur-[120px]" />
        <div className="relative p-10 pt-14">
          <p className="text-xs font-semibold tracking-[0.2em] text-blue-300/80 uppercase">Wholesale voice platform</p>
          <h2 className="mt-3 max-w-md text-3xl leading-tight font-semibold tracking-tight">Rate, route and bill every minute from one console.</h2>
        </div>
        <ul className="relative space-y-5 p-10 pb-14">
          {[
            { icon: Route, title: "Least-cost routing", text: "Route plans per customer and destination, with margin protection." },
            { icon: Gauge, title: "Live NOC view", text: "ASR, ACD and capacity per interconnect as traffic flows." },
            { icon: ShieldCheck, title: "Audited by design", text: "Every change is recorded with who, when and what changed." },
          ].map(({ icon: Icon, title, text }) => (
            <li key={title} className="flex gap-3.5">
              <span className="flex size-8 shrink-0 items-center justify-center rounded-lg bg-white/10 ring-1 ring-white/15">
                <Icon className="size-4 text-blue-200" />
              </span>
              <span>
                <span className="block text-sm font-medium">{title}</span>
                <span className="block text-sm text-slate-400">{text}</span>
              </span>
            </li>
          ))}
        </ul>
      </aside>
      <Toaster className="!bottom-4 sm:!left-4" />
    </div>
  );
}
