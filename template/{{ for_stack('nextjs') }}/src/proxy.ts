import { NextResponse, type NextRequest } from "next/server";

import { dynamicSecurityHeaders, newNonce } from "@/lib/csp";
import { readSettings } from "@/lib/settings";

// Pages and files answer GET and HEAD only; anything else gets 405. A route that needs another method
// (a form, an API) must be let through here.
export const ALLOWED_METHODS = ["GET", "HEAD"];

// Runs before every response: a fresh nonce for the Content-Security-Policy, given to Next.js through
// the request headers (it then puts it on its own scripts) and sent to the browser in the response,
// with HSTS outside a developer's machine.
export function proxy(request: NextRequest) {
  const settings = readSettings();
  const nonce = newNonce();
  const headers = dynamicSecurityHeaders({
    nonce,
    matomoUrl: settings.matomo?.url,
    development: process.env.NODE_ENV === "development",
    local: settings.local,
  });
  const response = respond(request, nonce, headers["Content-Security-Policy"]);
  for (const [name, value] of Object.entries(headers)) {
    response.headers.set(name, value);
  }
  return response;
}

function respond(request: NextRequest, nonce: string, policy: string): NextResponse {
  const { pathname, search } = request.nextUrl;
  if (!ALLOWED_METHODS.includes(request.method)) {
    return new NextResponse(null, { status: 405, headers: { Allow: ALLOWED_METHODS.join(", ") } });
  }
  // Every page lives at an address ending with a slash, except /healthz (uptime checks call it as is),
  // files (a dot in their last segment) and Next.js's own routes.
  const isFile = pathname.split("/").pop()!.includes(".");
  if (!pathname.endsWith("/") && pathname !== "/healthz" && !isFile && !pathname.startsWith("/_next/")) {
    return NextResponse.redirect(new URL(`${pathname}/${search}`, request.url), 308);
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  return NextResponse.next({ request: { headers: requestHeaders } });
}

export const config = {
  // Every request, files included: a missing file (under /dsfr/, /favicon.ico…) gets the 404 page, which
  // needs the headers as much as any page.
  matcher: "/:path*",
};
