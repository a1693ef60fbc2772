// Bundle-time stand-in for the `whatwg-url` package (esbuild.js aliases it here).
// node-fetch v2 only falls back to whatwg-url when Node's own `url.URL` is missing
// (`Url.URL || whatwgUrl.URL`), which never happens on the Node versions VS Code ships, yet the
// real package and its Unicode tables were 60% of our bundle. Export Node's URL so the fallback
// stays correct if it were ever taken.
'use strict';
const { URL, URLSearchParams } = require('url');
module.exports = { URL, URLSearchParams };
