import { isRouteErrorResponse, useRouteError } from "react-router";
import { Button, ErrorState } from "../components";

/** Last-resort error screen for render errors and unknown route errors. */
export function RouteError() {
  const err = useRouteError();
  const error = isRouteErrorResponse(err) ? new Error(`${err.status} ${err.statusText}`) : err;
  const chunk = error instanceof Error && /dynamically imported module|Failed to fetch/i.test(error.message);
  return (
    <div className="flex h-full flex-col items-center justify-center gap-2 bg-canvas p-6">
      <ErrorState error={error} title={chunk ? "The console was updated" : "Something broke on this page"} />
      <Button variant="primary" onClick={() => window.location.reload()}>
        Reload
      </Button>
    </div>
  );
}
