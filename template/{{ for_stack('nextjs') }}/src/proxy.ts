import { NextResponse, type NextRequest } from "next/server";

import { contentSecurityPolicy, HSTS } from "@/lib/csp";
import { readSettings } from "@/lib/settings";

// Runs before every page: a fresh nonce for the Content-Security-Policy, given to Next.js through the
// request headers (it then puts it on its own scripts) and sent to the browser in the response.
export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (!pathname.endsWith("/") && pathname !== "/healthz" && !pathname.split("/").pop()!.includes(".")) {
    return NextResponse.redirect(new URL(`${pathname}/${request.nextUrl.search}`, request.url), 308);
  }
  const settings = readSettings();
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = contentSecurityPolicy({
    nonce,
    matomoUrl: settings.matomo?.url,
    development: process.env.NODE_ENV === "development",
  });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  if (!settings.local) {
    response.headers.set("Strict-Transport-Security", HSTS);
  }
  return response;
}

export const config = {
  // Pages only: not the build's static files, the DSFR's assets or the public scripts.
  matcher: [
    {
      source: "/((?!_next/static|_next/image|dsfr/|pages/|favicon|robots.txt).*)",
      missing: [{ type: "header", key: "next-router-prefetch" }],
    },
  ],
};
