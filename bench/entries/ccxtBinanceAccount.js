// Minimal ccxt program: one signed GET /api/v3/account through ccxt's binance class (the implicit
// privateGetAccount method, which skips loadMarkets). Bundled by bench/sections/bundleSize.ts only; never run.
const ccxt = require('ccxt');

module.exports = async function account(apiKey, secret) {
  const exchange = new ccxt.binance({ apiKey, secret });
  return exchange.privateGetAccount();
};
