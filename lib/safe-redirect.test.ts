import { expect, test } from 'vitest';
import { safeReturnPath } from './safe-redirect';

const ORIGIN = 'https://keyshift.acme.com';

test.each([
  [undefined, '/'],
  ['', '/'],
  ['/', '/'],
  ['/connections/con_1', '/connections/con_1'],
  ['/audit?outcome=failed', '/audit?outcome=failed'],
  ['/audit?x=1#y', '/audit?x=1#y'],
  ['/audit?actor=Alice%20Rotator', '/audit?actor=Alice%20Rotator'],
  ['/connections/../audit', '/audit'],
  [['/a', '/b'], '/a'],
  // An absolute URL on this origin is kept as its path, query and fragment.
  ['https://keyshift.acme.com/audit?x=1#y', '/audit?x=1#y'],
  ['HTTPS://KEYSHIFT.ACME.COM/audit', '/audit'],
  ['https://keyshift.acme.com', '/'],
])('%j → %s', (input, expected) => {
  expect(safeReturnPath(input, ORIGIN)).toBe(expected);
});

test.each([
  ['a tab', '/\t/evil.example'],
  ['a leading tab', '\t/audit'],
  ['a newline', '/\n/evil.example'],
  ['a header injection', '/audit\r\nSet-Cookie: a=b'],
  ['a NUL', '/audit\u0000'],
  ['DEL', '/audit\u007f'],
  ['a C1 control', '/audit\u0085'],
  ['a space', '/au dit'],
  ['a leading space', ' /audit'],
  ['a no-break space', '/audit\u00a0'],
  ['a line separator', '/audit\u2028'],
  ['a backslash', '/audit\\x'],
  ['a protocol-relative URL', '//evil.example/'],
  ['a slash and a backslash', '/\\evil.example'],
  ['two backslashes', '\\\\evil.example'],
  ['encoded slashes after a slash', '/%2F%2Fevil.example'],
  ['encoded slashes alone', '%2F%2Fevil.example'],
  ['an encoded backslash', '/%5Cevil.example'],
  ['an encoded tab', '/%09/evil.example'],
  ['a malformed escape', '/%E0%A4%A'],
  ['a javascript: URL', 'javascript:alert(1)'],
  ['a javascript: URL in capitals', 'JaVaScRiPt:alert(1)'],
  ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
  ['another origin', 'https://evil.example/'],
  ['another origin that starts with ours', 'https://keyshift.acme.com.evil.example/'],
  ['our host over http', 'http://keyshift.acme.com/audit'],
  ['our host on another port', 'https://keyshift.acme.com:8443/audit'],
  ['a scheme without slashes', 'https:evil.example'],
  ['a relative path', 'audit'],
  ['a bare query', '?x=1'],
  ['very long input', `/audit?q=${'a'.repeat(5000)}`],
])('refuses %s (→ /)', (_label, input) => {
  expect(safeReturnPath(input, ORIGIN)).toBe('/');
});
