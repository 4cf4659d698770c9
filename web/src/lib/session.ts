/**
 * Leaving the signed-in console (sign out, 401, password change). main.tsx registers
 * the implementation (navigate to /login, then clear the query cache) so that
 * modules here need not import the router.
 */
type LeaveFn = (opts: { returnTo?: string }) => Promise<void>;

let leave: LeaveFn = async () => {
  window.location.assign("/login");
};
let leaving = false;

export function registerLeave(fn: LeaveFn): void {
  leave = fn;
}

export async function leaveToLogin(opts: { returnTo?: string } = {}): Promise<void> {
  if (leaving) return;
  leaving = true;
  try {
    await leave(opts);
  } finally {
    leaving = false;
  }
}
