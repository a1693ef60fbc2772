/** Official test vectors from ../shared/reference/binance-spot-api.md §3.5. */
export const DOC_HMAC = {
  apiKey: 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A',
  secret: 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j',
};

/** The FIX Logon Ed25519 key, the only complete official Ed25519 vector. */
export const DOC_ED25519_PEM = [
  '-----BEGIN PRIVATE KEY-----',
  'MC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u',
  '-----END PRIVATE KEY-----',
].join('\n');
export const DOC_ED25519_WS_API_KEY = '4yNzx3yWC5bS6YTwEkSRaC0nRmSQIIStAUOh1b6kqaBrTLIhjCpI5lJH8q8R8WNO';
