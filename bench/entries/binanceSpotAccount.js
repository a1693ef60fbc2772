// Minimal @binance/spot program: one signed GET /api/v3/account. Bundled by bench/sections/bundleSize.ts
// only; exporting a function (instead of calling at load) keeps `require()` free of network I/O.
const { Spot } = require('@binance/spot');

module.exports = async function account(apiKey, apiSecret, basePath) {
  const client = new Spot({ configurationRestAPI: { apiKey, apiSecret, basePath } });
  const response = await client.restAPI.getAccount();
  return response.data();
};
