import { create } from "zustand";
import { ApiError } from "../lib/api";

export type ToastTone = "success" | "error" | "info" | "warning";

export interface ToastItem {
  id: number;
  tone: ToastTone;
  title: string;
  description?: string;
  action?: { label: string; to: string };
  duration: number;
}

interface ToastState {
  toasts: ToastItem[];
  push: (t: Omit<ToastItem, "id" | "duration"> & { duration?: number }) => number;
  dismiss: (id: number) => void;
}

let nextId = 1;

export const useToasts = create<ToastState>()((set) => ({
  toasts: [],
  push: (t) => {
    const id = nextId++;
    set((s) => ({ toasts: [...s.toasts.slice(-4), { duration: t.tone === "error" ? 8000 : 5000, ...t, id }] }));
    return id;
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

type Opts = { description?: string; action?: { label: string; to: string }; duration?: number };

export const toast = {
  success: (title: string, opts: Opts = {}) => useToasts.getState().push({ tone: "success", title, ...opts }),
  info: (title: string, opts: Opts = {}) => useToasts.getState().push({ tone: "info", title, ...opts }),
  warning: (title: string, opts: Opts = {}) => useToasts.getState().push({ tone: "warning", title, ...opts }),
  error: (titleOrError: unknown, opts: Opts = {}) => {
    if (titleOrError instanceof ApiError) {
      const detail = [titleOrError.code, titleOrError.requestId ? `request ${titleOrError.requestId.slice(0, 8)}` : null].filter(Boolean).join(" · ");
      return useToasts.getState().push({ tone: "error", title: titleOrError.message, description: opts.description ?? detail, ...opts });
    }
    const title = typeof titleOrError === "string" ? titleOrError : titleOrError instanceof Error ? titleOrError.message : "Something went wrong";
    return useToasts.getState().push({ tone: "error", title, ...opts });
  },
};
