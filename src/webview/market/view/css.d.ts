// esbuild bundles the imported stylesheet into dist/webview/market.css.
declare module '*.css';
