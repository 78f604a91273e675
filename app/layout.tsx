import type { Metadata } from 'next';
import localFont from 'next/font/local';
import type { ReactNode } from 'react';
import './globals.css';
import { Providers } from './providers';

// Self-hosted: the build machine and many deployments have no route to a font CDN.
const inter = localFont({
  src: '../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2',
  variable: '--font-inter',
  display: 'swap',
  weight: '100 900',
});

// Every page is rendered per request: the CSP nonce changes each time, and no page is public anyway.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'Keyshift', template: '%s · Keyshift' },
  description: 'Rotate the signing keys of Auth0 connections, with an audit trail.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className={inter.variable}>
      <body className="min-h-screen font-sans">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
