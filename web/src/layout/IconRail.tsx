import { Link } from "react-router";
import { clsx } from "clsx";
import { Tooltip } from "../components";
import { API_DOCS, type NavModule } from "../nav";

/** 56px rail of module icons (VitalPBX-style double sidebar, first column). */
export function IconRail({ modules, activeId }: { modules: NavModule[]; activeId: string | undefined }) {
  return (
    <nav aria-label="Modules" className="flex w-14 shrink-0 flex-col items-center gap-1 border-r border-rail-line bg-rail py-2">
      {modules.map((m) => {
        const active = m.id === activeId;
        const Icon = m.icon;
        return (
          <Tooltip key={m.id} content={m.label} side="right">
            <Link
              to={m.pages[0]!.path}
              aria-label={m.label}
              aria-current={active ? "true" : undefined}
              className={clsx(
                "relative flex size-10 items-center justify-center rounded-lg transition-colors",
                active ? "bg-white/10 text-white" : "text-slate-400 hover:bg-white/5 hover:text-slate-100",
              )}
            >
              {active && <span className="absolute top-2 bottom-2 -left-2 w-[3px] rounded-r bg-accent" aria-hidden />}
              <Icon className="size-[18px]" strokeWidth={1.75} />
            </Link>
          </Tooltip>
        );
      })}
      <div className="mt-auto">
        <Tooltip content={API_DOCS.label} side="right">
          <a
            href={API_DOCS.href}
            target="_blank"
            rel="noreferrer"
            aria-label={API_DOCS.label}
            className="flex size-10 items-center justify-center rounded-lg text-slate-500 transition-colors hover:bg-white/5 hover:text-slate-100"
          >
            <API_DOCS.icon className="size-[18px]" strokeWidth={1.75} />
          </a>
        </Tooltip>
      </div>
    </nav>
  );
}
