import type { Instrumentation } from "next";

// Runs once when the server starts (see src/lib/server.ts). Next.js also compiles this file for its
// edge runtime: the `if` on NEXT_RUNTIME, a constant there, keeps the Node.js-only code out of it.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServer } = await import("@/lib/server");
    await startServer();
  }
}

export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { reportRequestError } = await import("@/lib/server");
    await reportRequestError(error, request, context);
  }
};
