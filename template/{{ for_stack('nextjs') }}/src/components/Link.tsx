import NextLink from "next/link";
import type { ComponentProps } from "react";

// Next.js's link, without prefetching: every page is rendered per request (for its CSP nonce), so a
// prefetch would cost a server render and a request for each link on screen, most never followed.
export function Link(props: ComponentProps<typeof NextLink>) {
  return <NextLink prefetch={false} {...props} />;
}
