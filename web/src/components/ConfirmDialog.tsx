import { useState, type ReactNode } from "react";
import { Button } from "./Button";
import { Dialog } from "./Dialog";
import { ApiError } from "../lib/api";

interface ConfirmDialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  message?: ReactNode;
  confirmLabel?: string;
  cancelLabel?: string;
  tone?: "danger" | "primary";
  /** May return a promise; the dialog shows a spinner and any error, and closes on success. */
  onConfirm: () => unknown;
  children?: ReactNode;
}

export function ConfirmDialog({ open, onClose, title, message, confirmLabel = "Confirm", cancelLabel = "Cancel", tone = "primary", onConfirm, children }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const close = () => {
    if (busy) return;
    setError(null);
    onClose();
  };
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      setBusy(false);
      onClose();
    } catch (e) {
      setBusy(false);
      setError(e);
    }
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title={title}
      size="sm"
      dismissible={!busy}
      footer={
        <>
          <Button onClick={close} disabled={busy}>
            {cancelLabel}
          </Button>
          <Button variant={tone === "danger" ? "danger" : "primary"} onClick={() => void confirm()} loading={busy} data-autofocus>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {message && <div className="text-sm text-fg-muted">{message}</div>}
      {children}
      {error != null && (
        <div role="alert" className="mt-3 rounded-md border border-red-500/25 bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-500/10 dark:text-red-300">
          {error instanceof Error ? error.message : "Something went wrong"}
          {error instanceof ApiError && <span className="ml-1 font-mono text-2xs opacity-75">({error.code})</span>}
        </div>
      )}
    </Dialog>
  );
}
