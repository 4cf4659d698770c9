import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { Button, Dialog, Field, Input, toast } from "../components";
import { ApiError, api, fieldErrors } from "../lib/api";

export function ChangePasswordDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [local, setLocal] = useState<Record<string, string>>({});
  const mutation = useMutation({
    mutationFn: () => api.post("/auth/password", { currentPassword: current, newPassword: next }),
    onSuccess: () => {
      // The server keeps this session and ends every other one.
      toast.success("Password changed", { description: "You stay signed in here; your other sessions were signed out." });
      reset();
      onClose();
    },
  });
  const reset = () => {
    setCurrent("");
    setNext("");
    setConfirm("");
    setLocal({});
    mutation.reset();
  };
  const server = fieldErrors(mutation.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!current) errs.currentPassword = "Enter your current password";
    if (next.length < 10) errs.newPassword = "At least 10 characters";
    if (confirm !== next) errs.confirm = "Does not match the new password";
    setLocal(errs);
    if (Object.keys(errs).length === 0) mutation.mutate();
  };
  const generalError = mutation.error instanceof ApiError && !mutation.error.fields ? mutation.error : null;
  return (
    <Dialog
      open={open}
      onClose={() => {
        reset();
        onClose();
      }}
      title="Change password"
      description="Your other sessions (other browsers and devices) are signed out; this one stays signed in."
      size="sm"
      dismissible={!mutation.isPending}
      footer={
        <>
          <Button
            onClick={() => {
              reset();
              onClose();
            }}
            disabled={mutation.isPending}
          >
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="change-password" loading={mutation.isPending}>
            Change password
          </Button>
        </>
      }
    >
      <form id="change-password" onSubmit={submit} className="flex flex-col gap-3" noValidate>
        <Field label="Current password" error={local.currentPassword ?? server.currentPassword} required>
          <Input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
        </Field>
        <Field label="New password" error={local.newPassword ?? server.newPassword} hint="At least 10 characters." required>
          <Input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
        </Field>
        <Field label="Confirm new password" error={local.confirm} required>
          <Input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        </Field>
        {generalError && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {generalError.message} <span className="font-mono text-2xs opacity-75">({generalError.code})</span>
          </p>
        )}
      </form>
    </Dialog>
  );
}
